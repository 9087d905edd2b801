/** Types for scripts/complete-lockfile.mjs, so the lockfile test imports it without `any`. */
export interface MissingOptionalDependency {
  readonly dependency: string;
  readonly version: string;
  readonly dev: boolean;
}
export function platformOf(name: string): { os?: string[]; cpu: string[]; libc?: string[] } | undefined;
export function missingOptionalDependencies(lock: unknown): MissingOptionalDependency[];
export function completeLockfile(lock: unknown): { lock: unknown; added: number; skipped: string[] };
