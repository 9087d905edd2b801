import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Note } from '../../core/report.js';
import { directionLines } from '../frameworks/code-sql.js';
import type { Migration, MigrationSet, SqlSource } from '../types.js';
import { type CapturedDirection, type CaptureReply, captureReplySchema, type CaptureRequest } from './protocol.js';
import { isExpectedFsError } from '../../core/fs-errors.js';

/** How long one migration file may take (loading the library included) before its process is killed. */
export const DEFAULT_CAPTURE_TIMEOUT_MS = 30_000;

export interface CaptureOptions {
  /** Absolute path of the scanned project; migration paths are relative to it. */
  readonly root: string;
  readonly timeoutMs?: number;
  /** The runner script; default `runner.js` beside this module (in `dist/`). Tests pass a transpiled copy. */
  readonly runnerPath?: string;
  /** The TypeScript module hooks; default `ts-hooks.js` beside the runner. */
  readonly tsHooksPath?: string;
  /**
   * Tests only: a file whose node_modules is searched for knex/node-pg-migrate when the scanned project
   * has none. Without it a project lacking the library gets a note and its migrations stay uncaptured.
   */
  readonly fallbackFrom?: string;
  readonly onProgress?: (line: string) => void;
}

export interface CaptureOutcome {
  /** The sets with captured migrations' `up`/`down` filled in (others unchanged). */
  readonly sets: MigrationSet[];
  readonly notes: Note[];
  /** Migrations whose SQL was captured. */
  readonly captured: number;
  /** Migrations that could not be captured, with where and why (also in `notes`). */
  readonly failures: CaptureFailure[];
}

export interface CaptureFailure {
  readonly path: string;
  readonly kind: 'failed' | 'timeout' | 'crashed' | 'missing-library';
  /** Line in the migration file where it failed, when the error's stack points into it. */
  readonly line?: number;
  readonly error: string;
}

type Capturable = Migration & { readonly framework: 'knex' | 'node-pg-migrate' };

function isCapturable(migration: Migration): migration is Capturable {
  return migration.up === undefined && migration.language !== 'sql' && (migration.framework === 'knex' || migration.framework === 'node-pg-migrate');
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (isExpectedFsError(error)) return undefined;
    throw new Error(`cannot read ${file}`, { cause: error });
  }
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

/**
 * Turns JS migrations that build their SQL with Knex or node-pg-migrate schema builders into SQL by
 * running their `up` and `down` with the framework library installed in the scanned project, one child
 * process per file, without a database connection. User code never runs in this process: a migration
 * that throws, crashes its process or hangs becomes a note naming the file, and the others continue.
 * TypeScript migrations are transpiled with the project's own `typescript`; TypeORM is not run.
 *
 * @example
 * const sets = listMigrations(root);
 * if (sets.ok) {
 *   const outcome = await captureMigrations(sets.value, { root });
 *   outcome.sets; // knex/node-pg-migrate migrations now carry up (and down) SQL
 * }
 */
export async function captureMigrations(sets: readonly MigrationSet[], options: CaptureOptions): Promise<CaptureOutcome> {
  const runnerPath = options.runnerPath ?? defaultRunnerPath();
  const timeoutMs = options.timeoutMs ?? DEFAULT_CAPTURE_TIMEOUT_MS;
  const notes: Note[] = [];
  const failures: CaptureFailure[] = [];
  const missingLibraries = new Set<string>();
  let captured = 0;
  const out: MigrationSet[] = [];
  for (const set of sets) {
    const candidates = set.migrations.filter(isCapturable);
    if (candidates.length > 0 && !existsSync(runnerPath)) {
      notes.push({ kind: 'info', path: set.dir, message: `migrations not run: the capture runner ${runnerPath} is missing (build shipready first)` });
      out.push(set);
      continue;
    }
    const migrations: Migration[] = [];
    for (const migration of set.migrations) {
      if (!isCapturable(migration)) {
        migrations.push(migration);
        continue;
      }
      const missing = [migration.framework, ...(migration.language === 'ts' ? ['typescript'] : [])].find((library) => missingLibraries.has(library));
      if (missing !== undefined) {
        failures.push({ path: migration.path, kind: 'missing-library', error: `${missing} is not installed` });
        migrations.push(migration);
        continue;
      }
      const text = readText(path.join(options.root, migration.path));
      if (text === undefined) {
        migrations.push(migration);
        continue;
      }
      options.onProgress?.(`running ${migration.path} (${migration.framework}) to capture its SQL`);
      const request: CaptureRequest = {
        file: path.join(options.root, migration.path),
        root: options.root,
        framework: migration.framework,
        ...(options.fallbackFrom === undefined ? {} : { fallbackFrom: options.fallbackFrom }),
        ...(migration.language === 'ts' ? { tsHooks: options.tsHooksPath ?? siblingOf(runnerPath, 'ts-hooks.js') } : {}),
      };
      const reply = await runChild(runnerPath, request, timeoutMs);
      if (reply.kind === 'missing-library') {
        missingLibraries.add(reply.library);
        failures.push({ path: migration.path, kind: 'missing-library', error: `${reply.library} is not installed` });
        const which = reply.library === 'typescript' ? `TypeScript ${set.framework} migrations` : `${set.framework} migrations`;
        notes.push({
          kind: 'skipped-file',
          path: set.dir,
          message: `${which} in ${set.dir} not run: ${reply.library} is not installed in ${options.root} (run npm install there first)`,
        });
        migrations.push(migration);
        continue;
      }
      if (reply.kind !== 'captured') {
        const where = reply.line === undefined ? migration.path : `${migration.path}:${reply.line}`;
        const what = reply.kind === 'timeout' ? 'timed out' : reply.kind === 'crashed' ? 'crashed' : 'threw';
        failures.push({ path: migration.path, kind: reply.kind, error: reply.error, ...(reply.line === undefined ? {} : { line: reply.line }) });
        notes.push({ kind: 'skipped-file', path: migration.path, message: `${where}: running up() to capture its SQL ${what}: ${reply.error}; not linted or rehearsed` });
        migrations.push(migration);
        continue;
      }
      const starts = directionLines(migration.path, text);
      const up = capturedSource(migration, text, reply.up, starts.up ?? 1);
      const down = reply.down === undefined ? undefined : capturedSource(migration, text, reply.down, starts.down ?? starts.up ?? 1);
      if (reply.up.reads > 0) {
        notes.push({
          kind: 'info',
          path: migration.path,
          message: `${migration.path}: up() queried the database ${reply.up.reads} time(s); without a connection those queries returned no rows, so the captured SQL follows the empty-database branch`,
        });
      }
      if (reply.downError !== undefined) notes.push({ kind: 'info', path: migration.path, message: `${migration.path}: down() could not be captured (${reply.downError}); reversibility is not rehearsed` });
      if (up === undefined) {
        notes.push({ kind: 'info', path: migration.path, message: `${migration.path}: up() ran but produced no SQL` });
        migrations.push(migration);
        continue;
      }
      captured++;
      migrations.push({ ...migration, up, ...(down === undefined ? {} : { down }), captured: true });
    }
    out.push({ ...set, migrations });
  }
  if (captured > 0) {
    notes.push({ kind: 'info', message: `${captured} JS migration(s) were run in a child process with the project's own migration library and no database connection; their SQL was captured and linted` });
  }
  return { sets: out, notes, captured, failures };
}
