/**
 * Reading and writing the files a check touches: only regular files are read (a named pipe called
 * `model.py` would block a plain read forever), and `--fix` writes only to regular files inside the paths
 * the user gave, never through a link that leads elsewhere.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, realpathSync, writeSync } from 'node:fs';
import { isInside } from './sourceFiles';

/** A regular file's bytes; throws a readable Error for anything else (opened non-blocking, so a pipe cannot hang). */
export function readRegularFile(path: string): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) throw new Error('not a regular file: not read');
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `text` to the file `path` resolves to, when that real path is a regular file at or below one of
 * `roots` (real paths). The final open refuses a link (O_NOFOLLOW), so a file swapped for a link after the
 * check is not written through either.
 */
export function writeInsideRoots(path: string, text: string, encoding: BufferEncoding, roots: readonly string[]): void {
  // Read one byte per character (check.ts, readSource): a character beyond a byte cannot be written back.
  if (encoding === 'latin1' && [...text].some((char) => char.charCodeAt(0) > 0xff)) throw new Error('a fix needs characters this file\'s encoding cannot hold');
  const real = realpathSync(path);
  if (!roots.some((root) => isInside(real, root))) throw new Error(`refusing to write ${real}: it lies outside the paths being checked (reached through a symbolic link)`);
  if (!lstatSync(real).isFile()) throw new Error('refusing to write: not a regular file');
  const fd = openSync(real, constants.O_WRONLY | constants.O_TRUNC | constants.O_NOFOLLOW);
  try {
    const bytes = Buffer.from(text, encoding);
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
  } finally {
    closeSync(fd);
  }
}
