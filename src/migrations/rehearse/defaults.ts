// Rehearsal defaults the CLI shows in `--help`; kept apart so help never loads the database code.

export const DEFAULT_REHEARSAL_ROWS = 100_000;

/**
 * The most rows a table gets from `--row-counts` alone: production tables of 10^8 rows would take hours to
 * fill in PGlite, while a million rows takes seconds and the estimate scales from there. `--rows` sets
 * another limit.
 */
export const PRODUCTION_FILL_CAP = 1_000_000;

/** The one-line query that exports production row counts in the `--row-counts` format. */
export const ROW_COUNTS_SQL =
  "psql \"$DATABASE_URL\" -Atc \"SELECT json_object_agg(CASE WHEN schemaname = 'public' THEN relname ELSE schemaname || '.' || relname END, n_live_tup) FROM pg_stat_user_tables\" > row-counts.json";
