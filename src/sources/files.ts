/**
 * Finding and opening exports on disk: a missing, unreadable or wrong kind of path is INVALID_EXPORT
 * naming it (so that a sync changes nothing), never a crash.
 */
import { createHash } from 'node:crypto';
import { createReadStream, constants } from 'node:fs';
import { access, open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BasishubError, invalidExport } from '../errors.js';

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** An error of the file system while reading `file`, as INVALID_EXPORT. Other errors pass unchanged. */
export function readError(file: string, e: unknown): unknown {
  if (e instanceof BasishubError) return e;
  const code = errnoCode(e);
  if (code === 'ENOENT') return invalidExport(file, null, 'the file does not exist');
  if (code === 'EACCES' || code === 'EPERM') return invalidExport(file, null, 'the file cannot be read (permission denied)');
  if (code === 'EISDIR') return invalidExport(file, null, 'is a folder, where a file was expected');
  if (code !== undefined && code.startsWith('E')) return invalidExport(file, null, `the file cannot be read (${code})`);
  // zlib (inflating a zip entry): Z_DATA_ERROR, Z_BUF_ERROR…
  if (code !== undefined && code.startsWith('Z_')) {
    const what = e instanceof Error ? e.message : code;
    return invalidExport(file, null, `the compressed data is damaged (${what})`);
  }
  return e;
}

/** Checks that `path` is a readable file (not a folder). */
export async function checkFile(path: string): Promise<void> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw invalidExport(path, null, 'is a folder, where a file was expected (the file cannot be read)');
    if (!s.isFile()) throw invalidExport(path, null, 'is not a regular file');
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
    throw invalidExport(path, null, 'is neither a file nor a folder');
  } catch (e) {
    throw readError(path, e);
  }
}

/** The regular files in a folder: lower-case name -> name as written, sorted by name. */
export async function listFolder(path: string): Promise<Map<string, string>> {
  let names: string[];
  try {
    const s = await stat(path);
    if (!s.isDirectory()) throw invalidExport(path, null, 'is a file, where a folder of CSV files was expected');
    const entries = await readdir(path, { withFileTypes: true });
    names = entries.filter((e) => e.isFile()).map((e) => e.name);
  } catch (e) {
    throw readError(path, e);
  }
  names.sort();
  const out = new Map<string, string>();
  for (const name of names) {
    const key = name.toLowerCase();
    if (out.has(key)) throw invalidExport(join(path, name), null, `two files named ${name} (letter case aside) in the folder`);
    out.set(key, name);
  }
  return out;
}

/** sha256 (hex) of the files' bytes, one after another, in the order given. */
export async function checksumFiles(paths: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const p of paths) {
    try {
      await pipeline(createReadStream(p), async function (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) hash.update(chunk);
      });
    } catch (e) {
      throw readError(p, e);
    }
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
  let i = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  const counts = [0, 0, 0];
  let quoted = false;
  for (; i < head.length; i++) {
    const c = head[i]!;
    if (c === 34) quoted = !quoted;
    else if (quoted) continue;
    else if (c === 10 || c === 13) break;
    else if (c === 44) counts[0]!++;
    else if (c === 59) counts[1]!++;
    else if (c === 9) counts[2]!++;
  }
  let best = 0;
  for (let k = 1; k < counts.length; k++) if (counts[k]! > counts[best]!) best = k;
  return CANDIDATES[best]!;
}
