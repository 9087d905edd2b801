import type { AlterTableCmd, Node } from 'libpg-query';
import { describeLock, type LockMode, LOCK_MODES, lockName, staticLocks } from '../locks.js';
import { alterCommands, constraintOf, insertsLiteralRows } from '../sql/ast.js';
import { ensureParser, parseSql, type Statement } from '../sql/parse.js';
import type { Migration, MigrationSet } from '../types.js';
import { compareSnapshots, heldLocks, RELATION_NAME, type HeldLock, relationNodes, schemaSnapshot } from './catalog.js';
import type { RehearsalDb } from './database.js';
import { DEFAULT_REHEARSAL_ROWS, PRODUCTION_FILL_CAP } from './defaults.js';
import { fillTables, type FillOutcome } from './fill.js';

export interface StatementRun {
  readonly statement: Statement;
  readonly ms: number;
  readonly locks: readonly HeldLock[];
  /** True when locks come from the documented lock table (the statement cannot run in a transaction). */
  readonly staticLocks: boolean;
  /** Tables whose file changed (rewritten), and indexes rebuilt. */
  readonly rewritten: readonly string[];
  readonly rebuiltIndexes: readonly string[];
  /** Rows in the largest locked table when the statement ran. */
  readonly rows: number;
  readonly largestTable?: string;
  /**
   * At production size (`--row-counts`): the measurement scaled by production / filled rows for a statement
   * whose work grows with rows (rewrites, index builds, validation, backfills), the measurement itself for a
   * catalogue-only one.
   */
  readonly estimatedMs?: number;
  /** How long its locks stay held: until the runner's COMMIT for transactional runners. */
  readonly heldMs: number;
  readonly error?: string;
  readonly skipped?: string;
}

export interface MigrationRun {
  readonly set: MigrationSet;
  readonly migration: Migration;
  readonly fills: readonly FillOutcome[];
  readonly statements: readonly StatementRun[];
  readonly error?: { readonly message: string; readonly statement?: Statement };
  readonly ms: number;
  /** Reversibility: undefined when there is no down migration. */
  readonly reversibility?: Reversibility;
  readonly notRun?: string;
  /**
   * Applied history (not pending): run on the tables as history left them, before they are filled, to build the
   * schema the pending migrations meet. Nothing about it is measured or reported as a finding.
   */
  readonly history?: boolean;
  /** Its failure names an object that this earlier failed migration creates or changes: it follows from that one. */
  readonly blockedBy?: string;
  /** The runner's transaction was rolled back on the failure, as the runner would: none of its statements stayed. */
  readonly rolledBack?: boolean;
  /** Locks on relations this migration itself created, left out: no other session can see those relations yet. */
  readonly hiddenLocks?: number;
}

/**
 * The up → down → compare → up again cycle. It runs inside one transaction that is rolled back, so
 * whatever the down does (fail halfway, drop too much), the next migration starts from the schema the up
 * left, as it would in production where the down is not run.
 */
export interface Reversibility {
  /** Catalogue items present before the up and missing after the down. */
  readonly missing: readonly string[];
  /** Catalogue items the down left behind (absent before the up). */
  readonly extra: readonly string[];
  /** The down failed here (`line N: error`); the statements after it did not run. */
  readonly error?: string;
  /** Applying the up again after the down failed here (`line N: error`). */
  readonly reapplyError?: string;
  /** Why the cycle was not run (a statement that cannot run inside the transaction it needs). */
  readonly skipped?: string;
}

export interface RehearsalOptions {
  /**
   * Rows per table when `rowCounts` does not name it (default 100,000). Given together with `rowCounts`,
   * it also caps the tables it names (fill min(rows, production), extrapolate the rest).
   */
  readonly rows?: number;
  /** Production row counts by table (`table` in public, `schema.table` otherwise; `public.table` accepted). */
  readonly rowCounts?: Readonly<Record<string, number>>;
  readonly onProgress?: (line: string) => void;
  /**
   * `Migration.path` of the pending migrations. Given, the others are applied history: they build the schema on
   * empty tables, the tables are filled once before the first pending migration, and only the pending ones are
   * measured; tables a pending migration creates stay empty, as in production. Absent: every migration is
   * rehearsed, each on filled tables (`--all-migrations`).
   */
  readonly pending?: ReadonlySet<string>;
}


function cannotRunInTransaction(node: Node): boolean {
  if ('IndexStmt' in node) return node.IndexStmt.concurrent === true;
  if ('DropStmt' in node) return node.DropStmt.concurrent === true;
  if ('ReindexStmt' in node) return (node.ReindexStmt.params ?? []).some((param) => 'DefElem' in param && param.DefElem.defname === 'concurrently');
  if ('VacuumStmt' in node || 'CreatedbStmt' in node || 'DropdbStmt' in node || 'AlterSystemStmt' in node) return true;
  if ('AlterTableStmt' in node) {
    return (node.AlterTableStmt.cmds ?? []).some(
      (command) => 'AlterTableCmd' in command && command.AlterTableCmd.def !== undefined && 'PartitionCmd' in command.AlterTableCmd.def && command.AlterTableCmd.def.PartitionCmd.concurrent === true,
    );
  }
  return false;
}

/** ALTER TABLE commands whose work reads every row: validation, NOT NULL checks, bound checks of a partition. */
function alterScansRows(command: AlterTableCmd): boolean {
  const constraint = constraintOf(command.def);
  if (command.subtype === 'AT_ValidateConstraint' || command.subtype === 'AT_SetNotNull' || command.subtype === 'AT_AttachPartition') return true;
  if (command.subtype !== 'AT_AddConstraint' || constraint === undefined) return false;
  // PRIMARY KEY / UNIQUE / EXCLUDE build an index unless USING INDEX names an existing one.
  if (constraint.contype === 'CONSTR_PRIMARY' || constraint.contype === 'CONSTR_UNIQUE' || constraint.contype === 'CONSTR_EXCLUSION') return constraint.indexname === undefined;
  return (constraint.contype === 'CONSTR_CHECK' || constraint.contype === 'CONSTR_FOREIGN') && constraint.skip_validation !== true;
}

/**
 * Whether a statement's duration grows with the rows of the tables it touches: it rewrote a table or
 * rebuilt an index, or it builds an index, validates, scans or changes rows. Catalogue-only changes
 * (RENAME, DROP COLUMN, ADD COLUMN with a constant default, SET DEFAULT, COMMENT) and `INSERT … VALUES`
 * take the same few milliseconds at any size, so scaling their measurement by the row ratio would turn
 * overhead into minutes.
 */
function scalesWithRows(node: Node, rewritten: readonly string[], rebuilt: readonly string[]): boolean {
  if (rewritten.length > 0 || rebuilt.length > 0) return true;
  const scanning = ['IndexStmt', 'ReindexStmt', 'ClusterStmt', 'VacuumStmt', 'RefreshMatViewStmt', 'CreateTableAsStmt', 'UpdateStmt', 'DeleteStmt', 'CopyStmt'];
  if (scanning.some((kind) => kind in node)) return true;
  if ('InsertStmt' in node) return !insertsLiteralRows(node);
  return alterCommands(node)?.commands.some(alterScansRows) ?? false;
}

/**
 * The extension a `CREATE EXTENSION` names when the database cannot install it (PGlite ships only some,
 * a server only those its packages provide): the rehearsal skips the statement rather than reporting the
 * migration as broken, since production has the extension.
 */
async function unavailableExtension(db: RehearsalDb, node: Node): Promise<string | undefined> {
  if (!('CreateExtensionStmt' in node) || node.CreateExtensionStmt.extname === undefined) return undefined;
  const name = node.CreateExtensionStmt.extname;
  const available = await db.query('SELECT 1 FROM pg_available_extensions WHERE name = $1', [name]);
  return available.length === 0 ? name : undefined;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The locked table with the most rows: the one whose size drives the statement's duration. */
function largestLocked(locks: readonly HeldLock[], rowsByTable: ReadonlyMap<string, number>): { rows: number; table?: string } {
  let best: { rows: number; table?: string } = { rows: 0 };
  for (const lock of locks) {
    const rows = rowsByTable.get(lock.relation) ?? 0;
    if (rows > best.rows) best = { rows, table: lock.relation };
  }
  return best;
}

/** Locks in `after` that are new or stronger than in `before`: what one statement added to the open transaction. */
function addedLocks(before: readonly HeldLock[], after: readonly HeldLock[]): HeldLock[] {
  const held = new Map(before.map((lock) => [lock.relation, LOCK_MODES.indexOf(lock.mode)]));
  return after.filter((lock) => LOCK_MODES.indexOf(lock.mode) > (held.get(lock.relation) ?? -1));
}

interface AppliedStatements {
  readonly runs: StatementRun[];
  readonly error?: { message: string; statement: Statement };
  readonly rolledBack: boolean;
  readonly hiddenLocks: number;
}

/**
 * Applies one migration statement by statement. A migration its runner wraps in a transaction runs in one here
 * too, so a failure rolls all of it back as the runner would, and each statement's locks are those it added to
 * the transaction (read from `pg_locks` before the next statement); a migration without one commits each
 * statement. Statements that cannot run in a transaction run bare and take their locks from the documented
 * lock table. Locks on relations the migration itself created are left out: no other session sees them yet.
 */
async function applyStatements(
  db: RehearsalDb,
  statements: readonly Statement[],
  rowsByTable: ReadonlyMap<string, number>,
  productionRows: (table: string) => number | undefined,
  wrapped: boolean,
): Promise<AppliedStatements> {
  const runs: StatementRun[] = [];
  const existing = new Set([...(await relationNodes(db)).values()].filter((relation) => relation.kind !== 'i').map((relation) => relation.name));
  let hiddenLocks = 0;
  let open = false;
  const begin = async (): Promise<void> => {
    if (!wrapped || open) return;
    await db.exec('BEGIN');
    open = true;
  };
  const commit = async (): Promise<void> => {
    if (!open) return;
    await db.exec('COMMIT');
    open = false;
  };
  for (const statement of statements) {
    const node = statement.node;
    if ('TransactionStmt' in node) {
      runs.push({ statement, ms: 0, locks: [], staticLocks: false, rewritten: [], rebuiltIndexes: [], rows: 0, heldMs: 0, skipped: wrapped ? 'transaction control: the rehearsal runs the migration in one transaction, as its runner does' : 'transaction control: the rehearsal opens one transaction per statement' });
      continue;
    }
    const unavailable = await unavailableExtension(db, node);
    if (unavailable !== undefined) {
      runs.push({ statement, ms: 0, locks: [], staticLocks: false, rewritten: [], rebuiltIndexes: [], rows: 0, heldMs: 0, skipped: `extension ${unavailable} is not available on ${db.target}: rehearse on a server that has it (--database-url)` });
      continue;
    }
    const bare = cannotRunInTransaction(node);
    // A bare statement ends the migration's transaction: the runner would have to do the same (or fail on it).
    if (bare) await commit();
    else await begin();
    const before = await relationNodes(db);
    const locksBefore = open ? await heldLocks(db) : [];
    let locks: HeldLock[] = [];
    /** Everything the statement works under, earlier statements' locks included: what sizes its work. */
    let working: HeldLock[] = [];
    const started = performance.now();
    try {
      if (bare) {
        await db.exec(statement.text);
        locks = staticLocks(node).map((lock) => ({ relation: lock.relation, mode: lock.mode }));
      } else if (open) {
        await db.exec(statement.text);
        working = await heldLocks(db);
        locks = addedLocks(locksBefore, working);
      } else {
        await db.exec('BEGIN');
        await db.exec(statement.text);
        locks = await heldLocks(db);
        await db.exec('COMMIT');
      }
    } catch (error) {
      const rolledBack = open;
      if (!bare) await db.exec('ROLLBACK').catch(() => undefined);
      open = false;
      return { runs, error: { message: message(error), statement }, rolledBack, hiddenLocks };
    }
    const ms = performance.now() - started;
    // Committed statement by statement, a new relation is visible at once; only a transaction hides it.
    const visible = wrapped ? locks.filter((lock) => existing.has(lock.relation)) : locks;
    hiddenLocks += locks.length - visible.length;
    const after = await relationNodes(db);
    const rewritten: string[] = [];
    const rebuilt: string[] = [];
    for (const [oid, relation] of before) {
      const now = after.get(oid);
      if (now === undefined || now.node === relation.node || (rowsByTable.get(relation.table) ?? 0) === 0) continue;
      if (relation.kind === 'i') rebuilt.push(relation.name);
      else rewritten.push(relation.name);
    }
    const { rows, table } = largestLocked(open ? working.filter((lock) => existing.has(lock.relation)) : visible, rowsByTable);
    const production = table === undefined ? undefined : productionRows(table);
    const estimatedMs = production === undefined || rows === 0 ? undefined : scalesWithRows(node, rewritten, rebuilt) ? (ms * production) / rows : ms;
    runs.push({
      statement,
      ms,
      locks: visible,
      staticLocks: bare,
      rewritten,
      rebuiltIndexes: rebuilt,
      rows,
      ...(table === undefined ? {} : { largestTable: table }),
      ...(estimatedMs === undefined ? {} : { estimatedMs }),
      heldMs: estimatedMs ?? ms,
    });
  }
  await commit();
  return { runs, rolledBack: false, hiddenLocks };
}

/**
 * Applies an applied (history) migration as its runner would, without measuring it: it only builds the schema
 * the pending migrations meet. A failure rolls a wrapped migration back and is returned.
 */
async function applyHistory(db: RehearsalDb, statements: readonly Statement[], wrapped: boolean): Promise<{ message: string; statement: Statement } | undefined> {
  let open = false;
  for (const statement of statements) {
    const node = statement.node;
    if ('TransactionStmt' in node || (await unavailableExtension(db, node)) !== undefined) continue;
    const bare = cannotRunInTransaction(node);
    try {
      if (bare && open) {
        await db.exec('COMMIT');
        open = false;
      }
      if (wrapped && !bare && !open) {
        await db.exec('BEGIN');
        open = true;
      }
      await db.exec(statement.text);
    } catch (error) {
      if (open) await db.exec('ROLLBACK').catch(() => undefined);
      return { message: message(error), statement };
    }
  }
  if (open) await db.exec('COMMIT');
  return undefined;
}

/** Identifiers a Postgres error names in double quotes (`relation "team" does not exist`). */
function namedIdentifiers(error: string): string[] {
  return [...error.matchAll(/"([^"]{1,63})"/g)].map((match) => (match[1] ?? '').toLowerCase());
}

/**
 * The earlier failed migration this failure follows from: the error says an object does not exist, and a failed
 * migration's up names it (a table it would have created, a column it would have added). Found by name, so it is
 * a strong hint, not proof; the report lists it under the earlier failure rather than hiding it.
 */
function blockingFailure(error: string, failed: ReadonlyArray<{ readonly path: string; readonly text: string }>): string | undefined {
  // Only a missing object is a cascade: the failed migration rolled back before creating it.
  if (!/does not exist/i.test(error)) return undefined;
  const names = namedIdentifiers(error);
  if (names.length === 0) return undefined;
  for (const earlier of [...failed].reverse()) {
    const text = earlier.text.toLowerCase();
    if (names.some((name) => new RegExp(`(?:^|[^a-z0-9_$])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:$|[^a-z0-9_$])`).test(text))) return earlier.path;
  }
  return undefined;
}

/** For runners that wrap the file in one transaction, every lock is held until the last statement ends. */
function withHoldTimes(runs: StatementRun[], migration: Migration): StatementRun[] {
  const wrapped = migration.transaction !== 'none';
  if (!wrapped) return runs;
  return runs.map((run, index) => {
    if (run.staticLocks) return run;
    // Each later statement adds its own time at production size, not this statement's scale.
    const rest = runs.slice(index).filter((later) => !later.staticLocks);
    return { ...run, heldMs: rest.reduce((sum, later) => sum + (later.estimatedMs ?? later.ms), 0) };
  });
}

const STEP = 'shipready_rehearsal_step';

/**
 * The statement's text in a form that runs inside a transaction with the same effect on the schema:
 * CONCURRENTLY only changes how long locks are held, which the reversibility cycle does not measure.
 * `''` when the statement changes no schema (VACUUM); undefined when there is no such form.
 */
function inTransactionForm(statement: Statement): string | undefined {
  const node = statement.node;
  if (!cannotRunInTransaction(node)) return statement.text;
  if ('VacuumStmt' in node) return '';
  // Anchored on the statement's own tokens so an identifier that happens to read CONCURRENTLY is never touched.
  const forms = [/^(CREATE\s+(?:UNIQUE\s+)?INDEX\s+)CONCURRENTLY\b/i, /^(DROP\s+INDEX\s+)CONCURRENTLY\b/i, /^(REINDEX\s+(?:INDEX|TABLE|SCHEMA)\s+)CONCURRENTLY\b/i, /^(ALTER\s+TABLE\s[\s\S]*\sDETACH\s+PARTITION\s[\s\S]*?)\s+CONCURRENTLY\s*$/i];
  for (const form of forms) if (form.test(statement.text)) return statement.text.replace(form, '$1');
  return undefined;
}

/** Runs statements in the open transaction, each behind a savepoint so that a failure leaves the transaction usable. */
async function runSteps(db: RehearsalDb, steps: ReadonlyArray<{ readonly statement: Statement; readonly text: string }>): Promise<string | undefined> {
  for (const { statement, text } of steps) {
    if (text === '') continue;
    await db.exec(`SAVEPOINT ${STEP}`);
    try {
      await db.exec(text);
    } catch (error) {
      await db.exec(`ROLLBACK TO SAVEPOINT ${STEP}`);
      return `line ${statement.startPosition.line}: ${message(error)}`;
    }
    await db.exec(`RELEASE SAVEPOINT ${STEP}`);
  }
  return undefined;
}

/** The statements to run in the cycle, or why the cycle cannot run (a statement with no in-transaction form). */
function stepsOf(statements: readonly Statement[], which: string): { steps: Array<{ statement: Statement; text: string }> } | { skipped: string } {
  const steps: Array<{ statement: Statement; text: string }> = [];
  for (const statement of statements) {
    // The runner's own BEGIN/COMMIT would end the rehearsal's transaction.
    if ('TransactionStmt' in statement.node) continue;
    const text = inTransactionForm(statement);
    if (text === undefined) {
      const flat = statement.text.replace(/\s+/g, ' ');
      return { skipped: `the ${which} has a statement that cannot run in a transaction (line ${statement.startPosition.line}: ${flat.length > 60 ? `${flat.slice(0, 59)}…` : flat}), and the rehearsal runs the down in one so it can roll it back` };
    }
    steps.push({ statement, text });
  }
  return { steps };
}

/**
 * Runs down → snapshot → compare → up again inside one transaction and rolls it back, so the database
 * is back to the state right after the up whatever happened (a down that fails halfway, a down that
 * drops too much, an up that fails on what the down left).
 */
async function checkReversibility(db: RehearsalDb, migration: Migration, up: readonly Statement[], before: ReadonlySet<string>): Promise<Reversibility | undefined> {
  if (migration.down === undefined) return undefined;
  const down = parseSql(migration.down);
  if (down.syntaxError !== undefined) return { missing: [], extra: [], error: `syntax error at line ${down.syntaxError.position.line}: ${down.syntaxError.message}` };
  const downSteps = stepsOf(down.statements, 'down');
  if ('skipped' in downSteps) return { missing: [], extra: [], skipped: downSteps.skipped };
  const upSteps = stepsOf(up, 'up');
  if ('skipped' in upSteps) return { missing: [], extra: [], skipped: upSteps.skipped };
  await db.exec('BEGIN');
  try {
    const error = await runSteps(db, downSteps.steps);
    // Postgres refuses some statements in a transaction block that the parse tree does not mark (CREATE TABLESPACE, …).
    if (error !== undefined && /cannot (run|be executed) inside a transaction block/i.test(error)) {
      return { missing: [], extra: [], skipped: `the down has a statement that cannot run in a transaction (${error}), and the rehearsal runs the down in one so it can roll it back` };
    }
    const difference = compareSnapshots(before, await schemaSnapshot(db));
    if (error !== undefined) return { ...difference, error };
    const reapplyError = await runSteps(db, upSteps.steps);
    return { ...difference, ...(reapplyError === undefined ? {} : { reapplyError }) };
  } finally {
    await db.exec('ROLLBACK');
  }
}

/**
 * How many rows a table with `production` rows in `--row-counts` is filled with: the production count up to
 * a limit (`--rows`, else PRODUCTION_FILL_CAP), so a large production table is rehearsed at a size that
 * fits and durations are extrapolated to production.
 *
 * @example fillTarget(250_000_000, undefined) // 1_000_000
 */
export function fillTarget(production: number, rows: number | undefined): number {
  return Math.min(rows ?? PRODUCTION_FILL_CAP, production);
}

/**
 * The production row count of `table` (`table` in public, `schema.table` otherwise) in a `--row-counts`
 * object, which may also name public tables `public.table`.
 *
 * @example
 * productionCount({ 'public.users': 5, 'app.accounts': 7 }, 'users'); // 5
 */
export function productionCount(rowCounts: Readonly<Record<string, number>>, table: string): number | undefined {
  return rowCounts[table] ?? (table.includes('.') ? undefined : rowCounts[`public.${table}`]);
}

/**
 * Rehearses migration sets on `db`: fill tables, apply each migration statement by statement while
 * recording locks, rewrites and durations, and check that down migrations restore the schema. Sets
 * given together share the database; `rehearseMigrations` passes one set per fresh database.
 *
 * @example
 * const db = await openPglite();
 * if (db.ok) {
 *   try { const runs = await rehearseSets(db.value, [set], { rows: 1000 }); } finally { await db.value.close(); }
 * }
 */
export async function rehearseSets(db: RehearsalDb, sets: readonly MigrationSet[], options: RehearsalOptions = {}): Promise<MigrationRun[]> {
  await ensureParser();
  const rows = options.rows ?? DEFAULT_REHEARSAL_ROWS;
  const rowCounts = options.rowCounts;
  // Tables not in the file have no production size: they get --rows and no estimate.
  const productionRows = (table: string): number | undefined => (rowCounts === undefined ? undefined : productionCount(rowCounts, table));
  const rowsFor = (table: string): number => {
    const production = productionRows(table);
    if (production === undefined) return rows;
    return fillTarget(production, options.rows);
  };
  const runs: MigrationRun[] = [];
  const filled = new Map<number, number>();
  const pending = options.pending;
  for (const set of sets) {
    const failed: Array<{ path: string; text: string }> = [];
    /** In pending-only mode the tables are filled once, when history ends: what pending migrations create stays empty. */
    let historyEnded = false;
    for (const [index, migration] of set.migrations.entries()) {
      const isHistory = pending !== undefined && !pending.has(migration.path);
      if (!isHistory) options.onProgress?.(`[${index + 1}/${set.migrations.length}] ${set.framework} ${migration.path}`);
      else if (index === 0) options.onProgress?.(`applying the applied history of ${set.dir} on empty tables`);
      if (migration.up === undefined) {
        runs.push({ set, migration, fills: [], statements: [], ms: 0, notRun: `${migration.language} migration builds its SQL with ${migration.unconvertedCalls ?? 'schema-builder'} call(s) at run time and its SQL was not captured (see the notes)`, ...(isHistory ? { history: true } : {}) });
        continue;
      }
      const parsed = parseSql(migration.up);
      if (parsed.syntaxError !== undefined) {
        runs.push({ set, migration, fills: [], statements: [], ms: 0, error: { message: `syntax error at line ${parsed.syntaxError.position.line}: ${parsed.syntaxError.message}` }, ...(isHistory ? { history: true } : {}) });
        continue;
      }
      const wrapped = migration.transaction !== 'none';
      if (isHistory) {
        const started = performance.now();
        const error = await applyHistory(db, parsed.statements, wrapped);
        if (error !== undefined) failed.push({ path: migration.path, text: migration.up.text });
        runs.push({ set, migration, fills: [], statements: [], ms: performance.now() - started, history: true, ...(error === undefined ? {} : { error, rolledBack: wrapped }) });
        continue;
      }
      const fills = pending !== undefined && historyEnded ? [] : await fillTables(db, filled, rowsFor, productionRows);
      historyEnded = true;
      for (const fill of fills) {
        if (fill.error === undefined) options.onProgress?.(`  filled ${fill.table} with ${fill.rows.toLocaleString('en-US')} rows in ${Math.round(fill.ms)} ms${fill.note === undefined ? '' : ` (${fill.note})`}`);
      }
      const rowsByTable = new Map<string, number>();
      const nameRows = await db.query(`SELECT ${RELATION_NAME} AS name, c.reltuples::int8 AS n
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')`);
      for (const row of nameRows) rowsByTable.set(String(row['name']), Math.max(0, Number(row['n'])));
      const snapshotBefore = migration.down === undefined ? undefined : await schemaSnapshot(db);
      const started = performance.now();
      const applied = await applyStatements(db, parsed.statements, rowsByTable, productionRows, wrapped);
      const statements = withHoldTimes(applied.runs, migration);
      const ms = performance.now() - started;
      const hidden = applied.hiddenLocks > 0 ? { hiddenLocks: applied.hiddenLocks } : {};
      if (applied.error !== undefined) {
        const blockedBy = blockingFailure(applied.error.message, failed);
        // A failure after an unrelated earlier one may still follow from it in a way no name shows: say so.
        const earlier = failed.at(-1)?.path;
        const error = blockedBy !== undefined || earlier === undefined ? applied.error : { ...applied.error, message: `${applied.error.message} (after ${earlier} failed earlier in this set: this may follow from that failure)` };
        failed.push({ path: migration.path, text: migration.up.text });
        runs.push({ set, migration, fills, statements, ms, error, rolledBack: applied.rolledBack, ...hidden, ...(blockedBy === undefined ? {} : { blockedBy }) });
        continue;
      }
      // An extension the database lacks was skipped in the up; its down and second up would fail on it alone.
      const missingExtension = applied.runs.find((run) => run.skipped?.startsWith('extension ') === true)?.skipped;
      const reversibility =
        snapshotBefore === undefined
          ? undefined
          : missingExtension !== undefined && migration.down !== undefined
            ? { missing: [], extra: [], skipped: missingExtension }
            : await checkReversibility(db, migration, parsed.statements, snapshotBefore);
      runs.push({ set, migration, fills, statements, ms, ...hidden, ...(reversibility === undefined ? {} : { reversibility }) });
    }
  }
  return runs.map((run, index) => (run.set.transaction === 'per-run' ? extendToEndOfRun(run, runs.slice(index + 1)) : run));
}

/**
 * Per-run runners (Drizzle, TypeORM) commit once after the last pending migration, so a lock taken in
 * one file is held through every later file of the run too.
 */
function extendToEndOfRun(run: MigrationRun, later: readonly MigrationRun[]): MigrationRun {
  const rest = later
    .filter((next) => next.set === run.set && next.migration.transaction === 'per-run')
    .reduce((sum, next) => sum + next.statements.reduce((total, statement) => total + (statement.estimatedMs ?? statement.ms), 0), 0);
  if (rest === 0 || run.migration.transaction !== 'per-run') return run;
  return { ...run, statements: run.statements.map((statement) => (statement.staticLocks || statement.skipped !== undefined ? statement : { ...statement, heldMs: statement.heldMs + rest })) };
}

/** The strongest lock of a statement, for the timeline and findings. */
export function strongestLock(run: StatementRun): HeldLock | undefined {
  let strongest: HeldLock | undefined;
  for (const lock of run.locks) if (strongest === undefined || LOCK_MODES.indexOf(lock.mode) > LOCK_MODES.indexOf(strongest.mode)) strongest = lock;
  return strongest;
}

export function blocksReads(mode: LockMode): boolean {
  return mode === 'AccessExclusiveLock';
}

export function blocksWrites(mode: LockMode): boolean {
  return LOCK_MODES.indexOf(mode) >= LOCK_MODES.indexOf('ShareLock');
}

export function formatMs(ms: number): string {
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.round(ms)} ms`;
}

/** How the reversibility cycle went, in lines that never contradict each other. */
function reversibilityLines({ missing, extra, error, reapplyError, skipped }: Reversibility): string[] {
  if (skipped !== undefined) return [`  down: not rehearsed — ${skipped}`];
  const lines: string[] = [];
  if (error !== undefined) lines.push(`  down: FAILED (${error}); rolled back, later migrations run on the schema the up left`);
  for (const item of missing) lines.push(`  down: missing after down: ${item}`);
  for (const item of extra) lines.push(`  down: left behind by down: ${item}`);
  if (error === undefined && missing.length === 0 && extra.length === 0) lines.push('  down: restores the schema exactly');
  if (reapplyError !== undefined) lines.push(`  up again after down: FAILED (${reapplyError}); rolled back, later migrations run on the schema the up left`);
  return lines;
}

/** The per-migration timeline lines the text reporter prints. */
export function timelineLines(runs: readonly MigrationRun[]): string[] {
  const lines: string[] = [];
  const history = runs.filter((run) => run.history === true);
  if (history.length > 0) {
    const ms = history.reduce((sum, run) => sum + run.ms, 0);
    const failures = history.filter((run) => run.error !== undefined);
    lines.push(`${history.length} applied migration(s) replayed on empty tables to build the schema in ${formatMs(ms)} (not measured: production already ran them)${failures.length === 0 ? '' : `; ${failures.length} failed on the rehearsal database`}`);
    for (const run of failures) lines.push(`  ${run.migration.path}: FAILED: ${run.error?.message ?? ''}${run.rolledBack === true ? ' (rolled back)' : ''}`);
  }
  for (const run of runs) {
    if (run.history === true) continue;
    const header = `${run.migration.path} (${run.migration.framework}, ${run.migration.transaction})`;
    if (run.notRun !== undefined) {
      lines.push(`${header}: not run — ${run.notRun}`);
      continue;
    }
    const outcome = run.error === undefined ? '' : ` — FAILED: ${run.error.message}${run.rolledBack === true ? ' (rolled back, as the runner would)' : ''}${run.blockedBy === undefined ? '' : ` — blocked by ${run.blockedBy}, which failed first`}`;
    lines.push(`${header}: ${formatMs(run.ms)}${outcome}`);
    if (run.hiddenLocks !== undefined) lines.push(`  (${run.hiddenLocks} lock(s) on relations this migration created not shown: no other session can see them before COMMIT)`);
    for (const fill of run.fills) {
      lines.push(fill.error === undefined ? `  filled ${fill.table}: ${fill.rows.toLocaleString('en-US')} rows${fill.note === undefined ? '' : ` (${fill.note})`}` : `  could not fill ${fill.table}: ${fill.error}`);
    }
    for (const statement of run.statements) {
      const flat = statement.statement.text.replace(/\s+/g, ' ');
      const shown = flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
      if (statement.skipped !== undefined) {
        lines.push(`  L${statement.statement.startPosition.line} ${shown} — skipped (${statement.skipped})`);
        continue;
      }
      const estimate = statement.estimatedMs === undefined ? '' : `, est. ${formatMs(statement.estimatedMs)} at production size`;
      // TRUNCATE gives the table and its indexes new, empty files: new relfilenodes, but no row is rewritten.
      const truncated = 'TruncateStmt' in statement.statement.node;
      const rewrite = statement.rewritten.length > 0 ? ` ${truncated ? 'truncated' : 'REWRITE'} ${statement.rewritten.join(', ')}` : '';
      const rebuilt = statement.rebuiltIndexes.length > 0 && !truncated ? ` (indexes rebuilt: ${statement.rebuiltIndexes.join(', ')})` : '';
      lines.push(`  L${statement.statement.startPosition.line} ${shown} — ${formatMs(statement.ms)}${estimate}${rewrite}${rebuilt}`);
      for (const lock of statement.locks) {
        const origin = statement.staticLocks ? ' [from the lock table: cannot run in a transaction]' : '';
        const until = run.migration.transaction === 'per-run' ? 'the runner commits the whole run' : 'the runner commits';
        const held = !statement.staticLocks && run.migration.transaction !== 'none' ? `; held ~${formatMs(statement.heldMs)} until ${until}` : '';
        const size = statement.rows > 0 && lock.relation === statement.largestTable ? ` (${statement.rows.toLocaleString('en-US')} rows)` : '';
        lines.push(`      ${lockName(lock.mode)} on ${lock.relation}${size}: ${describeLock(lock.mode)}${held}${origin}`);
      }
    }
    if (run.reversibility !== undefined) lines.push(...reversibilityLines(run.reversibility));
  }
  return lines;
}
