import { runRules, type RuleSetting, type SourceText } from '../../core/engine.js';
import type { Finding, Note, RuleMeta } from '../../core/report.js';
import { DIALECT_LABELS, isPostgresSet } from '../dialect.js';
import { ensureParser, parseSql, type StatementIgnores } from '../sql/parse.js';
import { isCapturedFramework, type MigrationSet } from '../types.js';
import { annotate, type LintedFile, type MigrationProject, type PgVersion } from './context.js';
import { type HistoryOptions, summariseHistory } from './history.js';
import { MIGRATION_RULES } from './registry.js';
import { SchemaModel } from './schema.js';
import { DOCS_BASE_URL } from '../../core/meta.js';

export type { HistoryOptions } from './history.js';

export interface LintSetsOptions {
  readonly pgVersion: PgVersion;
  /** The runner or config sets lock_timeout and statement_timeout: the timeout rules stay quiet. */
  readonly timeoutsSetByRunner?: boolean;
  /** Rule settings from config (enable style rules, change severities). */
  readonly settings?: ReadonlyMap<string, RuleSetting>;
  readonly docsBaseUrl?: string;
  /**
   * Which migrations are pending. Findings in pending migrations are kept as they are; those of the applied
   * history fold into at most one `low` finding per rule (message id `history`). Absent: every migration is
   * reported in full (`--all-migrations`). Every file is read either way, so rules that need history stay right.
   */
  readonly history?: HistoryOptions;
}

export interface LintOutcome {
  readonly findings: Finding[];
  readonly rules: RuleMeta[];
  readonly applied: ReadonlySet<string>;
  readonly notes: Note[];
  readonly project: MigrationProject;
}

/** The statement spanning `line`, by binary search over the statements (they are in file order). */
function statementAtLine(file: LintedFile, line: number): LintedFile['statements'][number] | undefined {
  let low = 0;
  let high = file.statements.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const entry = file.statements[middle];
    if (entry === undefined) return undefined;
    if (line < entry.statement.startPosition.line) high = middle - 1;
    else if (line > entry.statement.endPosition.line) low = middle + 1;
    else return entry;
  }
  return undefined;
}

function suppressionFor(finding: Finding, files: ReadonlyMap<string, LintedFile>): Finding['suppression'] {
  const location = finding.location;
  if (location?.kind !== 'file' || location.line === undefined) return undefined;
  const file = files.get(location.path);
  if (file === undefined) return undefined;
  const line = location.line;
  const statement = statementAtLine(file, line);
  const squawkName = finding.ruleId.replace(/^migrations\//, '');
  const check = (ignores: StatementIgnores): string | undefined => {
    const own = ignores.shipready.get(finding.ruleId);
    if (own !== undefined) return own;
    if (ignores.squawk.has(squawkName) || ignores.squawk.has('*')) return 'squawk-ignore comment';
    return undefined;
  };
  const reason = (statement === undefined ? undefined : check(statement.statement.ignores)) ?? check(file.parsed.fileIgnores);
  if (reason === undefined) return undefined;
  return { kind: 'inline', reason, path: location.path, line: statement?.statement.startPosition.line ?? line };
}

/**
 * Parses every SQL up migration of the PostgreSQL sets with the Postgres parser (sets for other databases get a
 * note), replays each set's schema, runs the migration rules through the shared engine (fingerprints, redaction,
 * order), applies `-- squawk-ignore` / `-- shipready-ignore` comments, and with `history` folds the findings of
 * applied migrations into one low finding per rule.
 *
 * @example
 * const outcome = await lintSets(sets, { pgVersion: { major: 16, source: 'default' } });
 * outcome.findings.map((finding) => finding.ruleId);
 */
export async function lintSets(sets: readonly MigrationSet[], options: LintSetsOptions): Promise<LintOutcome> {
  // Most scanned repositories have no migrations: they never load the parser.
  if (sets.some((set) => set.migrations.length > 0)) await ensureParser();
  const files: LintedFile[] = [];
  const schemas: Array<{ set: MigrationSet; schema: SchemaModel }> = [];
  const notes: Note[] = [];
  const texts = new Map<string, string>();
  /** Files whose findings are reported one by one: parse errors in the applied history are summarised instead. */
  const isReported = (path: string): boolean => options.history === undefined || options.history.pending.has(path);
  for (const set of sets) {
    if (!isPostgresSet(set)) {
      const dialect = set.dialect === undefined ? 'another database' : DIALECT_LABELS[set.dialect.name];
      notes.push({
        kind: 'skipped-file',
        path: set.dir,
        message: `${set.migrations.length} ${set.framework} migration(s) in ${set.dir} are written for ${dialect} (${set.dialect?.evidence ?? ''}): not linted, since shipready lints PostgreSQL migrations only`,
      });
      continue;
    }
    if (set.missing !== undefined) {
      notes.push({
        kind: 'skipped-file',
        path: set.dir,
        message: `${set.framework} lists ${set.missing.length} migration(s) in ${set.dir} whose file does not exist or cannot be read (${set.missing.join(', ')}): the framework fails when it reaches them`,
      });
    }
    const unparsed = set.migrations.filter((migration) => migration.up === undefined);
    if (unparsed.length > 0) {
      notes.push({
        kind: 'skipped-file',
        path: set.dir,
        message: isCapturedFramework(set.framework)
          ? `${unparsed.length} ${set.framework} migration(s) in ${set.dir} build their SQL with schema-builder calls at run time: listed but not linted (without --run-js only SQL passed as string literals is read; with --run-js or --rehearse, see the notes on running them)`
          : `${unparsed.length} ${set.framework} migration(s) in ${set.dir} build their SQL with ${set.framework} builder calls at run time: listed but not linted (shipready reads the SQL they pass as string literals, but cannot run ${set.framework} migrations to capture the rest)`,
      });
    }
    const fromCode = set.migrations.filter((migration) => migration.language !== 'sql' && migration.up !== undefined && migration.captured !== true);
    if (fromCode.length > 0) {
      notes.push({ kind: 'info', path: set.dir, message: `${fromCode.length} ${set.framework} migration(s) in ${set.dir} linted from the SQL string literals they pass to query/raw/sql/addSql (or a sql\`…\` template)` });
    }
    // The schema is replayed across the set's migrations in run order (DROP and RENAME included).
    const schema = new SchemaModel();
    for (const migration of set.migrations) {
      if (migration.up === undefined) continue;
      const parsed = parseSql(migration.up);
      texts.set(migration.up.path, migration.up.text);
      if (parsed.syntaxError !== undefined && isReported(migration.up.path)) {
        notes.push({ kind: 'parse-error', path: migration.up.path, message: `line ${parsed.syntaxError.position.line}: ${parsed.syntaxError.message}` });
      }
      files.push(annotate(set, migration, parsed, schema));
    }
    schemas.push({ set, schema });
  }
  const enabledRules = new Set(MIGRATION_RULES.filter((rule) => options.settings?.get(rule.id)?.enabled ?? rule.enabledByDefault ?? true).map((rule) => rule.id));
  const project: MigrationProject = { files, pgVersion: options.pgVersion, timeoutsSetByRunner: options.timeoutsSetByRunner ?? false, schemas, enabledRules };
  const sources: SourceText = { text: (path) => texts.get(path) };
  // An applied migration's findings are folded into a summary that quotes only the newest one, which
  // summariseHistory builds from `sources` itself: snippets (and the whole-file secret scan they need) of the
  // other applied files would be thrown away, and on a long history they cost more than the rules.
  const ruleSources: SourceText = options.history === undefined ? sources : { text: (path) => (isReported(path) ? texts.get(path) : undefined) };
  const docsBaseUrl = options.docsBaseUrl ?? DOCS_BASE_URL;
  const outcome = await runRules(MIGRATION_RULES, project, ruleSources, {
    docsBaseUrl,
    ...(options.settings === undefined ? {} : { settings: options.settings }),
  });
  const byPath = new Map(files.map((file) => [file.parsed.source.path, file]));
  const findings = outcome.findings.map((finding) => {
    const suppression = suppressionFor(finding, byPath);
    return suppression === undefined ? finding : { ...finding, suppression };
  });
  let summarised = findings;
  if (options.history !== undefined) {
    const { dates, ...history } = options.history;
    const settledDates = dates === undefined ? undefined : await dates;
    summarised = summariseHistory(findings, { ...history, ...(settledDates === undefined ? {} : { dates: settledDates }), rules: MIGRATION_RULES, files, sources, docsBaseUrl, ...(options.settings === undefined ? {} : { settings: options.settings }) });
  }
  return {
    findings: summarised,
    rules: outcome.rules,
    applied: outcome.applied,
    notes: [...notes, ...outcome.notes],
    project,
  };
}
