import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Note } from '../../core/report.js';
import { directionLines } from '../frameworks/code-sql.js';
import { type CapturedFramework, isCapturedFramework, type Migration, type MigrationSet, type SqlSource } from '../types.js';
import { type CapturedDirection, type CaptureReply, captureReplySchema, type CaptureRequest, type ScratchDatabase } from './protocol.js';
import { readRegularFile } from '../../core/safe-read.js';
import { createTempDir, removeTempDir } from '../../core/temp-dirs.js';

/** How long one migration file may take (loading the library included) before its process is killed. */
export const DEFAULT_CAPTURE_TIMEOUT_MS = 30_000;

export interface CaptureOptions {
  /** Absolute path of the scanned project; migration paths are relative to it. */
  readonly root: string;
  readonly timeoutMs?: number;
  /** The runner script; default `runner.js` beside this module (in `dist/`). Tests pass a transpiled copy. */
  readonly runnerPath?: string;
  /** The module hooks (TypeScript, and the tests' fallback for TypeORM imports); default `ts-hooks.js` beside the runner. */
  readonly tsHooksPath?: string;
  /**
   * Tests only: a file whose node_modules is searched for knex/node-pg-migrate/typeorm (and the bare
   * imports of TypeORM migrations) when the scanned project has none. Without it a project lacking the
   * library gets a note and its migrations stay uncaptured.
   */
  readonly fallbackFrom?: string;
  /**
   * Where the private directory of the TypeORM scratch database's Unix socket is created; default the
   * system temporary directory. Unused on Windows (127.0.0.1). Tests point it at a file, or at a path too
   * long for a socket, to make starting the scratch database fail.
   */
  readonly scratchParent?: string;
  readonly onProgress?: (line: string) => void;
}

export interface CaptureOutcome {
  /** The sets with captured migrations' `up`/`down` filled in (others unchanged). */
  readonly sets: MigrationSet[];
  readonly notes: Note[];
  /** Migrations whose SQL was captured. */
  readonly captured: number;
  /**
   * Migrations that could not be captured, with where and why (also in `notes`). A TypeORM migration
   * whose SQL was read from literals and that failed to apply to the scratch database only gets a note.
   */
  readonly failures: CaptureFailure[];
}

export interface CaptureFailure {
  readonly path: string;
  readonly kind: 'failed' | 'timeout' | 'crashed' | 'missing-library';
  /** Line in the migration file where it failed, when the error's stack points into it. */
  readonly line?: number;
  readonly error: string;
}

type Capturable = Migration & { readonly framework: CapturedFramework };

function isCapturable(migration: Migration): migration is Capturable {
  return migration.up === undefined && migration.language !== 'sql' && isCapturedFramework(migration.framework);
}

/** The same cap as discovery's: a migration file is never larger. */
const MAX_MIGRATION_BYTES = 8 * 1024 * 1024;

function readText(file: string): string | undefined {
  const read = readRegularFile(file, MAX_MIGRATION_BYTES);
  return read.ok ? read.value.toString('utf8') : undefined;
}

function siblingOf(file: string, name: string): string {
  return path.join(path.dirname(file), name);
}

function defaultRunnerPath(): string {
  return fileURLToPath(new URL('./runner.js', import.meta.url));
}

/** A failed run of the runner: `line` is where in the migration file it failed, when known. */
interface RunFailure {
  readonly kind: 'failed' | 'timeout' | 'crashed';
  readonly error: string;
  readonly line?: number;
}

/** Runs the capture runner for one file in its own process, killing it after `timeoutMs`. */
function runChild(runnerPath: string, request: CaptureRequest, timeoutMs: number): Promise<CaptureReply | RunFailure> {
  return new Promise((resolve) => {
    let settled = false;
    let stderr = '';
    // No inherited --inspect / loader flags; the child's cwd is the project, as when the user runs it. The
    // environment is empty so a migration that imports the app's own database module finds no
    // DATABASE_URL (or any other credential) to connect with.
    const child = fork(runnerPath, [], { cwd: request.root, env: {}, execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'json' });
    const finish = (value: CaptureReply | RunFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      resolve(value);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout', error: `did not finish within ${timeoutMs} ms (killed)` }), timeoutMs);
    // The migration's own console output is drained and dropped; the end of stderr explains a crash.
    child.stdout?.resume();
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    child.on('message', (message: unknown) => {
      const parsed = captureReplySchema.safeParse(message);
      finish(parsed.success ? parsed.data : { kind: 'crashed', error: 'the capture runner sent an invalid reply' });
    });
    child.on('error', (error) => finish({ kind: 'crashed', error: error.message }));
    child.on('exit', (code, signal) => {
      const tail = stderr.trim().split('\n').slice(-3).join(' | ');
      finish({ kind: 'crashed', error: `exited (${signal ?? `code ${code ?? '?'}`}) before replying${tail === '' ? '' : `: ${tail}`}` });
    });
    child.send(request);
  });
}

/** The captured statements as a parseable source whose positions map to the lines of the calls. */
function capturedSource(migration: Migration, text: string, direction: CapturedDirection, fallbackLine: number): SqlSource | undefined {
  const parts: string[] = [];
  const lines: number[] = [];
  for (const statement of direction.statements) {
    const sql = statement.sql.trim().replace(/;+\s*$/, '');
    if (sql === '') continue;
    parts.push(`${sql};`);
    for (let count = sql.split('\n').length; count > 0; count--) lines.push(statement.line ?? fallbackLine);
  }
  if (parts.length === 0) return undefined;
  const generated = `${parts.join('\n')}\n`;
  lines.push(lines[lines.length - 1] ?? fallbackLine);
  return { path: migration.path, text, start: 0, end: generated.length, parseText: generated, generatedLines: lines };
}

/** The embedded Postgres a TypeORM set runs against, served to the children on a private socket. */
interface Scratch {
  readonly database: ScratchDatabase;
  close(): Promise<void>;
}

/**
 * Unix sockets everywhere but Windows, where pg cannot reach a named pipe through `host`. (The engine
 * never reads `process`, so the platform is told by the path separator.)
 */
const SERVE_ON_UNIX_SOCKET = path.sep === '/';
/** The port in the socket's name `.s.PGSQL.<port>`, which is how pg finds a socket in the `host` directory. */
const SOCKET_PORT = 5432;
/** macOS allows 103 bytes in a socket path (Linux 107); Node silently truncates a longer one. */
const MAX_SOCKET_PATH = 103;

/**
 * Stops what was started, in reverse order, each step even if an earlier one failed; the first failure
 * is rethrown once everything has been tried. Exported for its tests.
 *
 * @example await closeScratch(server, db, dir)
 */
export async function closeScratch(server: { stop(): Promise<void> } | undefined, db: { close(): Promise<void> } | undefined, dir: string | undefined): Promise<void> {
  try {
    await server?.stop();
  } finally {
    try {
      await db?.close();
    } finally {
      if (dir !== undefined) removeTempDir(dir);
    }
  }
}

/**
 * An in-memory PGlite served over the Postgres wire protocol (`@electric-sql/pglite-socket`), so TypeORM
 * in the child connects with the project's own `pg` driver. The server does no authentication, so on
 * POSIX it listens on a Unix socket inside a fresh directory that `mkdtemp` creates with mode 0700: no
 * other local user can connect (to take a connection slot, or change the schema TypeORM introspects).
 * Windows gets 127.0.0.1 and a free port. Two connections are accepted because a finished child's socket
 * may still be closing when the next connects; the server serialises their queries on the one PGlite
 * session.
 */
async function openScratch(parent: string): Promise<Scratch> {
  // Loaded here, not at the top: only TypeORM capture needs them, and loading PGlite costs time.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  let dir: string | undefined;
  let db: InstanceType<typeof PGlite> | undefined;
  let server: InstanceType<typeof PGLiteSocketServer> | undefined;
  try {
    let socket: string | undefined;
    if (SERVE_ON_UNIX_SOCKET) {
      // A tracked temporary directory: the CLI's reaper removes it should shipready die mid-capture.
      const made = createTempDir('shipready-pg-', parent);
      if (!made.ok) throw new Error(made.error.message);
      dir = made.value;
      socket = path.join(dir, `.s.PGSQL.${SOCKET_PORT}`);
      if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) throw new Error(`the socket path ${socket} is longer than ${MAX_SOCKET_PATH} bytes`);
    }
    db = new PGlite();
    await db.waitReady;
    const candidate =
      socket === undefined ? new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 2 }) : new PGLiteSocketServer({ db, path: socket, maxConnections: 2 });
    await candidate.start();
    server = candidate;
    let database: ScratchDatabase;
    if (dir === undefined) {
      const port = /:(\d+)$/.exec(server.getServerConn())?.[1];
      if (port === undefined) throw new Error(`unexpected scratch server address ${server.getServerConn()}`);
      database = { host: '127.0.0.1', port: Number(port) };
    } else database = { host: dir, port: SOCKET_PORT };
    const opened = { server, db, dir };
    return { database, close: () => closeScratch(opened.server, opened.db, opened.dir) };
  } catch (error) {
    const failure = new Error('cannot start the scratch PGlite database for TypeORM migrations', { cause: error });
    try {
      await closeScratch(server, db, dir);
    } catch (cleanup) {
      throw new AggregateError([error, cleanup], `${failure.message}, nor clean up after it`, { cause: error });
    }
    throw failure;
  }
}

/** An error's message followed by those of its causes: what a note about it says. */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current !== undefined && parts.length < 5; current = current instanceof Error ? current.cause : undefined) {
    parts.push(current instanceof Error ? current.message : String(current));
  }
  return parts.join(': ');
}

/** Shared state of one `captureMigrations` call. */
interface Session {
  readonly options: CaptureOptions;
  readonly runnerPath: string;
  readonly timeoutMs: number;
  readonly notes: Note[];
  readonly failures: CaptureFailure[];
  readonly missingLibraries: Set<string>;
  /** Captured migrations per kind of run, for the closing note. */
  readonly captured: { offline: number; scratch: number };
}

/**
 * Runs one migration in its own child and returns it with the captured SQL, or unchanged (with a note
 * and a failure) when it could not be captured. `prepareOnly` migrations (TypeORM migrations whose SQL
 * was read from literals) run only so that the later ones find their schema in the scratch database.
 */
async function captureOne(session: Session, set: MigrationSet, migration: Capturable, database?: ScratchDatabase, prepareOnly = false): Promise<Migration> {
  const { options } = session;
  const libraries = migration.framework === 'typeorm' ? ['typeorm', 'pg'] : [migration.framework];
  const missing = [...libraries, ...(migration.language === 'ts' ? ['typescript'] : [])].find((library) => session.missingLibraries.has(library));
  if (missing !== undefined) {
    if (!prepareOnly) session.failures.push({ path: migration.path, kind: 'missing-library', error: `${missing} is not installed` });
    return migration;
  }
  const text = readText(path.join(options.root, migration.path));
  if (text === undefined) return migration;
  options.onProgress?.(`running ${migration.path} (${migration.framework}) to ${prepareOnly ? 'apply it to the scratch database' : 'capture its SQL'}`);
  // TypeORM migrations import the library themselves: with the tests' fallback, the hooks resolve it.
  const needsHooks = migration.language === 'ts' || (migration.framework === 'typeorm' && options.fallbackFrom !== undefined);
  const request: CaptureRequest = {
    file: path.join(options.root, migration.path),
    root: options.root,
    framework: migration.framework,
    ...(database === undefined ? {} : { database }),
    ...(options.fallbackFrom === undefined ? {} : { fallbackFrom: options.fallbackFrom }),
    ...(needsHooks ? { tsHooks: options.tsHooksPath ?? siblingOf(session.runnerPath, 'ts-hooks.js') } : {}),
  };
  const reply = await runChild(session.runnerPath, request, session.timeoutMs);
  if (reply.kind === 'missing-library') {
    session.missingLibraries.add(reply.library);
    if (!prepareOnly) session.failures.push({ path: migration.path, kind: 'missing-library', error: `${reply.library} is not installed` });
    const which = reply.library === 'typescript' ? `TypeScript ${set.framework} migrations` : `${set.framework} migrations`;
    session.notes.push({
      kind: 'skipped-file',
      path: set.dir,
      message: `${which} in ${set.dir} not run: ${reply.library} is not installed in ${options.root} (run npm install there first)`,
    });
    return migration;
  }
  if (reply.kind !== 'captured') {
    const where = reply.line === undefined ? migration.path : `${migration.path}:${reply.line}`;
    const what = reply.kind === 'timeout' ? 'timed out' : reply.kind === 'crashed' ? 'crashed' : 'threw';
    if (!prepareOnly) session.failures.push({ path: migration.path, kind: reply.kind, error: reply.error, ...(reply.line === undefined ? {} : { line: reply.line }) });
    session.notes.push(
      prepareOnly
        ? { kind: 'info', path: migration.path, message: `${where}: applying up() to the scratch database ${what}: ${reply.error}; later TypeORM migrations that need its schema may fail to capture` }
        : { kind: 'skipped-file', path: migration.path, message: `${where}: running up() to capture its SQL ${what}: ${reply.error}; not linted or rehearsed` },
    );
    return migration;
  }
  if (prepareOnly) return migration;
  const starts = directionLines(migration.path, text);
  const up = capturedSource(migration, text, reply.up, starts.up ?? 1);
  const down = reply.down === undefined ? undefined : capturedSource(migration, text, reply.down, starts.down ?? starts.up ?? 1);
  if (reply.up.reads > 0) {
    const why =
      migration.framework === 'typeorm'
        ? 'the scratch database held only the schema of the earlier migrations and no rows, so the captured SQL follows that branch'
        : 'without a connection those queries returned no rows, so the captured SQL follows the empty-database branch';
    session.notes.push({ kind: 'info', path: migration.path, message: `${migration.path}: up() queried the database ${reply.up.reads} time(s); ${why}` });
  }
  if (reply.downError !== undefined) session.notes.push({ kind: 'info', path: migration.path, message: `${migration.path}: down() could not be captured (${reply.downError}); reversibility is not rehearsed` });
  if (up === undefined) {
    session.notes.push({ kind: 'info', path: migration.path, message: `${migration.path}: up() ran but produced no SQL` });
    return migration;
  }
  if (migration.framework === 'typeorm') session.captured.scratch++;
  else session.captured.offline++;
  return { ...migration, up, ...(down === undefined ? {} : { down }), captured: true };
}

/**
 * A TypeORM set runs in order against one scratch database, up to its last migration that needs
 * capturing: migrations whose SQL was read from literals run too (without replacing that SQL), because
 * the later ones alter the tables they create.
 */
async function captureTypeormSet(session: Session, set: MigrationSet): Promise<Migration[]> {
  const last = set.migrations.findLastIndex(isCapturable);
  let scratch: Scratch;
  try {
    scratch = await openScratch(session.options.scratchParent ?? tmpdir());
  } catch (error) {
    // The environment refused (no room in the temporary directory, listening denied…): this set stays
    // uncaptured, and the sets of the other frameworks are still captured.
    const why = describeError(error);
    session.notes.push({ kind: 'skipped-file', path: set.dir, message: `TypeORM migrations in ${set.dir} not run: ${why}; their builder SQL is not linted or rehearsed` });
    for (const migration of set.migrations.filter(isCapturable)) session.failures.push({ path: migration.path, kind: 'failed', error: why });
    return [...set.migrations];
  }
  const migrations: Migration[] = [];
  try {
    for (const [index, migration] of set.migrations.entries()) {
      if (index > last || migration.framework !== 'typeorm' || migration.language === 'sql') migrations.push(migration);
      else migrations.push(await captureOne(session, set, { ...migration, framework: 'typeorm' }, scratch.database, !isCapturable(migration)));
    }
  } finally {
    await scratch.close();
  }
  return migrations;
}

/**
 * Turns JS migrations that build their SQL with schema builders into SQL by running their `up` and
 * `down` with the framework library installed in the scanned project, one child process per file: Knex
 * and node-pg-migrate without a database connection, TypeORM (whose query runner reads the existing
 * schema before generating DDL) in order against a scratch in-memory PGlite that this process serves on
 * a Unix socket in a private directory (127.0.0.1 on Windows). User code never runs in this process: a
 * migration that throws, crashes its process or hangs becomes a note naming the file, and the others
 * continue; a scratch database that cannot start leaves that TypeORM set uncaptured, with a note. TypeScript
 * migrations are transpiled with the project's own `typescript`.
 *
 * @example
 * const sets = listMigrations(root);
 * if (sets.ok) {
 *   const outcome = await captureMigrations(sets.value, { root });
 *   outcome.sets; // knex/node-pg-migrate/TypeORM builder migrations now carry up (and down) SQL
 * }
 */
export async function captureMigrations(sets: readonly MigrationSet[], options: CaptureOptions): Promise<CaptureOutcome> {
  const runnerPath = options.runnerPath ?? defaultRunnerPath();
  const session: Session = {
    options,
    runnerPath,
    timeoutMs: options.timeoutMs ?? DEFAULT_CAPTURE_TIMEOUT_MS,
    notes: [],
    failures: [],
    missingLibraries: new Set<string>(),
    captured: { offline: 0, scratch: 0 },
  };
  const out: MigrationSet[] = [];
  for (const set of sets) {
    const candidates = set.migrations.filter(isCapturable);
    if (candidates.length === 0) {
      out.push(set);
      continue;
    }
    if (!existsSync(runnerPath)) {
      session.notes.push({ kind: 'info', path: set.dir, message: `migrations not run: the capture runner ${runnerPath} is missing (build shipready first)` });
      out.push(set);
      continue;
    }
    if (set.framework === 'typeorm') {
      out.push({ ...set, migrations: await captureTypeormSet(session, set) });
      continue;
    }
    const migrations: Migration[] = [];
    for (const migration of set.migrations) migrations.push(isCapturable(migration) ? await captureOne(session, set, migration) : migration);
    out.push({ ...set, migrations });
  }
  const { offline, scratch } = session.captured;
  if (offline > 0) {
    session.notes.push({ kind: 'info', message: `${offline} JS migration(s) were run in a child process with the project's own migration library and no database connection; their SQL was captured and linted` });
  }
  if (scratch > 0) {
    session.notes.push({ kind: 'info', message: `${scratch} TypeORM migration(s) were run in a child process with the project's own typeorm against a scratch in-memory PGlite served only to it; the SQL they sent was captured and linted` });
  }
  return { sets: out, notes: session.notes, captured: offline + scratch, failures: session.failures };
}
