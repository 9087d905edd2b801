// Protects against a server that starts with a missing or malformed variable and fails on the first request that needs it. Docs: docs/rules/operations/env-validated.md
import { noOptions } from '../../core/rule.js';
import { filesContaining, findText, packageScope, scopeUses, serverPackagesWithCode } from '../../project/code-scope.js';
import type { Project } from '../../project/project.js';
import { defineScanRule, listText, serverAnchor } from '../support.js';

/** Libraries whose whole purpose is validating the environment. */
const ENV_LIBRARIES = ['envalid', '@t3-oss/env-core', '@t3-oss/env-nextjs', '@t3-oss/env-nuxt', 'env-var', 'znv', '@fastify/env', 'env-schema', 'convict', 'dotenv-safe', '@julr/vite-plugin-validate-env', 'arkenv', 'typed-env'];
/** A schema applied to the whole of process.env (not `loadStripe(process.env.KEY)`): zod/valibot/joi/yup/ajv, a parseEnv(process.env) helper, Nest ConfigModule validation. */
const ENV_VALIDATION_CODE =
  /\.(?:parse|safeParse|parseAsync|safeParseAsync|validate|validateSync|cast|assert)\s*\(\s*(?:[\w$.]+\s*,\s*)?process\.env\b(?!\s*(?:\.|\[|\?\.))|\b(?:parse|safeParse|validate)\s*\(\s*[\w$.]+\s*,\s*process\.env\b(?!\s*(?:\.|\[|\?\.))|\b\w*(?:[Pp]arse|[Vv]alidat|[Ll]oad|[Cc]heck|[Rr]ead)\w*\s*\(\s*process\.env\b(?!\s*(?:\.|\[|\?\.))|\b(?:cleanEnv|createEnv|envSchema)\s*\(|\bvalidationSchema\s*:|\bvalidate\s*:\s*[\w$.]*(?:[Ee]nv|[Cc]onfig|[Vv]alidat)/;
const ENV_READ = /process\.env|import\.meta\.env|Bun\.env/;

type Messages = { unvalidated: { pkg: string } };

export default defineScanRule({
  id: 'operations/env-validated',
  title: 'The environment is validated at startup',
  description:
    'Reading process.env ad hoc means a missing DATABASE_URL or a typo in PORT surfaces as a confusing failure on the first request that needs it, long after the deploy was declared healthy. One schema checked at startup fails fast with a list of what is wrong.',
  category: 'operations',
  severity: 'low',
  checklist: 'env-config',
  docs: 'docs/rules/operations/env-validated.md',
  fix: 'Parse process.env once at startup with a schema (zod, envalid, @t3-oss/env-core, @fastify/env, Nest ConfigModule validationSchema) and import the typed result everywhere else.',
  options: noOptions,
  messages: {
    unvalidated: ({ pkg }: Messages['unvalidated']) => `${pkg} reads the environment without validating it at startup`,
  },
  applies: (project: Project) => serverPackagesWithCode(project).length > 0,
  check(ctx) {
    const { project } = ctx;
    for (const pkg of serverPackagesWithCode(project)) {
      const scope = packageScope(project, pkg);
      const withEnv = filesContaining(project, '.env');
      const firstRead = findText(project, scope.files.filter((file) => withEnv.has(file)), ENV_READ);
      if (firstRead === undefined) continue;
      if (scopeUses(project, scope, ENV_LIBRARIES) !== undefined) continue;
      if (findText(project, scope.files, ENV_VALIDATION_CODE) !== undefined) continue;
      ctx.report({
        messageId: 'unvalidated',
        data: { pkg: pkg.displayName },
        location: serverAnchor(project, pkg),
        detail:
          `The code reads the environment (first at ${firstRead.path}:${firstRead.line}). Looked in package.json of ${listText(scope.members.map((member) => member.displayName))} for ${ENV_LIBRARIES.slice(0, 6).join(', ')}, … ` +
          `and in ${scope.files.length} production source file(s) for a schema applied to process.env (X.parse(process.env), parseEnv(process.env), cleanEnv, createEnv, ConfigModule validationSchema); found none.`,
      });
    }
  },
});
