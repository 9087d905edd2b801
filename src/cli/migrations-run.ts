import * as path from 'node:path';
import { z } from 'zod';
import { applyBaseline, readBaseline } from '../core/baseline.js';
import { loadConfigLazily } from '../core/config.js';
import { compareFindings } from '../core/engine.js';
import { DOCS_BASE_URL, VERSION } from '../core/meta.js';
import { err, ok, type Result, type UserError, userError } from '../core/result.js';
import { readInputFile } from '../core/safe-read.js';
import { buildReport } from '../core/verdict.js';
import { isPostgresSet, lintMigrations } from '../migrations/index.js';
import { GitRepository, type GitUnavailable } from '../project/git.js';
import { ROW_COUNTS_SQL } from '../migrations/rehearse/defaults.js';
import { booleanOption, type CommandInput, type CommandOutput, stringOption } from './command.js';
import { allKnownRules } from './known-rules.js';

const rowCountsSchema = z.record(z.string(), z.number().int().nonnegative());

/**
 * More rows than any rehearsal can fill in a sensible time on one machine (1,000,000 rows per table take
 * seconds; this takes hours): a larger figure is a typo, or meant for --row-counts, which extrapolates.
 */
const MAX_REHEARSAL_ROWS = 100_000_000;

function parseCount(raw: string, flag: string): Result<number, UserError> {
  const cleaned = raw.replace(/[_,]/g, '');
  if (!/^\d+$/.test(cleaned) || Number(cleaned) <= 0) return err(userError('USAGE', `${flag}: "${raw}" is not a positive whole number`, `e.g. ${flag} 100000`));
  if (Number(cleaned) > MAX_REHEARSAL_ROWS) {
    return err(userError('USAGE', `${flag}: ${raw} rows per table is more than a rehearsal can fill (at most ${MAX_REHEARSAL_ROWS.toLocaleString('en-US')})`, 'for production sizes pass --row-counts with --rows: durations are extrapolated to the production counts'));
  }
  return ok(Number(cleaned));
}

function readRowCounts(file: string): Result<Record<string, number>, UserError> {
  const text = readInputFile(file, { what: '--row-counts file', code: 'INPUT_INVALID', hint: `export it with: ${ROW_COUNTS_SQL}` });
  if (!text.ok) return text;
  let raw: unknown;
  try {
    raw = JSON.parse(text.value);
  } catch (error) {
    return err(userError('INPUT_INVALID', `--row-counts: cannot read ${file} as JSON (${error instanceof Error ? error.message : String(error)})`, `export it with: ${ROW_COUNTS_SQL}`));
  }
  const parsed = rowCountsSchema.safeParse(raw);
  if (!parsed.success) {
    return err(userError('INPUT_INVALID', `--row-counts: ${file} must be a JSON object of table name → row count`, '{ "users": 2000000, "orders": 15000000 }', parsed.error.issues.map((issue) => (issue.path.length === 0 ? issue.message : `${issue.path.join('.')}: ${issue.message}`))));
  }
  return ok(parsed.data);
}

/** The body of `shipready migrations`, loaded only when the command runs (see migrations.ts). */
export async function runMigrationsCommand({ positionals, values, common, io }: CommandInput): Promise<Result<CommandOutput, UserError>> {
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
  const config = await loadConfigLazily(root, common.config === undefined ? undefined : path.resolve(io.cwd, common.config), allKnownRules);
  if (!config.ok) return config;
  const since = stringOption(values, 'since');
  // Opened once (under the safe git configuration) for both the pending decision and the report's repositoryPath,
  // which SARIF, GitHub and GitLab paths need when a sub-folder of the repository is linted.
  let repository: Result<GitRepository, GitUnavailable> | undefined;
  const git = (): Result<GitRepository, GitUnavailable> => (repository ??= GitRepository.open(root, io.env));
  const linted = await lintMigrations(root, {
    git,
    ...(pgVersion === undefined ? {} : { pgVersion }),
    ...(since === undefined ? {} : { since }),
    ...(booleanOption(values, 'all-migrations') ? { allMigrations: true } : {}),
    env: io.env,
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
  const notes = [...(config.value.notes ?? []), ...linted.value.notes];
  const sections = [...linted.value.sections];
  const stats: Record<string, number> = { ...linted.value.stats };
  if (rehearse) {
    const databaseUrl = stringOption(values, 'database-url');
    // The rehearsal (PGlite, pg, data generation) loads only when asked for.
    const { rehearseMigrations } = await import('../migrations/rehearse/index.js');
    // Only PostgreSQL sets can be applied to PostgreSQL; the others were listed with a note.
    // History is context, pending migrations are the test; outside git nothing says what is pending, so all is.
    const pendingOnly = !booleanOption(values, 'all-migrations') && linted.value.pendingFromGit;
    if (!pendingOnly && !booleanOption(values, 'all-migrations')) notes.push({ kind: 'info', message: `every migration was rehearsed on filled tables: ${linted.value.pendingExplanation}, so none could be told apart as applied history` });
    const rehearsal = await rehearseMigrations(linted.value.sets.filter(isPostgresSet), {
      ...(pendingOnly ? { pending: linted.value.pending } : {}),
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
  const opened = git();
  const report = buildReport({
    command: 'migrations',
    target,
    ...(opened.ok ? { repositoryPath: opened.value.prefix } : {}),
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
}
