// The rehearsal's entry point for the library and `migrations/index.ts`, without loading the rehearsal: PGlite, pg
// and the database code load on the first call, so `scan` (and `import 'shipready'`) never pull them in.
import type { Result, UserError } from '../../core/result.js';
import type { MigrationSet } from '../types.js';
import type { RehearsalResult, RehearseOptions } from './index.js';

/**
 * Applies every migration to PGlite (or a scratch database on the server at `databaseUrl`) filled with
 * synthetic rows, a fresh database per migration set, and reports locks, rewrites, durations and
 * reversibility as findings and a timeline. Loads the rehearsal code on first use.
 *
 * @example
 * const sets = listMigrations('.');
 * if (sets.ok) {
 *   const rehearsal = await rehearseMigrations(sets.value, { rows: 100_000 });
 *   if (rehearsal.ok) console.log(rehearsal.value.sections[0]?.lines.join('\n'));
 * }
 */
export async function rehearseMigrations(sets: readonly MigrationSet[], options: RehearseOptions = {}): Promise<Result<RehearsalResult, UserError>> {
  const rehearsal = await import('./index.js');
  return rehearsal.rehearseMigrations(sets, options);
}
