/**
 * The floors the benchmark compares basishub with: what it costs at the least to parse an
 * export (csv-parse alone, counting rows), and to parse it into one SQLite table in one transaction
 * with the hub's pragmas. Nothing of basishub's own reading, planning or writing is in them.
 */
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import { parse, type Options } from 'csv-parse';
import { MAX_ROW_BYTES } from '../sources/csvtable.js';
import { createDatabase, openDatabase, PAGE_SIZE } from '../store/db.js';
import { Store } from '../store/store.js';

/** csv-parse as our reader drives it (src/sources/csvtable.ts), with csv-parse dropping the BOM. */
export const FLOOR_CSV_OPTIONS: Options = {
  delimiter: ';',
  bom: true,
  record_delimiter: ['\r\n', '\n', '\r'],
  relax_column_count: true,
  max_record_size: MAX_ROW_BYTES,
};

/** The pragmas of src/store/db.ts (configure, and the page size of a new hub): keep them the same. */
export const HUB_PRAGMAS = [
  `page_size = ${PAGE_SIZE}`,
  'busy_timeout = 10000',
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'foreign_keys = ON',
  'cache_size = -65536',
  'temp_store = FILE',
];

/** A bulk load into an empty database, as a first sync into an empty hub runs it (Store.withRollbackJournal). */
const BULK_JOURNAL = 'journal_mode = DELETE';

async function eachRecord(file: string, onRecord: (fields: string[]) => void): Promise<void> {
  await pipeline(
    createReadStream(file, { highWaterMark: 256 * 1024 }),
    parse(FLOOR_CSV_OPTIONS),
    new Writable({
      objectMode: true,
      write(fields: string[], _enc, callback) {
        onRecord(fields);
        callback();
      },
    }),
  );
}

/** Parse floor: the export through csv-parse, counting rows (the header not counted). */
export async function parseFloor(file: string): Promise<{ rows: number }> {
  let records = 0;
  await eachRecord(file, () => {
    records++;
  });
  return { rows: Math.max(0, records - 1) };
}

/** Load floor: the export parsed and inserted into one table (no index), in one transaction. */
export async function loadFloor(file: string, dbFile: string): Promise<{ rows: number }> {
  const db = new Database(dbFile);
  for (const p of HUB_PRAGMAS) db.pragma(p);
  db.pragma(BULK_JOURNAL);
  let rows = 0;
  let header = true;
  try {
    db.exec(
      `CREATE TABLE people (personeelsnummer TEXT NOT NULL, voornaam TEXT NOT NULL, tussenvoegsel TEXT NOT NULL,
         achternaam TEXT NOT NULL, email TEXT NOT NULL, school TEXT NOT NULL, team TEXT NOT NULL)`,
    );
    const insert = db.prepare('INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?)');
    db.exec('BEGIN IMMEDIATE');
    await eachRecord(file, (f) => {
      if (header) {
        header = false;
        return;
      }
      insert.run(f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
      rows++;
    });
    db.exec('COMMIT');
  } finally {
    db.close();
  }
  return { rows };
}

/**
 * Write floor (for information; no target): the rows an initial sync writes — per person an account,
 * a link with the packed record, and a `create` audit entry (stored as the record) — into the hub's own schema (same file
 * setup, pragmas and indexes, dropped during the load and built after it as basishub's bulk load does),
 * in one transaction, with as little work per row as possible. The
 * difference between this and the load floor is what the hub's schema costs; the difference between
 * basishub's initial sync and this is what basishub's own code costs.
 */
export async function writeFloor(file: string, dbFile: string): Promise<{ rows: number }> {
  createDatabase(dbFile);
  const db = openDatabase(dbFile);
  db.pragma(BULK_JOURNAL);
  const now = new Date().toISOString();
  let rows = 0;
  let header = true;
  let previous = '';
  try {
    const run = Number(
      db.prepare("INSERT INTO runs (started_at, actor, status) VALUES (?, 'bench', 'completed')").run(now).lastInsertRowid,
    );
    const account = db.prepare(
      `INSERT INTO accounts (given_name, prefix, family_name, email, role, status, owner, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'staff', 'active', 'source', ?, ?)`,
    );
    const link = db.prepare(
      `INSERT INTO links (source, external_id, account_id, active, record, fp, next_check, inactive_since, created_at)
       VALUES ('hr', ?, ?, 1, ?, ?, NULL, NULL, ?)`,
    );
    const audit = db.prepare(
      `INSERT INTO audit (at, actor, action, account_id, run_id, source, external_id, record)
       VALUES (?, 'bench', 'create', ?, ?, 'hr', ?, ?)`,
    );
    db.exec('BEGIN IMMEDIATE');
    const rebuildIndexes = new Store(db).suspendIndexes();
    await eachRecord(file, (f) => {
      if (header) {
        header = false;
        return;
      }
      rows++;
      // A person's second row (adjacent in the generated exports) adds nothing to this floor.
      if (f[0] === previous) return;
      previous = f[0]!;
      const [id, given, prefix, family, email, school, team] = f as [string, string, string, string, string, string, string];
      const accountId = account.run(given, prefix, family, email, now, now).lastInsertRowid;
      const record = `${given}\x1f${prefix}\x1f${family}\x1f${email}\x1fstaff\x1e${school}\x1f${team}\x1f\x1f`;
      link.run(id, accountId, record, 4294967296 * (rows & 0x1fffff) + (Math.imul(rows, 2654435761) >>> 0), now);
      audit.run(now, accountId, run, id, record); // a create from one record is stored as it (engine/describe.ts)
    });
    rebuildIndexes();
    db.exec('COMMIT');
  } finally {
    db.close();
  }
  return { rows };
}
