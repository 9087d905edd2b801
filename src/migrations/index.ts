import * as path from 'node:path';
import type { RuleSetting } from '../core/engine.js';
import type { Finding, Note, ReportSection, RuleMeta } from '../core/report.js';
import { err, ok, type Result, type UserError } from '../core/result.js';
import { captureMigrations, type CaptureOptions } from './capture/index.js';
import { discoverMigrations } from './discover.js';
import type { PgVersion } from './lint/context.js';
import { lintSets } from './lint/index.js';
import { detectPgVersion } from './pg-version.js';
import { DIALECT_LABELS, isPostgresSet } from './dialect.js';
import { decidePending } from './pending.js';
import type { MigrationSet, TransactionMode } from './types.js';
import type { GitEnvironment, GitRepository, GitUnavailable } from '../project/git.js';

export type { Framework, Migration, MigrationSet, SqlDialect, SqlSource, TransactionMode } from './types.js';
export { decidePending, type PendingDecision } from './pending.js';
export { isPostgresSet } from './dialect.js';
export type { PgVersion } from './lint/context.js';
import { MIGRATION_RULES } from './lint/registry.js';
import { REHEARSAL_RULES } from './rehearse/rules.js';

export { MIGRATION_RULES } from './lint/registry.js';
export { REHEARSAL_RULES } from './rehearse/rules.js';

export interface MigrationOptions {
  /** Root-relative paths to consider instead of walking the tree. */
  readonly files?: readonly string[];
  /** Postgres major version; detected from compose/CI files when absent, else 16. */
  readonly pgVersion?: number;
  /**
   * The base that decides which migrations are pending (added or changed since it): a git ref. Without it, the
   * pull/merge request base CI names, else the merge-base with the default branch (see `decidePending`).
   */
  readonly since?: string;
  /** The environment of the run, for git and CI's pull-request variables (the CLI passes `process.env`). */
  readonly env?: GitEnvironment;
  /** The repository already opened for this root (a Project's), so git is not asked again what the scan knows. */
  readonly git?: () => Result<GitRepository, GitUnavailable>;
  /**
   * Report every migration's findings one by one, applied ones too (`--all-migrations`). By default only pending
   * migrations are, and the applied history gets at most one `low` finding per rule.
   */
  readonly allMigrations?: boolean;
  /** The runner or config already sets lock_timeout/statement_timeout. */
  readonly timeoutsSetByRunner?: boolean;
  readonly settings?: ReadonlyMap<string, RuleSetting>;
  readonly docsBaseUrl?: string;
  /**
   * Run JS migrations that build SQL with Knex / node-pg-migrate / TypeORM schema builders (their `up` and
   * `down`, with the project's installed library, one child process per file; Knex and node-pg-migrate
   * without a database, TypeORM against a scratch embedded Postgres on a private Unix socket) and lint the SQL they
   * generate. This executes the project's code: only on the user's explicit request
   * (`--run-js`, `--rehearse`), never from `scan`.
   */
  readonly runJs?: boolean;
  /** Capture settings (timeout, runner path; tests: library fallback) when `runJs` is set. */
  readonly capture?: Omit<CaptureOptions, 'root'>;
}

export interface MigrationLintResult {
  readonly sets: MigrationSet[];
  readonly findings: Finding[];
  readonly rules: RuleMeta[];
  /** Ids of the rules that applied (their silence is evidence of a pass). */
  readonly applied: ReadonlySet<string>;
  /**
   * `Migration.path` of the pending migrations (added or changed since the base, or not committed); every other
   * migration is applied history. Empty when git cannot tell. The rehearsal can use it to rehearse only these.
   */
  readonly pending: ReadonlySet<string>;
  /** Which base decided what is pending, and why (the same line the report shows). */
  readonly pendingExplanation: string;
  /** False when git could not tell what is pending (no repository, git missing): `pending` is then empty. */
  readonly pendingFromGit: boolean;
  readonly notes: Note[];
  readonly pgVersion: PgVersion;
  /** The listing in run order, for every reporter. */
  readonly sections: ReportSection[];
  readonly stats: Record<string, number>;
}

const MODE_TEXT: Record<TransactionMode, string> = {
  'per-file': 'one transaction per file',
  'per-file-implicit': 'one implicit transaction per file',
  'per-run': 'one transaction per run',
  none: 'no transaction',
};

/** Which migrations are pending, for the listing. */
export interface ListingPending {
  readonly pending: ReadonlySet<string>;
  readonly explanation: string;
}

/**
 * Human-readable listing of the sets in run order, with framework, transaction mode, and whether each migration is
 * pending or applied.
 *
 * @example listingSection(sets, { major: 16, source: 'default' }, { pending: new Set(), explanation: 'HEAD is on main' })
 */
export function listingSection(sets: readonly MigrationSet[], pgVersion: PgVersion, pending?: ListingPending): ReportSection {
  const lines: string[] = [`PostgreSQL ${pgVersion.major} assumed (${pgVersion.source})`];
  const linted = sets.filter(isPostgresSet).flatMap((set) => set.migrations);
  if (pending !== undefined && linted.length > 0) {
    lines.push(`${linted.filter((migration) => pending.pending.has(migration.path)).length} of ${linted.length} migration(s) pending: ${pending.explanation}`);
  }
  if (sets.length === 0) lines.push('no migrations found');
  for (const set of sets) {
    const dialect = isPostgresSet(set) || set.dialect === undefined ? '' : `, ${DIALECT_LABELS[set.dialect.name]} (${set.dialect.evidence}): not linted`;
    lines.push(`${set.dir} — ${set.framework}, ${set.migrations.length} migration(s), ${MODE_TEXT[set.transaction]}${set.hasDowns ? ', with down migrations' : ''}${dialect}`);
    set.migrations.forEach((migration, index) => {
      const modeNote = migration.transaction === set.transaction ? '' : ` [${MODE_TEXT[migration.transaction]}: ${migration.transactionReason}]`;
      const code =
        migration.language === 'sql'
          ? ''
          : migration.captured === true
            ? ` (${migration.language}: SQL captured by running it)`
            : migration.up !== undefined
            ? ` (${migration.language}: SQL read from its string literals)`
            : ` (${migration.language}: not linted${migration.unconvertedCalls === undefined ? '' : `, ${migration.unconvertedCalls} schema-builder call(s)`})`;
      const state = pending === undefined || !isPostgresSet(set) ? '' : pending.pending.has(migration.path) ? '  [pending]' : '  [applied]';
      lines.push(`  ${String(index + 1).padStart(3)}. ${migration.id}  ${migration.path}${code}${modeNote}${state}`);
    });
  }
  return {
    id: 'migrations',
    title: 'Migrations (in run order)',
    // The listing is what the command is first asked for, so it prints before the checklist.
    placement: 'top',
    lines,
    data: sets.map((set) => ({
      framework: set.framework,
      dir: set.dir,
      transaction: set.transaction,
      ...(set.dialect === undefined ? {} : { dialect: set.dialect.name, dialectEvidence: set.dialect.evidence }),
      linted: isPostgresSet(set),
      migrations: set.migrations.map((migration) => ({
        id: migration.id,
        path: migration.path,
        language: migration.language,
        transaction: migration.transaction,
        down: migration.down?.path,
        ...(pending === undefined ? {} : { pending: pending.pending.has(migration.path) }),
      })),
    })),
  };
}

/**
 * Finds the migrations under `root`, in the order their frameworks apply them.
 *
 * @example
 * const sets = listMigrations('.');
 * if (sets.ok) sets.value.forEach((set) => console.log(set.framework, set.dir));
 */
export function listMigrations(root: string, options: Pick<MigrationOptions, 'files'> & { readonly notes?: Note[] } = {}): Result<MigrationSet[], UserError> {
  return discoverMigrations(root, { ...(options.files === undefined ? {} : { files: options.files }), ...(options.notes === undefined ? {} : { notes: options.notes }) });
}

/**
 * Finds and lints the migrations under `root` with the Postgres parser.
 *
 * @example
 * const result = await lintMigrations('.', { pgVersion: 16, since: 'origin/main', env: process.env });
 * if (result.ok) console.log(result.value.findings.length, [...result.value.pending]);
 */
export async function lintMigrations(root: string, options: MigrationOptions = {}): Promise<Result<MigrationLintResult, UserError>> {
  const discoveryNotes: Note[] = [];
  const listed = listMigrations(root, { ...(options.files === undefined ? {} : { files: options.files }), notes: discoveryNotes });
  if (!listed.ok) return listed;
  const captureNotes: Note[] = [];
  const captureStats: Record<string, number> = {};
  let sets = listed.value;
  if (options.runJs === true) {
    const captured = await captureMigrations(sets, { ...options.capture, root: path.resolve(root) });
    captureNotes.push(...captured.notes);
    captureStats['capturedMigrations'] = captured.captured;
    sets = captured.sets;
  }
  const decision = decidePending(root, sets, { ...(options.since === undefined ? {} : { since: options.since }), ...(options.env === undefined ? {} : { env: options.env }), ...(options.git === undefined ? {} : { git: options.git }), datesOfApplied: options.allMigrations !== true });
  if (!decision.ok) return err(decision.error);
  const { pending, explanation, fromGit } = decision.value;
  const allMigrations = options.allMigrations === true;
  const pgVersion: PgVersion = options.pgVersion === undefined ? detectPgVersion(root) : { major: options.pgVersion, source: '--pg-version' };
  const linted = sets.filter(isPostgresSet).flatMap((set) => set.migrations);
  const outcome = await lintSets(sets, {
    pgVersion,
    ...(options.timeoutsSetByRunner === undefined ? {} : { timeoutsSetByRunner: options.timeoutsSetByRunner }),
    ...(options.settings === undefined ? {} : { settings: options.settings }),
    ...(options.docsBaseUrl === undefined ? {} : { docsBaseUrl: options.docsBaseUrl }),
    ...(allMigrations
      ? {}
      : {
          history: {
            pending: new Set(linted.filter((migration) => pending.has(migration.path)).map((migration) => migration.up?.path ?? migration.path)),
            explanation,
            ...(decision.value.dates === undefined ? {} : { dates: decision.value.dates }),
          },
        }),
  });
  const migrationCount = sets.reduce((sum, set) => sum + set.migrations.length, 0);
  const pendingCount = linted.filter((migration) => pending.has(migration.path)).length;
  const notes = [...discoveryNotes, ...captureNotes, ...outcome.notes];
  if (linted.length > 0) notes.push({ kind: 'info', message: pendingNote(pendingCount, linted.length, explanation, fromGit, allMigrations) });
  return ok({
    sets,
    findings: outcome.findings,
    // With no migrations the rules did not apply: the checklist item stays unknown rather than passing.
    rules: linted.length === 0 ? [] : outcome.rules,
    applied: linted.length === 0 ? new Set<string>() : outcome.applied,
    pending,
    pendingExplanation: explanation,
    pendingFromGit: fromGit,
    notes,
    pgVersion,
    sections: [listingSection(sets, pgVersion, { pending, explanation })],
    stats: {
      ...captureStats,
      migrationSets: sets.length,
      migrations: migrationCount,
      pendingMigrations: pendingCount,
      statements: outcome.project.files.reduce((sum, file) => sum + file.statements.length, 0),
    },
  });
}

/** The note that says what is pending and why, and what happened to the findings of the rest. */
function pendingNote(pendingCount: number, total: number, explanation: string, fromGit: boolean, allMigrations: boolean): string {
  const base = fromGit ? `${pendingCount} of ${total} migration(s) pending (${explanation})` : explanation;
  if (allMigrations) return `${base}; --all-migrations: the findings of every migration are reported one by one`;
  if (!fromGit) return `${base}: their findings are summarised as at most one low finding per rule; pass --all-migrations to report each one`;
  if (pendingCount === total) return `${base}: every migration is reported in full`;
  return `${base}: pending migrations are reported in full; the findings of the ${total - pendingCount} applied one(s) are summarised as at most one low finding per rule (--all-migrations reports each one)`;
}

/** What `scan` merges into its report from the migration linter. */
export interface ProjectMigrations {
  readonly findings: Finding[];
  readonly rules: RuleMeta[];
  readonly applied: ReadonlySet<string>;
  readonly notes: Note[];
}

/**
 * What `shipready scan` merges into its report: migration lint findings, the rules that ran, which of
 * them applied, and notes. A repository without migrations contributes nothing; a discovery problem
 * becomes a note instead of failing the scan. Only a bad `since` (unknown ref, or no git) is an error.
 *
 * @example
 * const migrations = await lintProjectMigrations(root, { env, since: 'origin/main' });
 * if (migrations.ok) buildReport({ ...scanInputs, findings: [...scanFindings, ...migrations.value.findings], … });
 */
export async function lintProjectMigrations(root: string, options: MigrationOptions = {}): Promise<Result<ProjectMigrations, UserError>> {
  // `scan` must never execute the project's code, whatever the caller passes.
  const result = await lintMigrations(root, { ...options, runJs: false });
  if (!result.ok) {
    if (options.since !== undefined && result.error.code === 'USAGE') return result;
    return ok({ findings: [], rules: [], applied: new Set(), notes: [{ kind: 'info', message: `migrations not linted: ${result.error.message}` }] });
  }
  const { findings, rules, applied, notes } = result.value;
  return ok({ findings, rules, applied, notes });
}

/**
 * Migration rule ids and option validators, so a config file naming `migrations/*` rules validates the
 * same in every command (add to `src/cli/known-rules.ts`).
 *
 * @example otherCommandRules() // registries: [migrationKnownRules()]
 */
export function migrationKnownRules(): { ids: string[]; validateOptions(ruleId: string, raw: unknown): readonly string[] } {
  const all = [...MIGRATION_RULES, ...REHEARSAL_RULES];
  return {
    ids: all.map((rule) => rule.id),
    validateOptions(ruleId, raw) {
      return all.find((rule) => rule.id === ruleId)?.validateOptions(raw) ?? [];
    },
  };
}

export { captureMigrations, DEFAULT_CAPTURE_TIMEOUT_MS, type CaptureOptions, type CaptureOutcome } from './capture/index.js';
// The rehearsal itself (PGlite, pg) loads only when rehearseMigrations is called: scan never loads it.
export { rehearseMigrations } from './rehearse/lazy.js';
export { ROW_COUNTS_SQL, DEFAULT_REHEARSAL_ROWS } from './rehearse/defaults.js';
export type { RehearseOptions, RehearsalResult } from './rehearse/index.js';
