import { DEFAULT_REHEARSAL_ROWS, ROW_COUNTS_SQL } from '../migrations/rehearse/defaults.js';
import type { Command } from './command.js';

/** `shipready migrations [path]`: list migrations in run order, lint them, and optionally rehearse them. */
export const migrationsCommand: Command = {
  name: 'migrations',
  summary: 'find, lint and (with --rehearse) rehearse database migrations on a real Postgres',
  usage: [
    'Usage: shipready migrations [path] [options]',
    '',
    'Lists the migrations found (Prisma, Drizzle, node-pg-migrate, Knex, dbmate, Supabase, Flyway, golang-migrate,',
    'TypeORM, MikroORM, Kysely, Sequelize, plain SQL folders) in run order with their transaction mode, and lints them',
    'with the Postgres parser.',
    '',
    'Migrations options:',
    '  --since REF            migrations added or changed since the git ref REF are pending and reported in full',
    '                         (default: the pull/merge request base CI names, else the branch point from the default',
    '                         branch); the applied ones get at most one low finding per rule',
    '  --all-migrations       report the findings of every migration one by one, applied ones too',
    '  --pg-version N         Postgres major version to assume (default: from compose/CI files, else 16)',
    '  --run-js               runs the project\'s code: executes your migration files\' up() and down() with',
    '                         your installed knex, node-pg-migrate or typeorm, one child process per file, to',
    '                         lint the SQL their schema builders generate: knex/node-pg-migrate without a',
    '                         database, TypeORM against a scratch embedded Postgres only shipready can reach',
    '                         (a private Unix socket; 127.0.0.1 on Windows); TypeScript files with your',
    '                         installed typescript. --rehearse implies it',
    '  --rehearse             replay the applied migrations on empty tables, fill them with synthetic rows, then',
    '                         apply the pending ones and report locks, rewrites, durations and whether down',
    '                         migrations restore the schema (--all-migrations: every one on filled tables); runs the',
    '                         project\'s JS migration code as --run-js does',
    '  --database-url URL     rehearse on this server (a scratch database per migration set, created and dropped);',
    '                         default: embedded PGlite',
    `  --rows N               rows per table for the rehearsal (default ${DEFAULT_REHEARSAL_ROWS.toLocaleString('en-US')}); with --row-counts,`,
    '                         at most N per table, and durations are extrapolated to the production counts',
    '  --row-counts FILE      production row counts as JSON { "table": rows }, filled up to --rows (else 1,000,000)',
    '                         and extrapolated beyond; export them with:',
    `                         ${ROW_COUNTS_SQL}`,
  ].join('\n'),
  options: {
    since: { type: 'string' },
    'all-migrations': { type: 'boolean' },
    'pg-version': { type: 'string' },
    rehearse: { type: 'boolean' },
    'run-js': { type: 'boolean' },
    'database-url': { type: 'string' },
    rows: { type: 'string' },
    'row-counts': { type: 'string' },
  },
  async run(input) {
    const { runMigrationsCommand } = await import('./migrations-run.js');
    return runMigrationsCommand(input);
  },
};
