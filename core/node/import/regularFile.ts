// Opening a source for reading only when it is a regular file. A path is checked when it is discovered,
// but it can be replaced before it is read, and open(2) itself blocks on a FIFO with no writer: the file is
// opened non-blocking and checked with fstat on the open descriptor, so what is read is what was checked.
// Reading /dev/zero or a pipe would never end (issue 12 item 8).

import fs from 'node:fs';

/** What a directory entry or stat result is, in words for the import summary. */
export function describeKind(st: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean; isSymbolicLink(): boolean; isDirectory(): boolean }): string {
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a folder';
  return 'not a regular file';
}

export class NotRegularFileError extends Error {
  override readonly name = 'NotRegularFileError';
  constructor(readonly file: string, readonly kind: string) {
    super(`${file} is ${kind}, not a regular file: only regular files are read`);
  }
}

/** Opens `file` for reading; throws NotRegularFileError (and closes it) when it is not a regular file. */
export function openRegular(file: string): { fd: number; size: number; mtimeMs: number } {
  // O_NONBLOCK: open(2) of a FIFO without a writer returns at once instead of waiting forever; it has no
  // effect on regular files.
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new NotRegularFileError(file, describeKind(st));
    return { fd, size: st.size, mtimeMs: st.mtimeMs };
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}

/**
 * Reads a regular file whole, refusing it when it is bigger than `maxBytes` (by its size, and again while
 * reading: a file that grows is never read past the limit).
 */
export function readRegularFile(file: string, maxBytes: number): Buffer {
  const { fd, size } = openRegular(file);
  try {
    if (size > maxBytes) throw new Error(`file of ${size} bytes exceeds the ${maxBytes}-byte message limit`);
    const buf = Buffer.alloc(size);
    let done = 0;
    while (done < size) {
      const n = fs.readSync(fd, buf, done, size - done, done);
      if (n === 0) break;
      done += n;
    }
    return done === size ? buf : buf.subarray(0, done);
  } finally {
    fs.closeSync(fd);
  }
}
