import { z } from 'zod';

/** How the capture runner reaches the parent's scratch PGlite: pg's `host` and `port` connection options. */
export interface ScratchDatabase {
  readonly host: string;
  readonly port: number;
}

/** What the parent asks the capture runner (sent over IPC). */
export interface CaptureRequest {
  /** Absolute path of the migration file. */
  readonly file: string;
  /** Absolute path of the scanned project: the framework library is resolved from its node_modules. */
  readonly root: string;
  readonly framework: 'knex' | 'node-pg-migrate' | 'typeorm';
  /**
   * TypeORM only: where the scratch database the migration runs against is served (TypeORM's query
   * runner reads the existing schema before it generates DDL). On POSIX `host` is a private directory
   * (mode 0700) holding the Unix socket `.s.PGSQL.<port>`, which is how pg names it; on Windows it is
   * 127.0.0.1 and `port` a TCP port.
   */
  readonly database?: ScratchDatabase;
  /**
   * A file whose node_modules is searched when the project has no copy of the library. Only tests set
   * it (fixture projects cannot commit node_modules); production never falls back silently.
   */
  readonly fallbackFrom?: string;
  /**
   * The module hooks (`ts-hooks.js`): for `.ts`/`.mts` migrations, and for migrations that import the
   * framework themselves (TypeORM) when `fallbackFrom` is set.
   */
  readonly tsHooks?: string;
}

const statementSchema = z.object({ sql: z.string(), line: z.number().int().positive().optional() });
const directionSchema = z.object({ statements: z.array(statementSchema), reads: z.number().int().nonnegative() });

/** The runner's single reply. */
export const captureReplySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('captured'), up: directionSchema, down: directionSchema.optional(), downError: z.string().optional() }),
  z.object({ kind: z.literal('failed'), error: z.string(), line: z.number().int().positive().optional() }),
  z.object({ kind: z.literal('missing-library'), library: z.string() }),
]);

export type CaptureReply = z.infer<typeof captureReplySchema>;
export type CapturedDirection = z.infer<typeof directionSchema>;
export type CapturedStatement = z.infer<typeof statementSchema>;
