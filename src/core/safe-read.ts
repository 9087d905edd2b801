import * as fs from 'node:fs';
import { err, ok, userError, type Result, type UserError, type UserErrorCode } from './result.js';
import { errorCode } from './fs-errors.js';

/** Why a file was not read: it is missing, not a regular file (a FIFO, socket, device or directory), too large, or unreadable. */
export type ReadRefusal =
  | { readonly code: 'NOT_FOUND'; readonly message: string }
  | { readonly code: 'NOT_REGULAR'; readonly message: string; readonly kind: string }
  | { readonly code: 'TOO_LARGE'; readonly message: string; readonly size: number }
  | { readonly code: 'UNREADABLE'; readonly message: string; readonly errno: string };

function kindOf(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/**
 * Reads a file only when it is a regular file of at most `maxBytes`. The file is opened non-blocking and
 * checked on the open descriptor, so a FIFO swapped in after a `stat` cannot block the read, `/dev/zero`
 * cannot fill memory, and a file that grows while being read is cut at the cap instead of read forever.
 *
 * @example
 * const read = readRegularFile('shipready.config.yaml', 1024 * 1024);
 * if (!read.ok) console.error(read.error.message); // 'shipready.config.yaml is a named pipe (FIFO), not a regular file'
 */
export function readRegularFile(file: string, maxBytes: number): Result<Buffer, ReadRefusal> {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return err({ code: 'NOT_FOUND', message: `${file} does not exist` });
    if (code === 'EISDIR') return err({ code: 'NOT_REGULAR', message: `${file} is a directory, not a regular file`, kind: 'a directory' });
    if (code === 'EACCES' || code === 'EPERM' || code === 'ELOOP' || code === 'ENXIO' || code === 'EAGAIN') return err({ code: 'UNREADABLE', message: `${file} is not readable (${code})`, errno: code });
    throw new Error(`cannot open ${file}`, { cause: error });
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      const kind = kindOf(stat);
      return err({ code: 'NOT_REGULAR', message: `${file} is ${kind}, not a regular file`, kind });
    }
    if (stat.size > maxBytes) return err({ code: 'TOO_LARGE', message: `${file} is larger than ${maxBytes} bytes`, size: stat.size });
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) return err({ code: 'TOO_LARGE', message: `${file} is larger than ${maxBytes} bytes`, size: length });
    return ok(buffer.subarray(0, length));
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EISDIR' || code === 'EACCES' || code === 'EPERM' || code === 'EIO' || code === 'EAGAIN') return err({ code: 'UNREADABLE', message: `${file} is not readable (${code})`, errno: code });
    throw new Error(`cannot read ${file}`, { cause: error });
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The cap on a file named by an option or found beside the repository for shipready itself (a config, a baseline,
 * a targets or row-counts file): the largest real ones are a few hundred KiB, and `/dev/zero` or a runaway
 * generator must fail with a message instead of filling memory.
 */
export const MAX_INPUT_FILE_BYTES = 16 * 1024 * 1024;

export interface InputFileOptions {
  /** What the file is, for the message: 'config', 'baseline', '--targets file'. */
  readonly what: string;
  readonly code: UserErrorCode;
  /** How to fix it, shown after the message. */
  readonly hint: string;
  readonly maxBytes?: number;
}

function formatLimit(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/**
 * Reads a file shipready was pointed at (`--config`, `--baseline`, `--targets`, `--row-counts`, a discovered
 * config) as UTF-8 text, through `readRegularFile`: a FIFO, socket or device, a directory, a missing file and
 * one over the cap are each a one-line `UserError`, never a hang or an out-of-memory crash.
 *
 * @example
 * const text = readInputFile('/repo/.shipready-baseline.json', { what: 'baseline', code: 'BASELINE_INVALID', hint: 'create one with `shipready scan --write-baseline`' });
 * if (!text.ok) return text; // "baseline /repo/.shipready-baseline.json is a named pipe (FIFO), not a regular file"
 */
export function readInputFile(file: string, options: InputFileOptions): Result<string, UserError> {
  const read = readRegularFile(file, options.maxBytes ?? MAX_INPUT_FILE_BYTES);
  return read.ok ? ok(read.value.toString('utf8')) : err(inputFileError(file, read.error, options));
}

/**
 * The one-line `UserError` for a refused input file, worded as `readInputFile` words it.
 *
 * @example inputFileError('/repo/shipready.config.yaml', refusal, { what: 'config', code: 'CONFIG_UNREADABLE', hint: 'check the path' })
 */
export function inputFileError(file: string, refusal: ReadRefusal, options: InputFileOptions): UserError {
  const maxBytes = options.maxBytes ?? MAX_INPUT_FILE_BYTES;
  const message =
    refusal.code === 'NOT_FOUND'
      ? `cannot read ${options.what} ${file} (ENOENT)`
      : refusal.code === 'NOT_REGULAR'
        ? `${options.what} ${file} is ${refusal.kind}, not a regular file`
        : refusal.code === 'TOO_LARGE'
          ? `${options.what} ${file} is larger than ${formatLimit(maxBytes)}`
          : `cannot read ${options.what} ${file} (${refusal.errno})`;
  const hint = refusal.code === 'TOO_LARGE' ? `no ${options.what} is that large: check the path (${options.hint})` : options.hint;
  return userError(refusal.code === 'NOT_FOUND' && options.code === 'PATH_UNREADABLE' ? 'PATH_NOT_FOUND' : options.code, message, hint);
}

/**
 * Writes `data` to `file` inside a repository shipready was pointed at (`--write-baseline`), refusing what a
 * hostile repository could plant there: a symbolic link (which would make shipready overwrite `~/.bashrc` or
 * `~/.ssh/authorized_keys`) and a FIFO or device (opening a FIFO for writing blocks until someone reads it).
 *
 * @example const written = writeRegularFile('/repo/.shipready-baseline.json', text); if (!written.ok) console.error(written.error.message);
 */
export function writeRegularFile(file: string, data: string): Result<void, ReadRefusal> {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0), 0o644);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ELOOP' || code === 'EMLINK') return err({ code: 'NOT_REGULAR', message: `${file} is a symbolic link; not written through`, kind: 'a symbolic link' });
    if (code === 'ENXIO') return err({ code: 'NOT_REGULAR', message: `${file} is a named pipe (FIFO) or socket, not a regular file`, kind: 'a named pipe (FIFO) or socket' });
    if (code === 'EISDIR') return err({ code: 'NOT_REGULAR', message: `${file} is a directory, not a regular file`, kind: 'a directory' });
    if (code === 'ENOENT' || code === 'ENOTDIR') return err({ code: 'NOT_FOUND', message: `${file}: no such directory` });
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOSPC') return err({ code: 'UNREADABLE', message: `${file} is not writable (${code})`, errno: code });
    throw new Error(`cannot open ${file}`, { cause: error });
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      const kind = kindOf(stat);
      return err({ code: 'NOT_REGULAR', message: `${file} is ${kind}, not a regular file`, kind });
    }
    fs.ftruncateSync(fd, 0);
    fs.writeSync(fd, data, 0, 'utf8');
    return ok(undefined);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOSPC' || code === 'EIO' || code === 'EAGAIN') return err({ code: 'UNREADABLE', message: `${file} is not writable (${code})`, errno: code });
    throw new Error(`cannot write ${file}`, { cause: error });
  } finally {
    fs.closeSync(fd);
  }
}
