/**
 * Writing a file that a person named (`exceptions export --output`, and every other command that writes
 * one): safely, and never over the hub. For every writer of the project.
 *
 * - The target is refused by identity, not by name: its device and inode (after following symlinks, so a
 *   symlinked folder or a hard link does not hide it) are compared with those of the hub, its -wal,
 *   -shm and -journal files, and every file this process holds open (SQLite's files among them; on
 *   Linux read from /proc/self/fd).
 * - Only a regular file (or a new one) is written: a folder, a device (/dev/stdout, /dev/sda), a FIFO or
 *   a socket is refused. `-` means stdout; the command line writes there itself (`isStdout` in src/cli/define.ts).
 * - The content goes to a temporary file beside the target, is flushed to disk and renamed over it, so
 *   that a crash or a full disk never leaves half a file; nothing is changed when it fails.
 * - Modes are never widened: a new file is 0600 (it holds personal data); a file written over keeps its
 *   mode, without group and other bits.
 * - An existing file is written over only where the command says so: `backup` needs --force
 *   (`OutputGuard.force`), an export replaces its file.
 * - A full disk or an unwritable place is STORAGE, naming the file; the target itself is not touched.
 *
 * The pieces are exported for the writers that write differently: `backup` (SQLite's online backup into
 * the temporary file) and a file target's set of CSV files (src/targets/output.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { BasishubError, usageError } from '../errors.js';
import type { DB } from './db.js';
import { fileStorageError, isStorageErrno } from './failures.js';
import { t } from '../i18n/index.js';

export interface OutputGuard {
  /** The hub's path: it, its -wal, -shm and -journal are never written over. */
  hub: string;
  /** The open hub, whose attached files are protected too. */
  db?: DB;
  /** What the file is, for messages ("the export", "the backup"). */
  what?: string;
  /** The flag that named the file, for messages. */
  flag?: string;
  /** Given: an existing file is refused unless it is true (`backup --force`). Absent: it is replaced. */
  force?: boolean;
}

/** The mode of every file basishub writes new: owner-only, for the personal data in it. */
export const OWNER_ONLY = 0o600;

/** The temporary file beside `target` that a writer fills before it takes the target's name. */
export function tempBeside(target: string, ext = 'tmp'): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${ext}`);
}

/** Flushes a folder, so that a rename in it is on disk too (where the platform can). */
export function syncFolder(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Not every platform can sync a folder; the rename itself is atomic.
  }
}

/**
 * Writes `data` to the temporary file `tmp` (with `mode`), flushes it to disk and renames it over
 * `target`: a reader sees the old file or the new one, never half. On failure `tmp` is removed and the
 * error thrown as it is.
 */
export function replaceAtomically(tmp: string, target: string, data: string | Uint8Array, mode = OWNER_ONLY): void {
  try {
    const fd = fs.openSync(tmp, 'wx', OWNER_ONLY);
    try {
      fs.fchmodSync(fd, mode);
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  syncFolder(path.dirname(target));
}

type Identity = { dev: number; ino: number };

function identity(file: string): Identity | null {
  try {
    const s = fs.statSync(file);
    return { dev: s.dev, ino: s.ino };
  } catch {
    return null;
  }
}

/** The files that must never be written over, each with what to call it. */
function protectedFiles(guard: OutputGuard): { id: Identity; name: string }[] {
  const out: { id: Identity; name: string }[] = [];
  const add = (file: string, name: string) => {
    const id = identity(file);
    if (id !== null) out.push({ id, name });
  };
  add(guard.hub, t.protectedFile({ kind: 'hub', file: guard.hub }));
  for (const suffix of ['-wal', '-shm', '-journal'] as const) add(`${guard.hub}${suffix}`, t.protectedFile({ kind: suffix, file: `${guard.hub}${suffix}` }));
  if (guard.db !== undefined) {
    for (const d of guard.db.pragma('database_list') as { name: string; file: string }[])
      if (d.file) add(d.file, t.protectedFile({ kind: 'attached', file: d.file }));
  }
  // Every file this process holds open: SQLite's (the hub, its WAL, temporary files) and the streams.
  let fds: string[] = [];
  try {
    fds = fs.readdirSync('/proc/self/fd');
  } catch {
    // Not Linux: the hub and its companions above are what is known.
  }
  for (const fd of fds) {
    const link = `/proc/self/fd/${fd}`;
    let target = '';
    try {
      target = fs.readlinkSync(link);
    } catch {
      continue;
    }
    add(link, t.protectedFile({ kind: 'open', file: target }));
  }
  return out;
}

function kindOf(s: fs.Stats): string | null {
  if (s.isFile()) return null;
  if (s.isDirectory()) return t.outputKind({ kind: 'folder' });
  if (s.isFIFO()) return t.outputKind({ kind: 'fifo' });
  if (s.isSocket()) return t.outputKind({ kind: 'socket' });
  if (s.isCharacterDevice() || s.isBlockDevice()) return t.outputKind({ kind: 'device' });
  return t.outputKind({ kind: 'other' });
}

/** An existing file that the command writes over only with --force (OutputGuard.force). */
export function existsError(file: string, guard: OutputGuard): BasishubError {
  return usageError(t.outputExists({ file, what: t.outputWhat({ what: guard.what ?? 'the output' }) }), t.outputExistsHint({ flag: guard.flag ?? '--output' }));
}

/**
 * Checks where a file may be written and returns the real path to write (symlinks resolved) and the
 * mode it gets. Throws USAGE for a target that must not be written, STORAGE for one that cannot be.
 */
export function checkOutputPath(file: string, guard: OutputGuard): { target: string; mode: number } {
  const flag = guard.flag ?? '--output';
  if (file.trim() === '') throw usageError(t.outputEmpty({ flag }), t.outputEmptyHint());
  const what = t.outputWhat({ what: guard.what ?? 'the output' });
  let stat: fs.Stats | null = null;
  try {
    stat = fs.statSync(file); // follows symlinks: what a write would reach
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw fileStorageError(file, err);
  }
  if (stat !== null) {
    const kind = kindOf(stat);
    if (kind !== null) {
      throw usageError(t.outputNotFile({ file, kind, what }), t.outputNotFileHint({ flag }));
    }
    const hit = protectedFiles(guard).find((p) => p.id.dev === stat.dev && p.id.ino === stat.ino);
    if (hit !== undefined) {
      throw usageError(t.outputProtected({ file, name: hit.name, what }), t.outputProtectedHint({ flag }));
    }
    try {
      fs.accessSync(file, fs.constants.W_OK); // a file kept read-only is not written over
    } catch (err) {
      throw fileStorageError(file, err);
    }
    if (guard.force === false) throw existsError(file, guard);
  }
  const dir = path.dirname(path.resolve(file));
  let realDir: string;
  try {
    realDir = fs.realpathSync(dir);
  } catch {
    throw usageError(t.outputNoFolder({ dir }), t.outputNoFolderHint({ flag }));
  }
  // A dangling symlink is written as a new file where it stands (rename replaces the link, not its target).
  const target = stat !== null ? fs.realpathSync(file) : path.join(realDir, path.basename(file));
  const mode = stat === null ? OWNER_ONLY : stat.mode & OWNER_ONLY;
  return { target, mode };
}

/**
 * Writes `content` to `file` as the module comment says; returns the path written. The caller handles
 * `-` (stdout) itself.
 */
export function writeOutputFile(file: string, content: string | Uint8Array, guard: OutputGuard): string {
  const { target, mode } = checkOutputPath(file, guard);
  try {
    replaceAtomically(tempBeside(target), target, content, mode);
  } catch (err) {
    if (isStorageErrno(err)) throw fileStorageError(file, err);
    if (err instanceof BasishubError) throw err;
    throw usageError(`Cannot write ${file}: ${(err as Error).message}. Nothing was written.`);
  }
  return target;
}
