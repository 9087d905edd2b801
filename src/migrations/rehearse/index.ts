import { runRules, type RuleSetting } from '../../core/engine.js';
import type { Finding, Note, ReportSection, RuleMeta } from '../../core/report.js';
import { err, ok, type Result, type UserError } from '../../core/result.js';
import { DOCS_BASE_URL } from '../../core/meta.js';
import type { AlterTableCmd, TypeName } from 'libpg-query';
import { alterCommands, columnDefOf, relationKey } from '../sql/ast.js';
import { columnDeclarations, keepsEveryValue } from '../sql/column-types.js';
import { ensureParser, parseSql } from '../sql/parse.js';
import type { MigrationSet } from '../types.js';
import { removeTempDir } from '../../core/temp-dirs.js';
import { createPgliteTemplate, openPglite, openServer, type RehearsalDb } from './database.js';
import { listTableNames } from './fill.js';
import { platformSetup } from './platforms.js';
import { REHEARSAL_RULES } from './rules.js';
import { DEFAULT_REHEARSAL_ROWS, PRODUCTION_FILL_CAP, ROW_COUNTS_SQL } from './defaults.js';
import { formatMs, type MigrationRun, rehearseSets, timelineLines } from './run.js';

export { DEFAULT_REHEARSAL_ROWS, ROW_COUNTS_SQL } from './defaults.js';
export { REHEARSAL_RULES } from './rules.js';


export interface RehearseOptions {
  /** A server to rehearse on (a scratch database per migration set is created and dropped); PGlite when absent. */
  readonly databaseUrl?: string;
  /**
   * Rows per table (default 100,000). With `rowCounts`, also the most any table gets: tables named there
   * are filled with min(rows, production) and durations extrapolated to production. Leave it undefined
   * (not the default) to fill at the production counts.
   */
  readonly rows?: number;
  /** Production row counts by table (`table` in public, `schema.table` otherwise). */
  readonly rowCounts?: Readonly<Record<string, number>>;
  /** Lock holds at or above this many ms (estimated at production size) are findings; default 1000. */
  readonly blockingThresholdMs?: number;
  readonly settings?: ReadonlyMap<string, RuleSetting>;
  readonly docsBaseUrl?: string;
  readonly onProgress?: (line: string) => void;
  /**
   * `Migration.path` of the pending migrations: the rest is applied history, replayed on empty tables to build
   * the schema and never reported; the tables are filled once, before the first pending migration. Absent:
   * every migration is rehearsed on filled tables (`--all-migrations`).
   */
  readonly pending?: ReadonlySet<string>;
}

export interface RehearsalResult {
  readonly findings: Finding[];
  readonly rules: RuleMeta[];
  readonly applied: ReadonlySet<string>;
  readonly notes: Note[];
  readonly sections: ReportSection[];
  readonly stats: Record<string, number>;
  readonly runs: readonly MigrationRun[];
}

/**
 * Whether an ALTER … TYPE may lose values: yes unless the set declared the column's old type earlier and
 * the cast keeps every value (int → bigint, varchar widening…). A USING clause may compute anything.
 */
function typeChangeLosesData(command: AlterTableCmd, table: string, declared: ReadonlyMap<string, TypeName>): boolean {
  const column = columnDefOf(command.def);
  const previous = declared.get(`${table}.${command.name ?? ''}`);
  return column?.typeName === undefined || previous === undefined || column.raw_default !== undefined || !keepsEveryValue(previous, column.typeName);
}

/** Statements of up-only migrations that destroy data, since no down migration can be rehearsed. */
async function dataLossSection(sets: readonly MigrationSet[]): Promise<ReportSection | undefined> {
  await ensureParser();
  const lines: string[] = [];
  for (const set of sets) {
    if (set.hasDowns) continue;
    const declared = new Map<string, TypeName>();
    for (const migration of set.migrations) {
      if (migration.up === undefined) continue;
      for (const statement of parseSql(migration.up).statements) {
        const node = statement.node;
        const alter = alterCommands(node);
        const table = relationKey(alter?.relation);
        const loses =
          ('DropStmt' in node && ['OBJECT_TABLE', 'OBJECT_SCHEMA', 'OBJECT_MATVIEW'].includes(node.DropStmt.removeType ?? '')) ||
          // CASCADE drops the columns of that type, domain or extension's types, and their data with them.
          ('DropStmt' in node && node.DropStmt.behavior === 'DROP_CASCADE' && ['OBJECT_TYPE', 'OBJECT_DOMAIN', 'OBJECT_EXTENSION'].includes(node.DropStmt.removeType ?? '')) ||
          'TruncateStmt' in node ||
          'DeleteStmt' in node ||
          'DropdbStmt' in node ||
          (alter?.commands.some((command) => command.subtype === 'AT_DropColumn' || (command.subtype === 'AT_AlterColumnType' && typeChangeLosesData(command, table, declared))) ?? false);
        for (const column of columnDeclarations(node, alter)) declared.set(`${column.table}.${column.column}`, column.typeName);
        if (!loses) continue;
        const flat = statement.text.replace(/\s+/g, ' ');
        lines.push(`${migration.path}:${statement.startPosition.line}  ${flat.length > 100 ? `${flat.slice(0, 99)}…` : flat}`);
      }
    }
  }
  if (lines.length === 0) return undefined;
  return { id: 'migrations-data-loss', title: 'Statements that lose or may lose data (no down migrations to rehearse)', lines };
}

/** The extensions a set's migrations create, so PGlite loads those it has. */
function createdExtensions(set: MigrationSet): string[] {
  const names = new Set<string>();
  for (const migration of set.migrations) {
    // rehearseSets parses every migration anyway; here only those that can create an extension are parsed.
    if (migration.up === undefined || !/create\s+extension/i.test(migration.up.text.slice(migration.up.start, migration.up.end))) continue;
    for (const { node } of parseSql(migration.up).statements) if ('CreateExtensionStmt' in node && node.CreateExtensionStmt.extname !== undefined) names.add(node.CreateExtensionStmt.extname);
  }
  return [...names];
}

/** The databases the rehearsal ran on (one per migration set), for the timeline's title. */
function databasesLabel(dbs: readonly RehearsalDb[]): string {
  const [first] = dbs;
  if (first === undefined) return 'no database';
  if (dbs.length === 1) return first.label;
  const scratch = dbs.flatMap((db) => (db.scratch === undefined ? [] : [db.scratch]));
  if (scratch.length === 0) return `${first.target}, a fresh instance per migration set (${dbs.length})`;
  return `${first.target} (scratch databases ${scratch.join(', ')}, one per migration set, dropped afterwards)`;
}

/** Names in `--row-counts` that match no table the rehearsal filled: most likely a typo or a missing schema prefix. */
function unknownTables(rowCounts: Readonly<Record<string, number>>, tableNames: ReadonlySet<string>): string[] {
  return Object.keys(rowCounts).filter((name) => !tableNames.has(name) && !tableNames.has(name.replace(/^public\./, ''))).sort();
}

/** Tables the fill could not fill stay empty, so what the migration does to rows goes unmeasured: say so. */
function unfilledNotes(runs: readonly MigrationRun[]): Note[] {
  const notes: Note[] = [];
  // Said once per table of a set: the fill retries before each migration and fails the same way.
  const said = new Set<string>();
  for (const run of runs) {
    for (const fill of run.fills) {
      const key = `${run.set.dir}\u0000${fill.table}`;
      if (fill.error === undefined || said.has(key)) continue;
      said.add(key);
      notes.push({ kind: 'info', path: run.migration.path, message: `${fill.table} could not be filled with synthetic rows (first before ${run.migration.path}) and stays empty, so what migrations do to its rows is not measured: ${fill.error}` });
    }
  }
  return notes;
}

/** What happened to the applied history: how much of it built the schema, and where replaying it failed. */
function historyNotes(runs: readonly MigrationRun[], pending: ReadonlySet<string> | undefined): Note[] {
  if (pending === undefined) return [];
  const history = runs.filter((run) => run.history === true);
  const rehearsed = runs.length - history.length;
  const notes: Note[] = [];
  if (history.length > 0) {
    notes.push({ kind: 'info', message: `${history.length} applied migration(s) were replayed on empty tables to build the schema and are not reported (production already ran them); ${rehearsed === 0 ? 'no migration is pending, so nothing was rehearsed on filled tables' : `the tables were then filled and the ${rehearsed} pending one(s) rehearsed`}; --all-migrations rehearses every migration on filled tables` });
  }
  for (const run of history) {
    if (run.error === undefined) continue;
    notes.push({ kind: 'info', path: run.migration.path, message: `applied migration ${run.migration.path} fails when the history is replayed on ${run.error.statement === undefined ? 'the rehearsal database' : `line ${run.error.statement.startPosition.line}`}: ${run.error.message}; production ran it, so this is about replaying history from scratch (a fresh environment), and later migrations see the schema without it` });
  }
  return notes;
}

/** What the rehearsal could not do like the runner would, said once per migration. */
function cycleNotes(runs: readonly MigrationRun[]): Note[] {
  const notes: Note[] = [];
  for (const run of runs) {
    const skipped = run.reversibility?.skipped;
    if (skipped !== undefined && run.migration.down !== undefined) notes.push({ kind: 'info', path: run.migration.down.path, message: `${run.migration.down.path}: reversibility not rehearsed: ${skipped}` });
    // A statement that cannot run in a transaction committed what came before it: nothing is left to roll back.
    const applied = run.statements.filter((statement) => statement.skipped === undefined).length;
    if (run.error !== undefined && run.migration.transaction !== 'none' && run.rolledBack !== true && run.history !== true && applied > 0) {
      notes.push({ kind: 'info', path: run.migration.path, message: `${run.migration.path} failed after ${applied} statement(s) had been committed before a statement that cannot run in a transaction; later migrations run on a schema that has them` });
    }
  }
  return notes;
}

/**
 * Applies every migration to PGlite (or a scratch database on the server at `databaseUrl`) filled with
 * synthetic rows, a fresh database per migration set, and reports locks, rewrites, durations and
 * reversibility as findings and a timeline.
 *
 * @example
 * const sets = listMigrations('.');
 * if (sets.ok) {
 *   const rehearsal = await rehearseMigrations(sets.value, { rows: 100_000 });
 *   if (rehearsal.ok) console.log(rehearsal.value.sections[0]?.lines.join('\n'));
 * }
 */
export async function rehearseMigrations(sets: readonly MigrationSet[], options: RehearseOptions = {}): Promise<Result<RehearsalResult, UserError>> {
  await ensureParser();
  // Several sets in PGlite: initialise one data directory and copy it for each, rather than run initdb per set.
  let template: string | undefined;
  if (options.databaseUrl === undefined && sets.length > 1) {
    const made = await createPgliteTemplate();
    if (!made.ok) return err(made.error);
    template = made.value;
  }
  try {
    return await rehearseEach(sets, options, template);
  } finally {
    if (template !== undefined) removeTempDir(template);
  }
}

async function rehearseEach(sets: readonly MigrationSet[], options: RehearseOptions, template: string | undefined): Promise<Result<RehearsalResult, UserError>> {
  const rows = options.rows ?? DEFAULT_REHEARSAL_ROWS;
  const started = performance.now();
  const runs: MigrationRun[] = [];
  const opened: RehearsalDb[] = [];
  const platformNotes: Note[] = [];
  /** Every table and partition the sets created, to tell which `--row-counts` names match none. */
  const tableNames = new Set<string>();
  // Each set is a separate database in production (services/auth and services/billing both create
  // `users`), so each gets a fresh one; one at a time, closed before the next opens, to bound memory
  // and disk to one set's data. With no set at all a server is still opened once, so a wrong
  // --database-url is reported rather than silently unused.
  for (const set of sets.length === 0 && options.databaseUrl !== undefined ? [undefined] : sets) {
    const open = options.databaseUrl === undefined ? await openPglite(undefined, set === undefined ? [] : createdExtensions(set), template) : await openServer(options.databaseUrl);
    if (!open.ok) return err(open.error);
    const db: RehearsalDb = open.value;
    opened.push(db);
    try {
      const platform = set === undefined ? undefined : platformSetup(set, options.databaseUrl === undefined);
      if (platform !== undefined) {
        try {
          await db.exec(platform.sql);
          platformNotes.push({ kind: 'info', path: set?.dir ?? '.', message: platform.note });
        } catch (error) {
          // A server too old or too locked down for the stand-ins: the migrations then say what is missing.
          platformNotes.push({ kind: 'info', path: set?.dir ?? '.', message: `${set?.dir ?? '.'}: could not create the Supabase platform stand-ins (${error instanceof Error ? error.message : String(error)})` });
        }
      }
      if (set !== undefined) {
        runs.push(
          ...(await rehearseSets(db, [set], {
            ...(options.rows === undefined ? {} : { rows: options.rows }),
            ...(options.rowCounts === undefined ? {} : { rowCounts: options.rowCounts }),
            ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
            ...(options.pending === undefined ? {} : { pending: options.pending }),
          })),
        );
        if (options.rowCounts !== undefined) for (const name of await listTableNames(db)) tableNames.add(name);
      }
    } finally {
      await db.close();
    }
  }
  const totalMs = performance.now() - started;
  const texts = new Map<string, string>();
  for (const set of sets) {
    for (const migration of set.migrations) {
      if (migration.up !== undefined) texts.set(migration.up.path, migration.up.text);
      if (migration.down !== undefined) texts.set(migration.down.path, migration.down.text);
    }
  }
  const rowsLabel =
    options.rowCounts === undefined
      ? `${rows.toLocaleString('en-US')} rows per table`
      : `the row counts from --row-counts, at most ${(options.rows ?? PRODUCTION_FILL_CAP).toLocaleString('en-US')} rows per table (durations extrapolated linearly to production size)`;
  const outcome = await runRules(
    REHEARSAL_RULES,
    { runs, blockingThresholdMs: options.blockingThresholdMs ?? 1000, rowsLabel },
    { text: (path) => texts.get(path) },
    { docsBaseUrl: options.docsBaseUrl ?? DOCS_BASE_URL, ...(options.settings === undefined ? {} : { settings: options.settings }) },
  );
  const notes: Note[] = [];
  const notRun = runs.filter((run) => run.notRun !== undefined);
  if (notRun.length > 0) notes.push({ kind: 'skipped-file', message: `${notRun.length} JS/TS migration(s) were not rehearsed: they build SQL with schema-builder calls and it could not be captured (a library not installed in the project, or running up() failed: see the other notes)` });
  // Postgres reports a full disk as a failed statement; say that the machine, not the migration, ran out.
  const diskFull = runs.find((run) => run.error !== undefined && /No space left on device|could not extend file/i.test(run.error.message));
  if (diskFull !== undefined && options.databaseUrl === undefined) {
    notes.push({ kind: 'info', path: diskFull.migration.path, message: `the rehearsal database ran out of disk space in ${diskFull.migration.path} (its failure says so): PGlite keeps its data in the temporary directory; set TMPDIR to a directory with more room, lower --rows, or rehearse on a server with --database-url` });
  }
  notes.push(...platformNotes, ...unfilledNotes(runs), ...cycleNotes(runs), ...historyNotes(runs, options.pending));
  if (options.rowCounts !== undefined && options.rows === undefined) {
    const capped = Object.entries(options.rowCounts).filter(([, count]) => count > PRODUCTION_FILL_CAP).map(([name]) => name);
    if (capped.length > 0) notes.push({ kind: 'info', message: `${capped.length} table(s) in --row-counts have more than ${PRODUCTION_FILL_CAP.toLocaleString('en-US')} rows (${capped.slice(0, 5).join(', ')}${capped.length > 5 ? ', …' : ''}): filled with ${PRODUCTION_FILL_CAP.toLocaleString('en-US')}, durations extrapolated to their counts; --rows N sets another limit` });
  }
  if (options.rowCounts !== undefined) {
    const unknown = unknownTables(options.rowCounts, tableNames);
    if (unknown.length > 0) notes.push({ kind: 'info', message: `--row-counts names ${unknown.length} table(s) no migration created or filled, so their counts were not used: ${unknown.join(', ')} (names are \`table\` in public, \`schema.table\` elsewhere)` });
  }
  for (const run of runs) {
    for (const statement of run.statements) {
      if (statement.skipped?.startsWith('extension ') === true) notes.push({ kind: 'info', path: run.migration.path, message: `${run.migration.path}:${statement.statement.startPosition.line}: skipped, ${statement.skipped}` });
    }
  }
  if (options.rowCounts === undefined && runs.length > 0) {
    notes.push({ kind: 'info', message: `rehearsed at ${rows.toLocaleString('en-US')} rows per table; for estimates at production size pass --row-counts FILE, exported with: ${ROW_COUNTS_SQL}` });
  }
  const timeline: ReportSection = {
    id: 'migrations-rehearsal',
    title: `Rehearsal on ${databasesLabel(opened)} — ${rowsLabel}, ${formatMs(totalMs)} in total`,
    lines: timelineLines(runs),
    data: runs.map((run) => ({
      path: run.migration.path,
      ms: run.ms,
      error: run.error?.message,
      ...(run.history === true ? { history: true } : {}),
      ...(run.blockedBy === undefined ? {} : { blockedBy: run.blockedBy }),
      ...(run.rolledBack === true ? { rolledBack: true } : {}),
      ...(run.hiddenLocks === undefined ? {} : { hiddenLocks: run.hiddenLocks }),
      statements: run.statements.map((statement) => ({
        line: statement.statement.startPosition.line,
        ms: statement.ms,
        estimatedMs: statement.estimatedMs,
        heldMs: statement.heldMs,
        locks: statement.locks,
        staticLocks: statement.staticLocks,
        rewritten: statement.rewritten,
        rebuiltIndexes: statement.rebuiltIndexes,
        rows: statement.rows,
      })),
      reversibility: run.reversibility,
    })),
  };
  const loss = await dataLossSection(sets);
  const rehearsed = runs.filter((run) => run.notRun === undefined && run.history !== true).length;
  return ok({
    findings: outcome.findings,
    rules: rehearsed === 0 ? [] : outcome.rules,
    applied: rehearsed === 0 ? new Set<string>() : outcome.applied,
    notes,
    sections: loss === undefined ? [timeline] : [timeline, loss],
    stats: { rehearsedMigrations: rehearsed, rehearsalMs: Math.round(totalMs) },
    runs,
  });
}
