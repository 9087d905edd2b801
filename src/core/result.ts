/**
 * Expected failures are values, not exceptions: every fallible engine function returns a `Result`.
 *
 * @example
 * const parsed = parseThing(text);
 * if (!parsed.ok) return parsed; // propagate the typed error
 * use(parsed.value);
 */
export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<E> = { readonly ok: false; readonly error: E };
export type Result<T, E> = Ok<T> | Err<E>;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function err<E>(error: E): Err<E> {
  return { ok: false, error };
}

/**
 * Errors a user can fix (bad path, bad config, bad flag). The CLI prints `message` and `hint` on one
 * line and exits 2; anything that is not a `UserError` is a bug and is rethrown with its cause.
 */
export type UserErrorCode =
  | 'PATH_NOT_FOUND'
  | 'PATH_NOT_DIRECTORY'
  | 'PATH_UNREADABLE'
  | 'CONFIG_INVALID'
  | 'CONFIG_UNREADABLE'
  | 'BASELINE_INVALID'
  | 'USAGE'
  | 'OUTPUT_UNWRITABLE'
  | 'NETWORK'
  | 'DATABASE'
  | 'TEMP_DIR'
  | 'INPUT_INVALID';

export interface UserError {
  readonly code: UserErrorCode;
  readonly message: string;
  readonly hint?: string;
  /** Extra lines (e.g. every config problem); the CLI prints them after the one-line summary. */
  readonly details?: readonly string[];
}

export function userError(code: UserErrorCode, message: string, hint?: string, details?: readonly string[]): UserError {
  return { code, message, ...(hint === undefined ? {} : { hint }), ...(details === undefined ? {} : { details }) };
}
