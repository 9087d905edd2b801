import * as fs from 'node:fs';
import { err, ok, type Result } from './result.js';
import { errorCode } from './fs-errors.js';

/** Why a file was not read: it is missing, not a regular file (a FIFO, socket, device or directory), too large, or unreadable. */
export type ReadRefusal =
  | { readonly code: 'NOT_FOUND'; readonly message: string }
  | { readonly code: 'NOT_REGULAR'; readonly message: string; readonly kind: string }
  | { readonly code: 'TOO_LARGE'; readonly message: string; readonly size: number }
  | { readonly code: 'UNREADABLE'; readonly message: string };

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
    if (code === 'EACCES' || code === 'EPERM' || code === 'ELOOP' || code === 'ENXIO' || code === 'EAGAIN') return err({ code: 'UNREADABLE', message: `${file} is not readable (${code})` });
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
    if (code === 'EISDIR' || code === 'EACCES' || code === 'EPERM' || code === 'EIO' || code === 'EAGAIN') return err({ code: 'UNREADABLE', message: `${file} is not readable (${code})` });
    throw new Error(`cannot read ${file}`, { cause: error });
  } finally {
    fs.closeSync(fd);
  }
}
