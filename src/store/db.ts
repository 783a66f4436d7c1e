/**
 * Opening the hub: the file is created only by `init`, is readable by its owner only, runs in WAL mode
 * with a busy timeout (so commands wait briefly for a running sync), and is migrated to the schema this
 * program knows. A database newer than the program is refused.
 */
import { t } from '../i18n/index.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import { BasishubError } from '../errors.js';
import { hubDamagedError, hubStorageError, isDamage, unwritableReason } from './failures.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

export type DB = Database.Database;

/**
 * The SQLite library, imported with the store (never by `--version` or `--help`, which load no store), and
 * its native part, loaded when a hub is first opened. The native part is named by its path: better-sqlite3
 * would otherwise find it with the `bindings` package, which guesses the package's folder from the stack of
 * its caller (wrong inside the bundle that bin/basishub.js runs) and tries a dozen places at every start.
 */
let addon: string | undefined;
function sqlite(file: string | Buffer, opts: Database.Options = {}): DB {
  addon ??= nativeAddon();
  return new Database(file, { ...opts, nativeBinding: addon });
}

function nativeAddon(): string {
  const require = createRequire(import.meta.url);
  const root = path.dirname(require.resolve('better-sqlite3/package.json'));
  const built = path.join(root, 'build', 'Release', 'better_sqlite3.node');
  if (fs.existsSync(built)) return built;
  // Built elsewhere (a debug build, say): where `bindings` finds it from the package's own folder. better-sqlite3
  // takes the loaded addon as well as its path (its types say only the path).
  const bindings = createRequire(path.join(root, 'package.json'))('bindings') as (o: object) => unknown;
  return bindings({ bindings: 'better_sqlite3.node', module_root: root }) as string;
}

const APP_ID = 0x42485542; // "BHUB", in PRAGMA application_id: marks a file as a basishub hub.
const BUSY_TIMEOUT_MS = 10_000;
/**
 * The page size of a new hub (SQLite's default is 4 KiB). A hub is written in bulk: measured with a first
 * sync of a million people, 16 KiB pages write the rows and build the indexes 15–20% faster, in a file of
 * the same size. A hub keeps the page size it was created with.
 */
export const PAGE_SIZE = 16_384;

/** Text folded for searching: lower case without diacritics, so "ozturk" finds "Öztürk". */
export function fold(text: string): string {
  // Most text is ASCII: lower case is all it needs (a search row is folded a million times at a first sync).
  if (!NOT_ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
const NOT_ASCII = /[\u0080-\uffff]/;

/** SQLite's page cache per connection, in KiB (the bench's floors use the same). */
export const CACHE_KIB = 16384;

function configure(db: DB): void {
  db.function('fold', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? fold(v) : v));
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // 16 MiB of page cache (and as much for a sort, which SQLite sizes by it). A sync at a million people
  // streams the links past its export once and writes appended or scattered pages, so more cache does not
  // make it faster; 64 MiB took 50–90 MB more at its peak for the same time (npm run bench, 1M).
  db.pragma(`cache_size = -${CACHE_KIB}`);
  db.pragma('temp_store = FILE');
}

/**
 * The file and its WAL companions: no access for group and others (the hub holds children's and staff's
 * personal data). Bits are only taken away, never added: a hub kept at mode 400 stays 400.
 */
function restrictMode(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      const mode = fs.statSync(f).mode & 0o777;
      if ((mode & 0o077) !== 0) fs.chmodSync(f, mode & 0o700);
    } catch {
      // -wal/-shm may not exist yet; a file we may not chmod keeps its mode.
    }
  }
}

function migrate(db: DB, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new BasishubError('USAGE', t.schemaNewer({ file, version, known: SCHEMA_VERSION }), { hint: t.schemaNewerHint() });
  }
  const pending = MIGRATIONS.filter((m) => m.version > version);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql);
      m.run?.(db);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}

/** `init`: creates a hub, or leaves an existing hub as it is. Refuses any other file. */
export function createDatabase(file: string): { created: boolean } {
  const exists = fs.existsSync(file);
  if (exists) {
    const db = openDatabase(file);
    db.close();
    return { created: false };
  }
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // Create the empty file owner-only before SQLite writes anything into it.
  fs.closeSync(fs.openSync(file, 'wx', 0o600));
  const db = sqlite(file);
  db.pragma(`page_size = ${PAGE_SIZE}`); // before anything is written, WAL mode included
  configure(db);
  db.pragma(`application_id = ${APP_ID}`);
  migrate(db, file);
  restrictMode(file);
  db.close();
  return { created: true };
}

/** Opens an existing hub. A missing file is NO_DATABASE; a file that is not a hub is refused. */
export function openDatabase(file: string, opts: { readonly?: boolean } = {}): DB {
  statHub(file);
  let db: DB | undefined;
  try {
    db = sqlite(file, { fileMustExist: true });
    const appId = db.pragma('application_id', { simple: true }) as number;
    if (appId !== APP_ID) throw notAHub(file);
    configure(db);
    if (!opts.readonly) migrate(db, file);
    restrictMode(file);
  } catch (err) {
    db?.close(); // a refused file, or a hub that cannot be opened, is not held open
    throw openFailure(file, err);
  }
  return db;
}

function statHub(file: string): fs.Stats {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new BasishubError('NO_DATABASE', t.noDatabase({ file }), {
      hint: t.noDatabaseHint(),
    });
  }
  if (!stat.isFile()) throw new BasishubError('NO_DATABASE', t.notAFile({ file }));
  return stat;
}

function notAHub(file: string): BasishubError {
  return new BasishubError('USAGE', t.notAHub({ file }), {
    hint: t.notAHubHint(),
  });
}

/**
 * Why a hub could not be opened. A read-only file system or folder is STORAGE (SQLite must create the
 * -wal and -shm files beside the hub), not "not a basishub database"; a malformed page met while reading
 * the schema is HUB_DAMAGED; only a file that SQLite does not recognise at all is "not a basishub database".
 */
function openFailure(file: string, err: unknown): BasishubError {
  if (err instanceof BasishubError) return err;
  const code = (err as { code?: string }).code ?? '';
  // A sync holds the hub (past the busy timeout): main() reports that as SYNC_LOCKED.
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return err as BasishubError;
  if (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL') {
    const why = unwritableReason(file);
    if (why !== null) return hubStorageError(file, why, err);
    if (code === 'SQLITE_FULL') return hubStorageError(file, 'the disk is full', err);
    return hubStorageError(file, `SQLite could not open it ("${(err as Error).message}")`, err);
  }
  if (code === 'SQLITE_NOTADB') {
    return new BasishubError('USAGE', t.notAHubBecause({ file, why: (err as Error).message }), {
      hint: t.notAHubDamagedHint(),
    });
  }
  if (isDamage(err)) return hubDamagedError(file, `SQLite reports "${(err as Error).message}"`, err);
  if (code.startsWith('SQLITE_')) {
    return new BasishubError('USAGE', t.notAHubOpen({ file, why: (err as Error).message }), {
      hint: t.notAHubBecauseHint(),
    });
  }
  return err as BasishubError;
}

/**
 * Takes a copy of the hub (a backup) out of WAL mode, which it takes over from the hub: one
 * self-contained file, which opening it read-only does not change and which can be moved as it is. A hub
 * opened from it returns to WAL (configure).
 */
export function selfContained(file: string): void {
  const db = sqlite(file);
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

/**
 * One snapshot of the hub read by two connections (a publish's two threads: src/app/publish-split.ts).
 * In WAL mode a read transaction sees the hub as it was at its first read; two that begin while nobody
 * can commit see the same hub. `holdWrites` takes the hub's write lock on a connection of its own for
 * that moment, waiting at most `waitMs` for a writer (a sync) to finish (null: not had); the function
 * it returns lets go. Writers wait meanwhile as for any other (the busy timeout).
 */
export function holdWrites(file: string, waitMs: number): (() => void) | null {
  const db = sqlite(file, { fileMustExist: true, timeout: waitMs });
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch {
    db.close();
    return null;
  }
  return () => {
    db.exec('ROLLBACK');
    db.close();
  };
}

/** Begins a read transaction and reads, so that its snapshot of the hub is taken now (see holdWrites). */
export function beginRead(db: DB): void {
  db.exec('BEGIN');
  db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get();
}

/** Ends a read transaction begun by beginRead (if the connection is still in it). */
export function endRead(db: DB): void {
  if (db.inTransaction) db.exec('COMMIT');
}

/** Up to this size a file in WAL mode is checked in memory; a larger one from a private temporary copy. */
const CHECK_IN_MEMORY_MAX = 256 * 1024 * 1024;

/**
 * Opens any file for reading only, without creating a file beside it (for `basishub check`, also on a
 * backup). A hub in use (its -wal exists) is opened in place, read-only. Otherwise, where SQLite would
 * create -wal and -shm files even for reading (a file in WAL mode), the file is read into memory (up to
 * 256 MiB) or copied to a private temporary file, and checked there, its header marked as a rollback
 * journal file in that copy only. `close()` closes it and removes such a copy.
 */
export function openForCheck(file: string): { db: DB; close: () => void } {
  const stat = statHub(file);
  try {
    if (fs.existsSync(`${file}-wal`) || !inWalMode(file)) {
      const db = sqlite(file, { readonly: true, fileMustExist: true });
      return { db, close: () => db.close() };
    }
    if (stat.size <= CHECK_IN_MEMORY_MAX) {
      const bytes = fs.readFileSync(file);
      bytes[18] = 1;
      bytes[19] = 1;
      const db = sqlite(bytes);
      return { db, close: () => db.close() };
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'basishub-check-'));
    const copy = path.join(dir, 'hub.db');
    fs.copyFileSync(file, copy);
    fs.chmodSync(copy, 0o600);
    const fd = fs.openSync(copy, 'r+');
    fs.writeSync(fd, Buffer.from([1, 1]), 0, 2, 18);
    fs.closeSync(fd);
    const db = sqlite(copy, { readonly: true, fileMustExist: true });
    return { db, close: () => (db.close(), fs.rmSync(dir, { recursive: true, force: true })) };
  } catch (err) {
    throw openFailure(file, err);
  }
}

/** Whether the file's header says WAL mode (bytes 18 and 19 of an SQLite header are 2). */
function inWalMode(file: string): boolean {
  const header = Buffer.alloc(20);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, header, 0, 20, 0);
  } finally {
    fs.closeSync(fd);
  }
  return header[18] === 2 || header[19] === 2;
}

export { APP_ID };
