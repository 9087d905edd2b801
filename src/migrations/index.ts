import * as path from 'node:path';
import type { RuleSetting } from '../core/engine.js';
import type { Finding, Note, ReportSection, RuleMeta } from '../core/report.js';
import { err, ok, type Result, type UserError } from '../core/result.js';
import { captureMigrations, type CaptureOptions } from './capture/index.js';
import { discoverMigrations } from './discover.js';
import type { PgVersion } from './lint/context.js';
import { lintSets } from './lint/index.js';
import { detectPgVersion } from './pg-version.js';
import { changedSince } from './since.js';
import type { MigrationSet, TransactionMode } from './types.js';
import type { GitEnvironment } from '../project/git.js';

export type { Framework, Migration, MigrationSet, SqlSource, TransactionMode } from './types.js';
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
  /** Lint only migrations added or changed since this git ref. */
  readonly since?: string;
  /** The environment of the run, for git and CI's pull-request variables (the CLI passes `process.env`). */
  readonly env?: GitEnvironment;
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
  readonly applied: ReadonlySet<string>;
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

/** Human-readable listing of the sets in run order, with framework and transaction mode. */
export function listingSection(sets: readonly MigrationSet[], pgVersion: PgVersion): ReportSection {
  const lines: string[] = [`PostgreSQL ${pgVersion.major} assumed (${pgVersion.source})`];
  if (sets.length === 0) lines.push('no migrations found');
  for (const set of sets) {
    lines.push(`${set.dir} — ${set.framework}, ${set.migrations.length} migration(s), ${MODE_TEXT[set.transaction]}${set.hasDowns ? ', with down migrations' : ''}`);
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
      lines.push(`  ${String(index + 1).padStart(3)}. ${migration.id}  ${migration.path}${code}${modeNote}`);
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
      migrations: set.migrations.map((migration) => ({ id: migration.id, path: migration.path, language: migration.language, transaction: migration.transaction, down: migration.down?.path })),
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
 * const result = await lintMigrations('.', { pgVersion: 16, since: 'origin/main' });
 * if (result.ok) console.log(result.value.findings.length);
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
  let onlyPaths: Set<string> | undefined;
  if (options.since !== undefined) {
    const changed = changedSince(root, options.since, sets.flatMap((set) => set.migrations.flatMap((migration) => [migration.path, ...(migration.down === undefined ? [] : [migration.down.path])])), options.env);
    if (!changed.ok) return err(changed.error);
    onlyPaths = changed.value;
  }
  const pgVersion: PgVersion = options.pgVersion === undefined ? detectPgVersion(root) : { major: options.pgVersion, source: '--pg-version' };
  const outcome = await lintSets(sets, {
    pgVersion,
    ...(options.timeoutsSetByRunner === undefined ? {} : { timeoutsSetByRunner: options.timeoutsSetByRunner }),
    ...(options.settings === undefined ? {} : { settings: options.settings }),
    ...(options.docsBaseUrl === undefined ? {} : { docsBaseUrl: options.docsBaseUrl }),
    ...(onlyPaths === undefined ? {} : { onlyPaths }),
  });
  const migrationCount = sets.reduce((sum, set) => sum + set.migrations.length, 0);
  const notes = [...discoveryNotes, ...captureNotes, ...outcome.notes];
  if (options.since !== undefined) {
    const changedCount = sets.flatMap((set) => set.migrations).filter((migration) => onlyPaths?.has(migration.path) === true).length;
    notes.push({ kind: 'info', message: `--since ${options.since}: ${changedCount} of ${migrationCount} migration(s) added or changed; findings in the others are history and not reported` });
  }
  return ok({
    sets,
    findings: outcome.findings,
    // With no migrations the rules did not apply: the checklist item stays unknown rather than passing.
    rules: sets.length === 0 ? [] : outcome.rules,
    applied: sets.length === 0 ? new Set<string>() : outcome.applied,
    notes,
    pgVersion,
    sections: [listingSection(sets, pgVersion)],
    stats: { ...captureStats, migrationSets: sets.length, migrations: migrationCount, statements: outcome.project.files.reduce((sum, file) => sum + file.statements.length, 0) },
  });
}

/**
 * What `shipready scan` merges into its report: migration lint findings, the rules that ran, which of
 * them applied, and notes. A repository without migrations contributes nothing; a discovery problem
 * becomes a note instead of failing the scan.
 *
 * @example
 * const migrations = await lintProjectMigrations(root);
 * buildReport({ ...scanInputs, findings: [...scanFindings, ...migrations.findings], … });
 */
export async function lintProjectMigrations(
  root: string,
  options: MigrationOptions = {},
): Promise<{ findings: Finding[]; rules: RuleMeta[]; applied: ReadonlySet<string>; notes: Note[] }> {
  // `scan` must never execute the project's code, whatever the caller passes.
  const result = await lintMigrations(root, { ...options, runJs: false });
  if (!result.ok) return { findings: [], rules: [], applied: new Set(), notes: [{ kind: 'info', message: `migrations not linted: ${result.error.message}` }] };
  const { findings, rules, applied, notes } = result.value;
  return { findings, rules, applied, notes };
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
export { rehearseMigrations, ROW_COUNTS_SQL, DEFAULT_REHEARSAL_ROWS, type RehearseOptions, type RehearsalResult } from './rehearse/index.js';
