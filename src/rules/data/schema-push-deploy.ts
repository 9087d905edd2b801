// Protects against schema changes applied by diffing in production: `db push` and `sync({ alter })` drop and rewrite columns with no reviewed migration. Docs: docs/rules/data/schema-push-deploy.md
import { noOptions } from '../../core/rule.js';
import { productionCommands } from '../../project/entrypoints.js';
import type { Project } from '../../project/project.js';
import { shellUnits } from '../../project/scripts.js';
import { invokedNames } from '../../project/test-commands.js';
import { defineScanRule, positionOf } from '../support.js';

const PUSH_COMMAND = /\bprisma\s+db\s+push\b|\bdrizzle-kit\s+push(?::\w+)?\b|\btypeorm(?:-ts-node-\w+)?\s+schema:sync\b|\bsequelize\s+db:sync\b/;
const SYNC_CALL = /\.sync\(\s*\{[^}]*\b(force|alter)\s*:\s*true/;
/** Code that only runs outside production: seeds, dev scripts, guarded blocks. */
const NON_PRODUCTION_FILE = /(?:^|\/)(?:scripts?|seeds?|seeders?|dev|tools?)\/|(?:seed|dev|reset)[\w.-]*\.[cm]?[jt]s$/i;
const DEV_GUARD = /NODE_ENV\s*[!=]==?\s*['"](?:development|test|dev)['"]|['"](?:development|test)['"]\s*[!=]==?\s*process\.env\.NODE_ENV|isDev|isTest|!isProd/;

/** The push command `text` runs, directly or through the npm scripts (by name) it calls. */
function pushIn(npmScripts: ReadonlyMap<string, readonly string[]>, text: string, depth = 0): string | undefined {
  const direct = PUSH_COMMAND.exec(text);
  if (direct !== null) return direct[0];
  if (depth > 2) return undefined;
  for (const name of invokedNames(text)) {
    for (const script of npmScripts.get(name) ?? []) {
      const found = pushIn(npmScripts, script, depth + 1);
      if (found !== undefined) return `${found} (via npm script "${name}")`;
    }
  }
  return undefined;
}

type Messages = { push: { command: string; where: string }; sync: { option: string } };

export default defineScanRule({
  id: 'data/schema-push-deploy',
  title: 'Production schema changes go through migrations, not push/sync',
  description:
    '`prisma db push`, `drizzle-kit push`, TypeORM `schema:sync` and `sequelize.sync({ alter/force })` make the database match the models by diffing, without a reviewed, versioned migration; in start, deploy or production scripts they can drop columns and data.',
  category: 'data',
  severity: 'high',
  checklist: 'migration-strategy',
  docs: 'docs/rules/data/schema-push-deploy.md',
  fix: 'Generate migrations (`prisma migrate dev`, `drizzle-kit generate`, sequelize-cli/umzug migrations) and apply them on deploy with `prisma migrate deploy` / `drizzle-kit migrate` / your migration runner; keep push/sync for local prototyping only.',
  options: noOptions,
  messages: {
    push: ({ command, where }: Messages['push']) => `${where} runs "${command}", which changes the production schema without a migration`,
    sync: ({ option }: Messages['sync']) => `sequelize.sync({ ${option}: true }) runs in production code and rewrites tables to match the models`,
  },
  applies: (project: Project) => project.packages().length > 0,
  check(ctx) {
    const seen = new Set<string>();
    const npmScripts = new Map<string, string[]>();
    for (const unit of shellUnits(ctx.project)) if (unit.kind === 'npm') npmScripts.set(unit.name, [...(npmScripts.get(unit.name) ?? []), unit.text]);
    for (const command of productionCommands(ctx.project)) {
      const found = pushIn(npmScripts, command.text);
      if (found === undefined) continue;
      const key = `${command.file}:${command.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      ctx.report({
        messageId: 'push',
        data: { command: found, where: `${command.where} (${command.file})` },
        location: { path: command.file, line: command.line },
        detail: `${command.where} at ${command.file}:${command.line} runs in production (start/deploy/build scripts, Dockerfile CMD/ENTRYPOINT, compose command, Procfile, deploy scripts and deploy CI jobs were read, following npm run chains) and contains "${found}".`,
      });
    }
    for (const file of ctx.project.productionSourceFiles()) {
      if (NON_PRODUCTION_FILE.test(file.path)) continue;
      const text = ctx.project.text(file.path);
      if (text === undefined || !text.includes('.sync(')) continue;
      const match = SYNC_CALL.exec(text);
      if (match === null) continue;
      const { line } = positionOf(text, match.index);
      const context = text.split('\n').slice(Math.max(0, line - 4), line).join('\n');
      if (DEV_GUARD.test(context)) continue;
      ctx.report({
        messageId: 'sync',
        data: { option: match[1] ?? 'alter' },
        location: { path: file.path, line },
        detail: `${file.path}:${line} calls .sync({ ${match[1] ?? 'alter'}: true }) outside tests, seeds and dev scripts, with no NODE_ENV development/test guard in the 3 lines before it.`,
      });
    }
  },
});
