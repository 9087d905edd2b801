import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { applyBaseline, readBaseline } from '../core/baseline.js';
import { loadConfig } from '../core/config.js';
import { compareFindings } from '../core/engine.js';
import { err, ok, type Result, type UserError, userError } from '../core/result.js';
import { buildReport } from '../core/verdict.js';
import { DEFAULT_REHEARSAL_ROWS, lintMigrations, migrationKnownRules, rehearseMigrations, ROW_COUNTS_SQL } from '../migrations/index.js';
import { DOCS_BASE_URL, knownRulesOf, VERSION } from '../scan.js';
import { scanRules } from '../rules/index.js';
import { booleanOption, type Command, stringOption } from './command.js';
import { otherCommandRules } from './known-rules.js';

const rowCountsSchema = z.record(z.string(), z.number().int().nonnegative());

function parseCount(raw: string, flag: string): Result<number, UserError> {
  const cleaned = raw.replace(/[_,]/g, '');
  if (!/^\d+$/.test(cleaned) || Number(cleaned) <= 0) return err(userError('USAGE', `${flag}: "${raw}" is not a positive whole number`, `e.g. ${flag} 100000`));
  return ok(Number(cleaned));
}

function readRowCounts(file: string): Result<Record<string, number>, UserError> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return err(userError('INPUT_INVALID', `--row-counts: cannot read ${file} as JSON (${error instanceof Error ? error.message : String(error)})`, `export it with: ${ROW_COUNTS_SQL}`));
  }
  const parsed = rowCountsSchema.safeParse(raw);
  if (!parsed.success) {
    return err(userError('INPUT_INVALID', `--row-counts: ${file} must be a JSON object of table name → row count`, '{ "users": 2000000, "orders": 15000000 }', parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)));
  }
  return ok(parsed.data);
}

/** `shipready migrations [path]`: list migrations in run order, lint them, and optionally rehearse them. */
export const migrationsCommand: Command = {
  name: 'migrations',
  summary: 'find, lint and (with --rehearse) rehearse database migrations on a real Postgres',
  usage: [
    'Usage: shipready migrations [path] [options]',
    '',
    'Lists the migrations found (Prisma, Drizzle, node-pg-migrate, Knex, dbmate, Supabase, Flyway, golang-migrate,',
    'TypeORM, plain SQL folders) in run order with their transaction mode, and lints them with the Postgres parser.',
    '',
    'Migrations options:',
    '  --since REF            report only migrations added or changed since the git ref REF',
    '  --pg-version N         Postgres major version to assume (default: from compose/CI files, else 16)',
    '  --run-js               executes your migration files\' up() with your installed knex/node-pg-migrate, in a',
    '                         child process, without a database connection, to lint the SQL their schema builders',
    '                         generate (TypeScript files with your installed typescript; --rehearse implies it)',
    '  --rehearse             apply every migration to a Postgres filled with synthetic rows and report locks,',
    '                         rewrites, durations and whether down migrations restore the schema; runs JS',
    '                         migrations as --run-js does',
    '  --database-url URL     rehearse on this server (a scratch database is created and dropped); default: embedded PGlite',
    `  --rows N               rows per table for the rehearsal (default ${DEFAULT_REHEARSAL_ROWS.toLocaleString('en-US')})`,
    '  --row-counts FILE      production row counts as JSON { "table": rows }; export them with:',
    `                         ${ROW_COUNTS_SQL}`,
  ].join('\n'),
  options: {
    since: { type: 'string' },
    'pg-version': { type: 'string' },
    rehearse: { type: 'boolean' },
    'run-js': { type: 'boolean' },
    'database-url': { type: 'string' },
    rows: { type: 'string' },
    'row-counts': { type: 'string' },
  },
  async run({ positionals, values, common, io }) {
    if (positionals.length > 1) return err(userError('USAGE', `migrations takes one path, got ${positionals.length}`, 'run `shipready migrations --help`'));
    const target = positionals[0] ?? '.';
    const root = path.resolve(io.cwd, target);
    const rehearse = booleanOption(values, 'rehearse');
    for (const flag of ['database-url', 'rows', 'row-counts']) {
      if (!rehearse && stringOption(values, flag) !== undefined) return err(userError('USAGE', `--${flag} only applies with --rehearse`, `add --rehearse, or drop --${flag}`));
    }
    const rawVersion = stringOption(values, 'pg-version');
    let pgVersion: number | undefined;
    if (rawVersion !== undefined) {
      if (!/^\d{1,2}$/.test(rawVersion) || Number(rawVersion) < 9 || Number(rawVersion) > 19) {
        return err(userError('USAGE', `--pg-version: "${rawVersion}" is not a Postgres major version`, 'e.g. --pg-version 16'));
      }
      pgVersion = Number(rawVersion);
    }
    const rawRows = stringOption(values, 'rows');
    const rows = rawRows === undefined ? undefined : parseCount(rawRows, '--rows');
    if (rows !== undefined && !rows.ok) return rows;
    const rowCountsFile = stringOption(values, 'row-counts');
    const rowCounts = rowCountsFile === undefined ? undefined : readRowCounts(path.resolve(io.cwd, rowCountsFile));
    if (rowCounts !== undefined && !rowCounts.ok) return rowCounts;
    const migrationRules = migrationKnownRules();
    const others = otherCommandRules();
    const known = knownRulesOf(scanRules, {
      ids: [...migrationRules.ids, ...others.ids.filter((id) => !migrationRules.ids.includes(id))],
      validateOptions: (ruleId, raw) => (migrationRules.ids.includes(ruleId) ? migrationRules.validateOptions(ruleId, raw) : others.validateOptions(ruleId, raw)),
    });
    const config = loadConfig(root, common.config === undefined ? undefined : path.resolve(io.cwd, common.config), known);
    if (!config.ok) return config;
    const since = stringOption(values, 'since');
    const linted = await lintMigrations(root, {
      ...(pgVersion === undefined ? {} : { pgVersion }),
      ...(since === undefined ? {} : { since }),
      settings: config.value.rules,
      docsBaseUrl: DOCS_BASE_URL,
      // Running the project's migration code is opt-in: --run-js, or --rehearse (which needs their SQL).
      runJs: rehearse || booleanOption(values, 'run-js'),
      ...(io.progress === undefined ? {} : { capture: { onProgress: io.progress } }),
    });
    if (!linted.ok) return linted;
    let findings = [...linted.value.findings];
    const rules = [...linted.value.rules];
    const applied = new Set(linted.value.applied);
    const notes = [...linted.value.notes];
    const sections = [...linted.value.sections];
    const stats: Record<string, number> = { ...linted.value.stats };
    if (rehearse) {
      const databaseUrl = stringOption(values, 'database-url');
      const rehearsal = await rehearseMigrations(linted.value.sets, {
        ...(databaseUrl === undefined ? {} : { databaseUrl }),
        ...(rows === undefined ? {} : { rows: rows.value }),
        ...(rowCounts === undefined ? {} : { rowCounts: rowCounts.value }),
        settings: config.value.rules,
        docsBaseUrl: DOCS_BASE_URL,
        ...(io.progress === undefined ? {} : { onProgress: io.progress }),
      });
      if (!rehearsal.ok) return rehearsal;
      findings.push(...rehearsal.value.findings);
      rules.push(...rehearsal.value.rules);
      for (const id of rehearsal.value.applied) applied.add(id);
      notes.push(...rehearsal.value.notes);
      sections.push(...rehearsal.value.sections);
      Object.assign(stats, rehearsal.value.stats);
    }
    if (common.baseline !== undefined) {
      const baseline = readBaseline(path.resolve(io.cwd, common.baseline));
      if (!baseline.ok) return err(baseline.error);
      findings = applyBaseline(findings, baseline.value);
    }
    findings.sort(compareFindings);
    rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const report = buildReport({
      command: 'migrations',
      target,
      version: VERSION,
      findings,
      rules,
      applied,
      attestations: config.value.attest,
      ...(config.value.maxAgeDays === undefined ? {} : { maxAgeDays: config.value.maxAgeDays }),
      now: io.now(),
      failOn: common.failOn ?? config.value.failOn ?? 'high',
      sections,
      notes,
      stats,
    });
    return ok({ kind: 'report', report });
  },
};
