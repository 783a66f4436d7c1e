/**
 * The floors the benchmark compares basishub with: what it costs at the least to parse an
 * export (csv-parse alone, counting rows), and to parse it into one SQLite table in one transaction
 * with the hub's pragmas. Nothing of basishub's own reading, planning or writing is in them.
 */
import { createReadStream, closeSync, openSync, readSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import { parse, type Options } from 'csv-parse';
import { MAX_ROW_BYTES } from '../sources/csvtable.js';
import { CACHE_KIB, createDatabase, openDatabase, PAGE_SIZE } from '../store/db.js';
import { Store } from '../store/store.js';
import { packFields, packRelation, withRelation } from '../sources/record.js';

/** csv-parse as our reader drives it (src/sources/csvtable.ts), with csv-parse dropping the BOM. */
export const FLOOR_CSV_OPTIONS: Options = {
  delimiter: ';',
  bom: true,
  record_delimiter: ['\r\n', '\n', '\r'],
  relax_column_count: true,
  max_record_size: MAX_ROW_BYTES,
};

/** The header line of an export (the first 4 KiB at most), without a BOM. */
function headerLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const text = buf
      .subarray(0, readSync(fd, buf, 0, buf.length, 0))
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    return text.split(/\r?\n/)[0] ?? '';
  } finally {
    closeSync(fd);
  }
}

/** The floor's csv-parse options for one export: its delimiter (the bench's usual `;`, the narrow `,`). */
function floorOptions(file: string): Options {
  return { ...FLOOR_CSV_OPTIONS, delimiter: headerLine(file).includes(';') ? ';' : ',' };
}

/** The pragmas of src/store/db.ts (configure, and the page size of a new hub): keep them the same. */
export const HUB_PRAGMAS = [
  `page_size = ${PAGE_SIZE}`,
  'busy_timeout = 10000',
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'foreign_keys = ON',
  `cache_size = -${CACHE_KIB}`,
  'temp_store = FILE',
];

/** A bulk load into an empty database, as a first sync into an empty hub runs it (Store.withRollbackJournal). */
const BULK_JOURNAL = 'journal_mode = DELETE';

async function eachRecord(file: string, onRecord: (fields: string[]) => void): Promise<void> {
  await pipeline(
    createReadStream(file, { highWaterMark: 256 * 1024 }),
    parse(floorOptions(file)),
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
    // One TEXT column per column of the export (7 in the bench's usual export, 8 in the narrow one).
    const columns = headerLine(file).split(/[;,]/).length;
    db.exec(`CREATE TABLE people (${Array.from({ length: columns }, (_, i) => `c${i} TEXT NOT NULL`).join(', ')})`);
    const insert = db.prepare(`INSERT INTO people VALUES (${Array(columns).fill('?').join(', ')})`);
    db.exec('BEGIN IMMEDIATE');
    await eachRecord(file, (f) => {
      if (header) {
        header = false;
        return;
      }
      insert.run(f);
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
    const run = Number(db.prepare("INSERT INTO runs (started_at, actor, status) VALUES (?, 'bench', 'completed')").run(now).lastInsertRowid);
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
      // The narrow export has a role column before school and team.
      const [id, given, prefix, family, email] = f as [string, string, string, string, string];
      const [school, team] = f.slice(-2) as [string, string];
      const accountId = account.run(given, prefix, family, email, now, now).lastInsertRowid;
      const record = withRelation(
        packFields(given, prefix, family, email, 'staff'),
        packRelation({ organisation: school, group: team, startDate: null, endDate: null }),
      );
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
