/**
 * The child process that turns one JS migration into SQL. It runs only in a process forked by
 * `captureMigrations` (so user code never runs inside shipready), loads the migration framework from the
 * scanned project's own node_modules, calls `up` (and `down`) — without any database connection for Knex
 * and node-pg-migrate, against the parent's scratch PGlite for TypeORM — and sends back the SQL the
 * framework generated, each statement with the line of the call that produced it.
 *
 * The process is disposable: it patches the framework's classes in place and exits after one reply.
 * Like `bin/shipready.js`, it is a process entry point, which is why it (and only it, in the engine)
 * talks to `process` directly: `process.send` for the reply, `process.exit` when done.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire, register } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
// Type-only import: the runner must load with nothing but Node built-ins (tests transpile it alone).
import type { CapturedDirection, CapturedStatement, CaptureReply, CaptureRequest } from './protocol.js';
import { TYPEORM_READ_ONLY_METHODS } from '../typeorm-read-only.js';

type AnyFunction = (...args: unknown[]) => unknown;

function isRecord(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

function isFunction(value: unknown): value is AnyFunction {
  return typeof value === 'function';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The line in `file` of the innermost stack frame that belongs to it: where the user's call is. */
function lineIn(file: string, stack: string | undefined): number | undefined {
  if (stack === undefined) return undefined;
  const url = pathToFileURL(file).href;
  for (const frame of stack.split('\n').slice(1)) {
    const match = /\(?((?:file:\/\/)?[^()\s]+):(\d+):\d+\)?\s*$/.exec(frame);
    if (match === null) continue;
    const location = match[1] ?? '';
    if (location === file || location === url) return Number(match[2]);
  }
  return undefined;
}

function callerLine(file: string): number | undefined {
  return lineIn(file, new Error('caller').stack);
}

/**
 * Resolves a framework package from the scanned project, or — only when the parent passed
 * `fallbackFrom` (tests, whose fixture projects cannot commit node_modules) — from there.
 */
function resolvePackage(request: CaptureRequest, name: string): string | undefined {
  const bases = [path.join(request.root, 'package.json'), ...(request.fallbackFrom === undefined ? [] : [request.fallbackFrom])];
  for (const base of bases) {
    try {
      return createRequire(base).resolve(name);
    } catch {
      // Not installed there: try the next base.
    }
  }
  return undefined;
}

async function loadMigration(file: string): Promise<Record<string, unknown>> {
  const loaded: unknown = await import(pathToFileURL(file).href);
  if (!isRecord(loaded)) return {};
  // CommonJS `module.exports = { up, down }` arrives as `default`.
  const fallback = loaded['default'];
  if (!isFunction(loaded['up']) && isRecord(fallback)) return fallback;
  return loaded;
}

interface Recorder {
  statements: CapturedStatement[];
  reads: number;
}

const TRANSACTION_CONTROL = /^\s*(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|ROLLBACK TO SAVEPOINT)\b/i;
const READ_QUERY = /^\s*(SELECT|WITH\b[\s\S]*\bSELECT|SHOW)\b/i;

/**
 * Knex without a connection: a `client: 'pg'` instance whose connection, runner and query methods are
 * replaced so every query the migration awaits is recorded (with its bindings inlined by Knex) and
 * answered with an empty result, instead of going to a database.
 */
async function captureKnex(request: CaptureRequest, migration: Record<string, unknown>): Promise<CaptureReply> {
  const resolved = resolvePackage(request, 'knex');
  if (resolved === undefined) return { kind: 'missing-library', library: 'knex' };
  const required: unknown = createRequire(resolved)(resolved);
  const factory = isFunction(required) ? required : isRecord(required) && isFunction(required['knex']) ? required['knex'] : undefined;
  if (factory === undefined) return { kind: 'failed', error: `${resolved} does not export a knex factory` };
  const file = request.file;
  let recorder: Recorder = { statements: [], reads: 0 };
  const lines = new WeakMap<object, number>();
  let currentLine: number | undefined;
  const knex = factory({ client: 'pg' });
  if (!isRecord(knex) || !isRecord(knex['client'])) return { kind: 'failed', error: 'knex({ client: "pg" }) did not return a knex instance' };
  const proto: unknown = Object.getPrototypeOf(knex['client']);
  if (!isRecord(proto)) return { kind: 'failed', error: 'unexpected knex client shape' };
  // The pg client's prototype is patched (not the instance) so that transaction clients, which Knex
  // creates from that prototype, are captured too.
  const tagged = (name: string): void => {
    const original = proto[name];
    if (!isFunction(original)) return;
    proto[name] = function (this: unknown, ...args: unknown[]): unknown {
      const made = original.apply(this, args);
      const line = callerLine(file);
      if (isRecord(made) && line !== undefined) lines.set(made, line);
      return made;
    };
  };
  for (const name of ['schemaBuilder', 'queryBuilder', 'raw']) tagged(name);
  const originalRunner = proto['runner'];
  if (isFunction(originalRunner)) {
    proto['runner'] = function (this: unknown, builder: unknown): unknown {
      const runner = originalRunner.call(this, builder);
      const query = isRecord(runner) ? runner['query'] : undefined;
      if (isRecord(runner) && isFunction(query)) {
        // Runner.query calls client.query synchronously before its first await, so the line set here is
        // the one client.query reads, even when the migration runs queries concurrently.
        runner['query'] = (obj: unknown): unknown => {
          currentLine = isRecord(builder) ? lines.get(builder) : undefined;
          return query.call(runner, obj);
        };
      }
      return runner;
    };
  }
  const connection = { __knexUid: 'shipready-capture' };
  proto['acquireConnection'] = async (): Promise<unknown> => connection;
  proto['releaseConnection'] = async (): Promise<void> => undefined;
  const raw = proto['raw'];
  proto['query'] = function (this: unknown, _connection: unknown, queryParam: unknown): Promise<unknown> {
    const line = currentLine;
    currentLine = undefined;
    const object = typeof queryParam === 'string' ? { sql: queryParam } : isRecord(queryParam) ? queryParam : { sql: '' };
    const sqlText = typeof object['sql'] === 'string' ? object['sql'] : '';
    const bindings = Array.isArray(object['bindings']) ? object['bindings'] : [];
    let text = sqlText;
    if (bindings.length > 0 && isFunction(raw)) {
      const formatted = raw.call(this, sqlText, bindings);
      const toString = isRecord(formatted) ? formatted['toString'] : undefined;
      if (isFunction(toString)) text = String(toString.call(formatted));
    }
    if (READ_QUERY.test(text)) recorder.reads++;
    else if (!TRANSACTION_CONTROL.test(text) && text.trim() !== '') recorder.statements.push({ sql: text, ...(line === undefined ? {} : { line }) });
    return Promise.resolve({ ...object, response: { rows: [], rowCount: 0, fields: [], command: '' } });
  };
  const run = async (direction: 'up' | 'down'): Promise<CapturedDirection | undefined> => {
    const action = migration[direction];
    if (!isFunction(action)) return undefined;
    recorder = { statements: [], reads: 0 };
    await action(knex);
    return { statements: recorder.statements, reads: recorder.reads };
  };
  return captureBoth(file, run);
}

/**
 * node-pg-migrate accumulates SQL in a MigrationBuilder and only sends it after `up` returns, so `up` runs
 * against a builder whose `db` is a stand-in; each builder call's new steps get the line of that call.
 */
async function capturePgm(request: CaptureRequest, migration: Record<string, unknown>): Promise<CaptureReply> {
  const resolved = resolvePackage(request, 'node-pg-migrate');
  if (resolved === undefined) return { kind: 'missing-library', library: 'node-pg-migrate' };
  const library: unknown = await import(pathToFileURL(resolved).href);
  const Builder = isRecord(library) ? library['MigrationBuilder'] : undefined;
  if (!isFunction(Builder)) return { kind: 'failed', error: `${resolved} does not export MigrationBuilder` };
  const file = request.file;
  const shorthands = isRecord(migration['shorthands']) ? migration['shorthands'] : undefined;
  const run = async (direction: 'up' | 'down'): Promise<CapturedDirection | undefined> => {
    let action = migration[direction];
    let reverse = false;
    // node-pg-migrate derives a missing down from up (reverse mode); `down = false` means none.
    if (direction === 'down' && action === undefined) {
      action = migration['up'];
      reverse = true;
    }
    if (!isFunction(action)) return undefined;
    let reads = 0;
    const db = {
      query: async (): Promise<unknown> => {
        reads++;
        return { rows: [], rowCount: 0 };
      },
      select: async (): Promise<unknown[]> => {
        reads++;
        return [];
      },
    };
    const pgm: unknown = Reflect.construct(Builder, [db, shorthands, false, { info() {}, warn() {}, error() {}, debug() {} }]);
    if (!isRecord(pgm)) return undefined;
    if (reverse && isFunction(pgm['enableReverseMode'])) pgm['enableReverseMode'].call(pgm);
    const steps = (): string[] => {
      const get = pgm['getSqlSteps'];
      const value: unknown = isFunction(get) ? get.call(pgm) : [];
      return Array.isArray(value) ? value.map(String) : [];
    };
    const stepLines: Array<number | undefined> = [];
    const proxy = new Proxy(pgm, {
      get(target, property, receiver): unknown {
        const value: unknown = Reflect.get(target, property, receiver);
        if (!isFunction(value) || typeof property !== 'string' || property.startsWith('_') || property === 'getSql' || property === 'getSqlSteps') return value;
        return (...args: unknown[]): unknown => {
          const before = steps().length;
          const line = callerLine(file);
          const result = value.apply(target, args);
          for (let index = before; index < steps().length; index++) stepLines[index] = line;
          return result;
        };
      },
    });
    if (action.length >= 2) await new Promise<void>((resolve) => void action.call(migration, proxy, () => resolve()));
    else await action.call(migration, proxy);
    const sql = steps();
    // In reverse mode getSqlSteps() returns the steps last-first; their lines follow.
    const ordered = reverse ? [...stepLines].reverse() : stepLines;
    return { statements: sql.map((text, index) => ({ sql: text, ...(ordered[index] === undefined ? {} : { line: ordered[index] }) })), reads };
  };
  return captureBoth(file, run);
}

/** `'` quoted, with quotes doubled (the server runs with standard_conforming_strings on). */
function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * Turns a query parameter into the text `pg` would send for it (`prepareValue`), as an untyped literal:
 * pg sends parameters untyped too, so the server infers the same type from the context (`'{"1","2"}'` as an
 * array in `= ANY(…)`, `'NaN'` as a float).
 */
function sqlLiteral(value: unknown, toText: (value: unknown) => unknown): string {
  const text = toText(value);
  if (text === null || text === undefined) return 'NULL';
  // pg sends a Buffer as binary; its bytea text form is `\x` and hex.
  if (text instanceof Uint8Array) return quoteLiteral(`\\x${Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('hex')}`);
  return quoteLiteral(typeof text === 'string' ? text : String(text));
}

/** The length of the `/* … *\/` comment at the start of `rest`, which Postgres lets nest. */
function blockCommentLength(rest: string): number {
  let depth = 0;
  let index = 0;
  while (index < rest.length) {
    if (rest.startsWith('/*', index)) {
      depth++;
      index += 2;
    } else if (rest.startsWith('*/', index)) {
      depth--;
      index += 2;
      if (depth === 0) return index;
    } else index++;
  }
  return rest.length;
}

const IDENTIFIER = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/;

/**
 * Replaces `$1`… placeholders with the parameters as SQL literals, so the statement can be linted and
 * rehearsed on its own. `toText` is the `prepareValue` of the `pg` the query would have gone through.
 * Placeholders inside quoted strings (`E'…'` with its backslash escapes included), quoted identifiers,
 * identifiers (`a$1`), comments and dollar-quoted bodies are left alone.
 *
 * @example inlineParameters('UPDATE t SET a = $1 WHERE b = ANY($2)', ["it's", [1, 2]], pg.utils.prepareValue) // UPDATE t SET a = 'it''s' WHERE b = ANY('{"1","2"}')
 */
export function inlineParameters(sql: string, parameters: readonly unknown[], toText: (value: unknown) => unknown): string {
  if (parameters.length === 0) return sql;
  let out = '';
  let index = 0;
  while (index < sql.length) {
    const char = sql[index] ?? '';
    const rest = sql.slice(index);
    let skip: RegExpExecArray | null = null;
    if (char === "'") skip = /^'(?:[^']|'')*'?/.exec(rest);
    else if (char === '"') skip = /^"(?:[^"]|"")*"?/.exec(rest);
    else if (rest.startsWith('--')) skip = /^--[^\n]*/.exec(rest);
    else if (rest.startsWith('/*')) {
      const length = blockCommentLength(rest);
      out += rest.slice(0, length);
      index += length;
      continue;
    } else if (IDENTIFIER.test(char)) {
      // An identifier is consumed whole, so `E'` only starts an escape string where a word begins.
      skip = /^[eE]'(?:[^'\\]|\\[\s\S]|'')*'?/.exec(rest) ?? IDENTIFIER.exec(rest);
    } else if (char === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(rest);
      if (tag !== null) {
        const close = rest.indexOf(tag[0], tag[0].length);
        out += close === -1 ? rest : rest.slice(0, close + tag[0].length);
        index += close === -1 ? rest.length : close + tag[0].length;
        continue;
      }
      const placeholder = /^\$(\d+)/.exec(rest);
      const position = placeholder === null ? 0 : Number(placeholder[1]);
      if (placeholder !== null && position >= 1 && position <= parameters.length) {
        out += sqlLiteral(parameters[position - 1], toText);
        index += placeholder[0].length;
        continue;
      }
    }
    const span = skip === null ? char : skip[0];
    out += span;
    index += Math.max(span.length, 1);
  }
  return out;
}

/** The exported class with an `up` method: what TypeORM's migration loader instantiates. */
function migrationClass(loaded: Record<string, unknown>): AnyFunction | undefined {
  const isMigration = (value: unknown): value is AnyFunction => isFunction(value) && isRecord(value.prototype) && isFunction(value.prototype['up']);
  // `loadMigration` unwraps a CommonJS or default export, which may be the class itself.
  if (isMigration(loaded)) return loaded;
  const fallback = loaded['default'];
  return [fallback, ...Object.values(loaded), ...(isRecord(fallback) ? Object.values(fallback) : [])].find(isMigration);
}

async function callMethod(target: Record<string, unknown>, name: string, ...args: unknown[]): Promise<unknown> {
  const method = target[name];
  if (!isFunction(method)) throw new Error(`the TypeORM object has no ${name}() method`);
  return method.apply(target, args);
}

/**
 * Where a query runner's `query` call comes from: `undefined` is the migration itself (or the entity
 * manager and query builders it drives), `'internal'` a read-only or transaction-control method
 * (`TYPEORM_READ_ONLY_METHODS`, at any depth), `'method'` any other query runner method the migration called
 * (a builder, whose DDL goes through `executeQueries`, or `clearTable`, which sends its TRUNCATE itself).
 */
type QueryScope = 'internal' | 'method';

/**
 * Patches one query runner instance so that the statements the migration issues are recorded and the
 * schema introspection TypeORM does on its behalf is not. Each method runs inside a scope (an
 * AsyncLocalStorage, so it follows the awaits of concurrent calls): nothing sent inside a read-only
 * method is recorded; inside any other method, every statement that is neither a read nor transaction
 * control is. Only the migration's own reads count as reads: a builder's lookups are introspection.
 */
function instrumentQueryRunner(queryRunner: Record<string, unknown>, file: string, recorder: Recorder, toText: (value: unknown) => unknown): void {
  const scope = new AsyncLocalStorage<QueryScope>();
  const names = new Set<string>();
  for (let proto: unknown = Object.getPrototypeOf(queryRunner); isRecord(proto) && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name !== 'constructor' && isFunction(Object.getOwnPropertyDescriptor(proto, name)?.value)) names.add(name);
    }
  }
  const record = (args: readonly unknown[]): void => {
    const current = scope.getStore();
    if (current === 'internal') return;
    const sqlText = typeof args[0] === 'string' ? args[0] : '';
    const text = inlineParameters(sqlText, Array.isArray(args[1]) ? args[1] : [], toText);
    const line = callerLine(file);
    if (READ_QUERY.test(text)) {
      if (current === undefined) recorder.reads++;
    } else if (!TRANSACTION_CONTROL.test(text) && text.trim() !== '') recorder.statements.push({ sql: text, ...(line === undefined ? {} : { line }) });
  };
  for (const name of names) {
    const original = queryRunner[name];
    // `sql` (a tagged template) only builds the migration's own query and passes it to `query`.
    if (!isFunction(original) || name === 'sql') continue;
    if (name === 'query' || name === 'stream') {
      // `stream` sends its query on the connection itself, bypassing `query`.
      queryRunner[name] = function (this: unknown, ...args: unknown[]): unknown {
        record(args);
        return original.apply(this, args);
      };
      continue;
    }
    // Any method not known to be read-only (builders, `clearTable`, `clearDatabase`…) may send statements of its
    // own with `this.query`, so whatever it writes is recorded.
    const own: QueryScope = TYPEORM_READ_ONLY_METHODS.has(name) ? 'internal' : 'method';
    queryRunner[name] = function (this: unknown, ...args: unknown[]): unknown {
      // Once inside a read-only method, everything it calls stays unrecorded.
      const current = scope.getStore();
      return current === 'internal' || current === own ? original.apply(this, args) : scope.run(own, () => original.apply(this, args));
    };
  }
}

/** pg's `utils.prepareValue`: how it turns a query parameter into the text it sends. */
function pgPrepareValue(pg: unknown): ((value: unknown) => unknown) | undefined {
  const utils = isRecord(pg) ? pg['utils'] : undefined;
  const prepare = isRecord(utils) ? utils['prepareValue'] : undefined;
  return isFunction(prepare) ? (value: unknown): unknown => prepare(value) : undefined;
}

function isModuleNotFound(error: unknown): boolean {
  return isRecord(error) && error['code'] === 'MODULE_NOT_FOUND';
}

/**
 * Whether `pg` itself resolves: a MODULE_NOT_FOUND while loading it may be about one of its own
 * dependencies. Any other resolution error means pg is there but broken, which the caller reports.
 */
function isPgPresent(require: NodeJS.Require): boolean {
  try {
    require.resolve('pg');
    return true;
  } catch (error) {
    return !isModuleNotFound(error);
  }
}

/**
 * TypeORM's Postgres query runner loads the existing table from the database before it generates ALTER
 * SQL, so the migration runs for real against the scratch database (PGlite, which holds the earlier
 * migrations of the set) that the parent serves on a private Unix socket (loopback TCP on Windows). `up`
 * runs in a transaction that is committed (unless the class sets `transaction = false`) so the next
 * migration finds its schema; `down` runs in a transaction that is rolled back, so it is captured without
 * undoing `up`.
 */
async function captureTypeorm(request: CaptureRequest, loaded: Record<string, unknown>): Promise<CaptureReply> {
  const resolved = resolvePackage(request, 'typeorm');
  if (resolved === undefined) return { kind: 'missing-library', library: 'typeorm' };
  // TypeORM loads the driver from its own location, as it does when the project runs it.
  const fromTypeorm = createRequire(resolved);
  let pg: unknown;
  try {
    pg = fromTypeorm(fromTypeorm.resolve('pg'));
  } catch (error) {
    // Only an absent pg is a missing library; a broken one (unreadable package.json, a throwing module) is a failure.
    if (isModuleNotFound(error) && !isPgPresent(fromTypeorm)) return { kind: 'missing-library', library: 'pg' };
    return { kind: 'failed', error: `cannot load pg (from ${resolved}): ${errorMessage(error)}` };
  }
  const toText = pgPrepareValue(pg);
  if (toText === undefined) return { kind: 'failed', error: `the pg that ${resolved} loads has no utils.prepareValue` };
  const database = request.database;
  if (database === undefined) return { kind: 'failed', error: 'no scratch database was given to the capture runner' };
  const library: unknown = fromTypeorm(resolved);
  const DataSource = isRecord(library) ? library['DataSource'] : undefined;
  if (!isFunction(DataSource)) return { kind: 'failed', error: `${resolved} does not export DataSource` };
  const Migration = migrationClass(loaded);
  if (Migration === undefined) return { kind: 'failed', error: 'the migration exports no class with an up method' };
  const file = request.file;
  let instance: unknown;
  try {
    instance = Reflect.construct(Migration, []);
  } catch (error) {
    return failure(file, `cannot construct the migration class: ${errorMessage(error)}`, error);
  }
  // One pooled connection: PGlite is a single session, and the migration sees one connection anyway.
  // The host is the scratch server's private socket directory (pg connects to `<host>/.s.PGSQL.<port>`
  // there), or 127.0.0.1 on Windows.
  const dataSource: unknown = Reflect.construct(DataSource, [{ type: 'postgres', host: database.host, port: database.port, username: 'postgres', database: 'postgres', poolSize: 1, logging: false, synchronize: false, migrationsRun: false, entities: [], migrations: [] }]);
  if (!isRecord(instance) || !isRecord(dataSource)) return { kind: 'failed', error: 'unexpected TypeORM object shape' };
  try {
    await callMethod(dataSource, 'initialize');
  } catch (error) {
    return { kind: 'failed', error: `cannot connect to the scratch database: ${errorMessage(error)}` };
  }
  const run = async (direction: 'up' | 'down'): Promise<CapturedDirection | undefined> => {
    const action = instance[direction];
    if (!isFunction(action)) return undefined;
    const queryRunner = await callMethod(dataSource, 'createQueryRunner');
    if (!isRecord(queryRunner)) throw new Error('createQueryRunner() did not return a query runner');
    const recorder: Recorder = { statements: [], reads: 0 };
    instrumentQueryRunner(queryRunner, file, recorder, toText);
    const inTransaction = direction === 'down' || instance['transaction'] !== false;
    try {
      if (inTransaction) await callMethod(queryRunner, 'startTransaction');
      try {
        await action.call(instance, queryRunner);
      } catch (error) {
        if (inTransaction && queryRunner['isTransactionActive'] === true) await callMethod(queryRunner, 'rollbackTransaction');
        throw error;
      }
      if (inTransaction && queryRunner['isTransactionActive'] === true) await callMethod(queryRunner, direction === 'up' ? 'commitTransaction' : 'rollbackTransaction');
    } finally {
      await callMethod(queryRunner, 'release');
    }
    return { statements: recorder.statements, reads: recorder.reads };
  };
  try {
    return await captureBoth(file, run);
  } finally {
    await callMethod(dataSource, 'destroy');
  }
}

/** A failure located at the innermost frame of the migration file in the error's stack, when there is one. */
function failure(file: string, message: string, error: unknown): CaptureReply {
  const line = lineIn(file, error instanceof Error ? error.stack : undefined);
  return { kind: 'failed', error: message, ...(line === undefined ? {} : { line }) };
}

async function captureBoth(file: string, run: (direction: 'up' | 'down') => Promise<CapturedDirection | undefined>): Promise<CaptureReply> {
  let up: CapturedDirection | undefined;
  try {
    up = await run('up');
  } catch (error) {
    return failure(file, errorMessage(error), error);
  }
  if (up === undefined) return { kind: 'failed', error: 'the migration exports no up function' };
  let down: CapturedDirection | undefined;
  let downError: string | undefined;
  try {
    down = await run('down');
  } catch (error) {
    downError = errorMessage(error);
  }
  return { kind: 'captured', up, ...(down === undefined ? {} : { down }), ...(downError === undefined ? {} : { downError }) };
}

function isRequest(value: unknown): value is CaptureRequest {
  return (
    isRecord(value) &&
    typeof value['file'] === 'string' &&
    typeof value['root'] === 'string' &&
    (value['framework'] === 'knex' || value['framework'] === 'node-pg-migrate' || value['framework'] === 'typeorm') &&
    (value['database'] === undefined || (isRecord(value['database']) && typeof value['database']['host'] === 'string' && typeof value['database']['port'] === 'number')) &&
    (value['fallbackFrom'] === undefined || typeof value['fallbackFrom'] === 'string') &&
    (value['tsHooks'] === undefined || typeof value['tsHooks'] === 'string')
  );
}

async function capture(request: CaptureRequest): Promise<CaptureReply> {
  // TypeORM migrations import the library themselves: without it they would fail to load, not be skipped.
  if (request.framework === 'typeorm' && resolvePackage(request, 'typeorm') === undefined) return { kind: 'missing-library', library: 'typeorm' };
  const fallbackFrom = request.framework === 'typeorm' ? request.fallbackFrom : undefined;
  if (/\.m?ts$/.test(request.file)) {
    // TypeScript migrations are transpiled with the project's own compiler; shipready ships none.
    const typescript = resolvePackage(request, 'typescript');
    if (typescript === undefined) return { kind: 'missing-library', library: 'typescript' };
    if (request.tsHooks === undefined) return { kind: 'failed', error: 'no TypeScript loader was given to the capture runner' };
    register(pathToFileURL(request.tsHooks).href, { data: { typescript, fallbackFrom } });
    process.setSourceMapsEnabled(true);
  } else if (fallbackFrom !== undefined && request.tsHooks !== undefined) {
    // TypeORM migrations import the library themselves; in tests it is only found from fallbackFrom.
    register(pathToFileURL(request.tsHooks).href, { data: { fallbackFrom } });
  }
  let migration: Record<string, unknown>;
  try {
    migration = await loadMigration(request.file);
  } catch (error) {
    return failure(request.file, `cannot load the migration: ${errorMessage(error)}`, error);
  }
  if (request.framework === 'typeorm') return captureTypeorm(request, migration);
  return request.framework === 'knex' ? captureKnex(request, migration) : capturePgm(request, migration);
}

function send(reply: CaptureReply): void {
  // Exit only once the reply is flushed, so a migration's stray timers cannot keep the process alive.
  if (process.send === undefined) process.exit(3);
  process.send(reply, () => process.exit(0));
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  Error.stackTraceLimit = 100;
  process.once('message', (message: unknown) => {
    if (!isRequest(message)) {
      send({ kind: 'failed', error: 'invalid capture request' });
      return;
    }
    capture(message).then(send, (error: unknown) => send({ kind: 'failed', error: errorMessage(error) }));
  });
}
