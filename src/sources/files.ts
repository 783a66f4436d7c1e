/**
 * Finding and opening exports on disk: a missing, unreadable or wrong kind of path is INVALID_EXPORT
 * naming it (so that a sync changes nothing), never a crash.
 */
import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { access, open, readdir, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BasishubError, invalidExport } from '../errors.js';
import { msg } from '../i18n/message.js';
import type { FileChange } from '../i18n/en.js';
import { startsWithBom } from './encoding.js';

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** An error of the file system while reading `file`, as INVALID_EXPORT. Other errors pass unchanged. */
export function readError(file: string, e: unknown): unknown {
  if (e instanceof BasishubError) return e;
  const code = errnoCode(e);
  if (code === 'ENOENT') return invalidExport(file, null, msg('readNoFile'));
  if (code === 'EACCES' || code === 'EPERM') return invalidExport(file, null, msg('readNoPermission'));
  if (code === 'EISDIR') return invalidExport(file, null, msg('readIsFolder', { reading: false }));
  if (code !== undefined && code.startsWith('E')) return invalidExport(file, null, msg('readCannotRead', { code }));
  // zlib (inflating a zip entry): Z_DATA_ERROR, Z_BUF_ERROR…
  if (code !== undefined && code.startsWith('Z_')) {
    const what = e instanceof Error ? e.message : code;
    return invalidExport(file, null, msg('readCompressedDamaged', { detail: what }));
  }
  return e;
}

/** Checks that `path` is a readable file (not a folder). */
export async function checkFile(path: string): Promise<void> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw invalidExport(path, null, msg('readIsFolder', { reading: true }));
    if (!s.isFile()) throw invalidExport(path, null, msg('readNotRegular'));
    await access(path, constants.R_OK);
  } catch (e) {
    throw readError(path, e);
  }
}

/** What a path is: a folder or a file (for the formats that take either). */
export async function pathKind(path: string): Promise<'folder' | 'file'> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) return 'folder';
    if (s.isFile()) return 'file';
    throw invalidExport(path, null, msg('readNeitherFileNorFolder'));
  } catch (e) {
    throw readError(path, e);
  }
}

/** The regular files in a folder: lower-case name -> name as written, sorted by name. */
export async function listFolder(path: string): Promise<Map<string, string>> {
  let names: string[];
  try {
    const s = await stat(path);
    if (!s.isDirectory()) throw invalidExport(path, null, msg('readIsFileNotFolder'));
    const entries = await readdir(path, { withFileTypes: true });
    names = entries.filter((e) => e.isFile()).map((e) => e.name);
  } catch (e) {
    throw readError(path, e);
  }
  names.sort();
  const out = new Map<string, string>();
  for (const name of names) {
    const key = name.toLowerCase();
    if (out.has(key)) throw invalidExport(join(path, name), null, msg('readTwoFilesNamed', { name }));
    out.set(key, name);
  }
  return out;
}

/** What tells that a file changed: its identity (device and inode), size and modification time. */
export interface FileState {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export function stateOf(s: Stats): FileState {
  return { dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs };
}

/** What differs between two states of a file, or null when nothing does. */
export function difference(before: FileState, after: FileState): FileChange | null {
  if (before.dev !== after.dev || before.ino !== after.ino) return 'replaced';
  if (before.size !== after.size) return { size: [before.size, after.size] };
  if (before.mtimeMs !== after.mtimeMs) return 'modified';
  return null;
}

export function changedWhileRead(file: string, change: FileChange): BasishubError {
  return invalidExport(file, null, msg('readChanged', { change }), msg('readChangedHint'));
}

/**
 * Reads `path` (or the byte range start..end of it) as a stream handed to `consume`, and makes sure the
 * bytes read are one version of one file: the path's stat before opening must be the file opened (the
 * fd's fstat), and after reading the fd's fstat and the path's stat must still say the same identity,
 * size and modification time. Else INVALID_EXPORT naming `file`: a half-written export is refused.
 */
export async function readStable<T>(
  file: string,
  path: string,
  range: { start?: number; end?: number },
  consume: (stream: Readable) => Promise<T>,
): Promise<T> {
  let before: FileState;
  let fh;
  try {
    before = stateOf(await stat(path));
    fh = await open(path, 'r');
  } catch (e) {
    throw readError(file, e);
  }
  try {
    const opened = stateOf(await fh.stat());
    const swapped = difference(before, opened);
    if (swapped !== null) throw changedWhileRead(file, swapped);
    const stream = fh.createReadStream({ start: range.start, end: range.end, highWaterMark: 256 * 1024, autoClose: false });
    const result = await consume(stream);
    const named = await stat(path).catch(() => null);
    if (named === null) throw changedWhileRead(file, 'removedOrUnreadable');
    const changed = difference(opened, stateOf(await fh.stat())) ?? difference(opened, stateOf(named));
    if (changed !== null) throw changedWhileRead(file, changed);
    return result;
  } catch (e) {
    throw readError(file, e);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** The state of an export as a whole: its path, and for a folder every regular file in it by name. */
export interface ExportState {
  root: FileState;
  folder: boolean;
  files: Map<string, FileState>;
}

/**
 * Taken before and after a reader runs (sources/index.ts), so that a file changed, added, removed or
 * replaced between two reads of one export (a zip's directory and its entries, the files of a folder,
 * the checksum) is found too. Null when the path cannot be read (the reader then says why).
 */
export async function exportState(path: string): Promise<ExportState | null> {
  try {
    const s = await stat(path);
    const files = new Map<string, FileState>();
    if (s.isDirectory()) {
      for (const e of await readdir(path, { withFileTypes: true })) {
        if (e.isFile()) files.set(e.name, stateOf(await stat(join(path, e.name))));
      }
    }
    return { root: stateOf(s), folder: s.isDirectory(), files };
  } catch {
    return null;
  }
}

/** Throws INVALID_EXPORT when an export's state after reading is not its state before. */
export function checkUnchanged(path: string, before: ExportState | null, after: ExportState | null): void {
  if (before === null) return;
  if (after === null) throw changedWhileRead(path, 'unreadable');
  // A folder's own size and modification time change with any file made in it (also by others):
  // its identity is compared, and its files one by one.
  const root = before.folder
    ? before.root.dev !== after.root.dev || before.root.ino !== after.root.ino
      ? 'folderReplaced'
      : null
    : difference(before.root, after.root);
  if (root !== null) throw changedWhileRead(path, root);
  for (const [name, state] of before.files) {
    const now = after.files.get(name);
    const what = now === undefined ? 'removed' : difference(state, now);
    if (what !== null) throw changedWhileRead(join(path, name), what);
  }
  for (const name of after.files.keys()) {
    if (!before.files.has(name)) throw changedWhileRead(join(path, name), 'appeared');
  }
}

/** sha256 (hex) of the files' bytes, one after another, in the order given. */
export async function checksumFiles(paths: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const p of paths) {
    await readStable(p, p, {}, (stream) =>
      pipeline(stream, async function (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) hash.update(chunk);
      }),
    );
  }
  return hash.digest('hex');
}

/** The first bytes of a file (at most `max`). */
export async function readHead(path: string, max: number): Promise<Buffer> {
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(max);
      const { bytesRead } = await fh.read(buf, 0, max, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw readError(path, e);
  }
}

const CANDIDATES = [',', ';', '\t'] as const;

/**
 * The delimiter of a CSV, from its first line: the one of comma, semicolon and tab that occurs most
 * often outside quotes (a tie or none: comma).
 */
export function sniffDelimiter(head: Buffer): string {
  let i = startsWithBom(head) ? 3 : 0;
  const counts = [0, 0, 0];
  let quoted = false;
  for (; i < head.length; i++) {
    const c = head[i];
    if (c === 34) quoted = !quoted;
    else if (quoted) continue;
    else if (c === 10 || c === 13) break;
    else if (c === 44) counts[0]++;
    else if (c === 59) counts[1]++;
    else if (c === 9) counts[2]++;
  }
  let best = 0;
  for (let k = 1; k < counts.length; k++) if (counts[k] > counts[best]) best = k;
  return CANDIDATES[best];
}
