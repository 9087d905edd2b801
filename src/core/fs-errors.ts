/** The `code` of a Node system error (`ENOENT`, `EACCES`, …), or undefined for anything else. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

const EXPECTED = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EISDIR', 'ELOOP']);

/**
 * True for the file-system failures a scan expects (missing, not a directory, not readable): they become
 * notes or typed errors. Anything else is a bug or a broken machine and is rethrown with its cause.
 *
 * @example try { readFileSync(file) } catch (error) { if (!isExpectedFsError(error)) throw new Error(`read ${file}`, { cause: error }); }
 */
export function isExpectedFsError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && EXPECTED.has(code);
}
