/**
 * Failures of the disk and of the hub file, turned into the contract's codes: a full disk or a
 * read-only location is STORAGE (exit 2: what could not be written, and that nothing changed); a
 * malformed page met after the hub was opened is HUB_DAMAGED (exit 7: restore a backup). Never INTERNAL:
 * these are facts about the machine, not bugs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BasishubError } from '../errors.js';
import { t } from '../i18n/index.js';

/* What to do about a damaged hub (every HUB_DAMAGED error) is the catalogue's `hubDamagedHint`. */

const FS_FULL = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);
const FS_READONLY = new Set(['EROFS', 'EACCES', 'EPERM']);

function codeOf(err: unknown): string | undefined {
  const c = (err as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

/** Whether SQLite says the file's content is not a valid database (a malformed page, a bad header). */
export function isDamage(err: unknown): boolean {
  const c = codeOf(err);
  return c !== undefined && (c.startsWith('SQLITE_CORRUPT') || c === 'SQLITE_NOTADB');
}

/** Why the hub's folder or file cannot be written, if the file system says so (read-only, permissions). */
export function unwritableReason(file: string): string | null {
  for (const target of [path.dirname(path.resolve(file)), file]) {
    try {
      fs.accessSync(target, fs.constants.W_OK);
    } catch (e) {
      const c = codeOf(e);
      if (c === 'EROFS') return t.hubUnwritable({ folder: target !== file, readonly: true });
      if (c === 'EACCES' || c === 'EPERM') return t.hubUnwritable({ folder: target !== file, readonly: false });
    }
  }
  return null;
}

export function hubStorageError(db: string, why: string, cause?: unknown): BasishubError {
  return new BasishubError('STORAGE', t.hubNotWritten({ file: db, why }), {
    hint: t.hubNotWrittenHint(),
    details: { file: db },
    cause,
  });
}

export function hubDamagedError(db: string, what: string, cause?: unknown): BasishubError {
  return new BasishubError('HUB_DAMAGED', t.hubDamaged({ file: db, what }), { hint: t.hubDamagedHint(), details: { file: db }, cause });
}

/**
 * Maps an error that a command met while using the hub at `db` to STORAGE or HUB_DAMAGED; undefined
 * when it is neither. A transaction that failed this way was rolled back by SQLite: nothing changed.
 */
export function hubFailure(err: unknown, db: string): BasishubError | undefined {
  if (err instanceof BasishubError) return undefined;
  const c = codeOf(err);
  if (c === undefined) return undefined;
  if (isDamage(err)) return hubDamagedError(db, t.sqliteReports({ message: (err as Error).message, nothingChanged: true }), err);
  if (c === 'SQLITE_FULL') return hubStorageError(db, t.storageWhy({ why: 'full' }), err);
  if (c.startsWith('SQLITE_READONLY') || c === 'SQLITE_CANTOPEN' || c.startsWith('SQLITE_IOERR')) {
    const why = unwritableReason(db);
    if (why !== null) return hubStorageError(db, why, err);
    if (c.startsWith('SQLITE_READONLY')) return hubStorageError(db, t.storageWhy({ why: 'readonlyFile' }), err);
    return hubStorageError(db, t.sqliteReports({ message: (err as Error).message, nothingChanged: false }), err);
  }
  if (FS_FULL.has(c) || FS_READONLY.has(c)) return fileStorageError((err as { path?: string }).path ?? db, err);
  return undefined;
}

/** A file (an export, a backup) that could not be written: STORAGE, naming the file and why. */
export function fileStorageError(file: string, err: unknown): BasishubError {
  const c = codeOf(err);
  const why =
    c !== undefined && FS_FULL.has(c)
      ? t.storageWhy({ why: 'full' })
      : c === 'EROFS'
        ? t.storageWhy({ why: 'readonly' })
        : c === 'EACCES' || c === 'EPERM'
          ? t.storageWhy({ why: 'denied' })
          : ((err as Error)?.message ?? String(err));
  return new BasishubError('STORAGE', t.fileNotWritten({ file, why }), {
    hint: t.fileNotWrittenHint(),
    details: { file },
    cause: err,
  });
}

/** Whether this fs error is about space or permissions (a STORAGE failure rather than a bug). */
export function isStorageErrno(err: unknown): boolean {
  const c = codeOf(err);
  return c !== undefined && (FS_FULL.has(c) || FS_READONLY.has(c));
}
