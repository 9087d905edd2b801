/**
 * The migration model shared by discovery, lint and rehearsal: which framework owns a file, in which
 * order it runs, and how the framework wraps it in transactions (which decides whether
 * `CREATE INDEX CONCURRENTLY` can run at all and how long locks are held).
 */
export const FRAMEWORKS = [
  'prisma',
  'drizzle',
  'node-pg-migrate',
  'knex',
  'dbmate',
  'supabase',
  'flyway',
  'golang-migrate',
  'typeorm',
  'mikro-orm',
  'kysely',
  'sequelize',
  'sql',
] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** Frameworks whose JS/TS migrations `--run-js` can run to capture the SQL their builders send (see capture/). */
export type CapturedFramework = 'knex' | 'node-pg-migrate' | 'typeorm';

/**
 * Whether `--run-js` can run this framework's migrations.
 *
 * @example isCapturedFramework('knex') // true
 */
export function isCapturedFramework(framework: Framework): framework is CapturedFramework {
  return framework === 'knex' || framework === 'node-pg-migrate' || framework === 'typeorm';
}

/**
 * - `per-file`: the runner opens a transaction around each migration file.
 * - `per-file-implicit`: the runner sends the whole file as one multi-statement query, which Postgres
 *   runs as one implicit transaction (Prisma, golang-migrate): same effect as `per-file`.
 * - `per-run`: one transaction around every pending migration of a run (Drizzle, TypeORM default).
 * - `none`: each statement commits on its own unless the file opens a transaction itself.
 */
export type TransactionMode = 'per-file' | 'per-file-implicit' | 'per-run' | 'none';

/** A slice of a file that holds the SQL of one direction; offsets are UTF-16 indices into `text`. */
export interface SqlSource {
  /** POSIX path relative to the root. */
  readonly path: string;
  /** The whole file's text, so positions map back to file lines. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /**
   * What the parser reads instead of `text`, same length and line breaks: for JS/TS migrations, the file
   * with everything but the SQL string literals blanked out, so positions still point into the file.
   */
  readonly parseText?: string;
  /**
   * SQL captured by running a JS migration (`--run-js`, `--rehearse`): `parseText` is then the generated
   * SQL, not a mask of the file, and entry i is the file line of the call that produced line i + 1 of it.
   * Positions map to those lines (column 1); `text` stays the migration file, for code frames.
   */
  readonly generatedLines?: readonly number[];
}

export interface Migration {
  /** Version or identifier as the framework orders it (timestamp, `V1.2`, folder name…). */
  readonly id: string;
  readonly name: string;
  readonly framework: Framework;
  /** The file that holds the up migration (for golang-migrate: the `.up.sql`). */
  readonly path: string;
  readonly language: 'sql' | 'js' | 'ts';
  /** SQL of the up direction; absent for JS/TS migrations, whose SQL only exists when they run. */
  readonly up?: SqlSource;
  readonly down?: SqlSource;
  /** Flyway `R__` files: re-applied whenever they change, after all versioned ones. */
  readonly repeatable?: boolean;
  /**
   * For JS/TS migrations whose SQL was read from string literals (`queryRunner.query`, `knex.raw`,
   * `pgm.sql`): how many schema-builder calls in `up` could not be turned into SQL. Only fully converted
   * migrations are linted and rehearsed.
   */
  readonly unconvertedCalls?: number;
  /** True when `up`/`down` hold SQL captured by running the migration with its own framework library. */
  readonly captured?: boolean;
  readonly transaction: TransactionMode;
  /** Why this mode applies (framework default, or the file's own opt-out). */
  readonly transactionReason: string;
  /**
   * The runner still commits after this migration although it runs outside the run's transaction: a
   * TypeORM `up()` that commits that transaction and reopens it (`startTransaction()` or `BEGIN`) leaves the
   * reopened one for TypeORM to commit when the run ends.
   */
  readonly runnerCommitsAfter?: boolean;
}

/** Databases whose migrations discovery can recognise; only PostgreSQL ones are linted and rehearsed. */
export type SqlDialect = 'postgresql' | 'cockroachdb' | 'mysql' | 'sqlite' | 'sqlserver' | 'mongodb' | 'clickhouse' | 'singlestore';

export interface MigrationSet {
  readonly framework: Framework;
  /** Folder the set lives in, relative to the root (`.` for the root itself). */
  readonly dir: string;
  /** Framework default for the set. */
  readonly transaction: TransactionMode;
  /** In the order the framework applies them. */
  readonly migrations: readonly Migration[];
  /** True when the framework keeps down migrations (reversibility can be rehearsed). */
  readonly hasDowns: boolean;
  /** Migration files the framework's own list names (Drizzle's journal) that do not exist or cannot be read. */
  readonly missing?: readonly string[];
  /**
   * The database the set is written for and what says so (a Prisma provider, a Drizzle dialect, a folder name,
   * the SQL's syntax); absent when nothing does, and PostgreSQL is assumed.
   */
  readonly dialect?: { readonly name: SqlDialect; readonly evidence: string };
}

/** A file the discovery read: path relative to the root (POSIX) and its text. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}
