/**
 * Opening the hub: the file is created only by `init`, is readable by its owner only, runs in WAL mode
 * with a busy timeout (so commands wait briefly for a running sync), and is migrated to the schema this
 * program knows. A database newer than the program is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import { BasishubError } from '../errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

export type DB = Database.Database;

/**
 * The SQLite binding, loaded when a hub is first opened: `--version` and `--help` never need it.
 */
let binding: typeof Database | undefined;
function sqlite(): typeof Database {
  binding ??= createRequire(import.meta.url)('better-sqlite3') as typeof Database;
  return binding;
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
  if (ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
const ASCII = /^[\x00-\x7f]*$/;

function configure(db: DB): void {
  db.function('fold', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? fold(v) : v));
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -65536'); // 64 MiB
  db.pragma('temp_store = FILE');
}

/** The file and its WAL companions: owner-only (the hub holds children's and staff's personal data). */
function restrictMode(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      fs.chmodSync(f, 0o600);
    } catch {
      // -wal/-shm may not exist yet.
    }
  }
}

function migrate(db: DB, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new BasishubError(
      'USAGE',
      `${file} has schema version ${version}, newer than this basishub knows (${SCHEMA_VERSION}).`,
      { hint: 'Upgrade basishub; this version will not touch a newer hub.' },
    );
  }
  const pending = MIGRATIONS.filter((m) => m.version > version);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql);
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
  const db = new (sqlite())(file);
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
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new BasishubError('NO_DATABASE', `No basishub database at ${file}.`, {
      hint: 'Create one with `basishub init`, or point to yours with --db <path> or BASISHUB_DB.',
    });
  }
  if (!stat.isFile()) throw new BasishubError('NO_DATABASE', `${file} is not a file.`);
  let db: DB;
  try {
    db = new (sqlite())(file, { fileMustExist: true });
    const appId = db.pragma('application_id', { simple: true }) as number;
    if (appId !== APP_ID) {
      db.close();
      throw new BasishubError('USAGE', `${file} is not a basishub database; refusing to touch it.`, {
        hint: 'Pass the path of your hub with --db, or create a new one with `basishub init --db <new path>`.',
      });
    }
  } catch (err) {
    if (err instanceof BasishubError) throw err;
    throw new BasishubError('USAGE', `${file} is not a basishub database (${(err as Error).message}).`, {
      hint: 'Pass the path of your hub with --db.',
    });
  }
  configure(db);
  if (!opts.readonly) migrate(db, file);
  restrictMode(file);
  return db;
}
