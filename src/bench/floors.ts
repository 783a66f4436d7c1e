/**
 * The floors the benchmark compares basishub with: what it costs at the least to parse an
 * export (csv-parse alone, counting rows), and to parse it into one SQLite table in one transaction
 * with the hub's pragmas. Nothing of basishub's own reading, planning or writing is in them.
 */
import { createReadStream, closeSync, openSync, readSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import { parse, type Options } from 'csv-parse';
import { MAX_ROW_BYTES } from '../sources/csvtable.js';
import { CACHE_KIB, createDatabase, openDatabase, PAGE_SIZE } from '../store/db.js';

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

/** Wall and CPU time of the parts of a task that a floor counts, summed. */
class Stopwatch {
  seconds = 0;
  cpuSeconds = 0;
  /** Starts timing; the function returned stops it and adds the time. */
  start(): () => void {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    return () => {
      const cpu = process.cpuUsage(cpu0);
      this.seconds += (performance.now() - t0) / 1000;
      this.cpuSeconds += (cpu.user + cpu.system) / 1e6;
    };
  }
  time<T>(work: () => T): T {
    const stop = this.start();
    try {
      return work();
    } finally {
      stop();
    }
  }
}

/** The tables a first sync fills, in the order it fills them. */
const FIRST_SYNC_TABLES = ['runs', 'accounts', 'links', 'audit', 'account_search', 'search_slices', 'search_names', 'account_counts'] as const;
const COPY_BATCH = 20_000;

/** Inserts `table`'s rows from `from` into `into`, a batch at a time: only the inserts are timed. */
function copyRows(from: Database.Database, into: Database.Database, table: string, watch: Stopwatch): number {
  const columns = from.prepare(`SELECT * FROM ${table} LIMIT 0`).columns().length;
  const insert = into.prepare(`INSERT INTO ${table} VALUES (${Array(columns).fill('?').join(', ')})`);
  let batch: unknown[][] = [];
  let rows = 0;
  const flush = () => {
    watch.time(() => {
      for (const r of batch) insert.run(r);
    });
    rows += batch.length;
    batch = [];
  };
  for (const r of from.prepare(`SELECT * FROM ${table}`).raw().iterate() as IterableIterator<unknown[]>) {
    batch.push(r);
    if (batch.length === COPY_BATCH) flush();
  }
  flush();
  return rows;
}

/**
 * Write floor (for information; no target): what a first sync costs at the least in this schema. The
 * export through csv-parse (the parse floor), then the very rows the initial sync wrote (its hub:
 * accounts, links with the packed records, the `create` audit entries, the search rows, the search
 * index and the counts by status) inserted again into a new hub with prepared statements, its secondary indexes dropped during the
 * load and built after it and its triggers off, in one transaction under the rollback journal, as the
 * sync's bulk load runs. Reading the rows out of the synced hub is not timed, and nothing is planned or
 * encoded. The difference between this and the load floor is what the hub's tables cost; the difference
 * between basishub's initial sync and this is what basishub's own code costs.
 */
export async function writeFloor(file: string, dbFile: string, syncedHub: string): Promise<{ rows: number; seconds: number; cpuSeconds: number }> {
  const watch = new Stopwatch();
  const stop = watch.start();
  const { rows } = await parseFloor(file);
  stop();
  const from = new Database(syncedHub, { readonly: true });
  const db = watch.time(() => {
    createDatabase(dbFile);
    return openDatabase(dbFile);
  });
  try {
    const schema = watch.time(() => dropIndexesAndTriggers(db));
    for (const table of FIRST_SYNC_TABLES) copyRows(from, db, table, watch);
    watch.time(() => {
      for (const sql of schema) db.exec(sql);
      db.exec('COMMIT');
    });
  } finally {
    db.close();
    from.close();
  }
  return { rows, seconds: watch.seconds, cpuSeconds: watch.cpuSeconds };
}

/** Begins the load's transaction and drops what a bulk load builds after it; returns the statements that make them again. */
function dropIndexesAndTriggers(db: Database.Database): string[] {
  db.pragma(BULK_JOURNAL);
  db.pragma('foreign_keys = OFF');
  const objects = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type").all() as {
    type: string;
    name: string;
    sql: string;
  }[];
  db.exec('BEGIN IMMEDIATE');
  for (const o of objects) db.exec(`DROP ${o.type === 'index' ? 'INDEX' : 'TRIGGER'} "${o.name}"`);
  // A new hub's own rows (its counts, no runs) make way for the synced hub's.
  for (const table of FIRST_SYNC_TABLES) db.exec(`DELETE FROM ${table}`);
  return objects.map((o) => o.sql);
}
