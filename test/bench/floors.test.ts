/**
 * The benchmark's write floor (src/bench/floors.ts) at a small N: it must insert the very rows a first
 * sync wrote, into a hub that is whole afterwards, or its ratio to the load floor says nothing about
 * what the hub's tables cost. No timing here: that is `npm run bench`.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HR_MAP, generateExports, type GeneratedExports } from '../../src/bench/generate.js';
import { loadFloor, parseFloor, writeFloor } from '../../src/bench/floors.js';
import { addSource } from '../../src/app/sources.js';
import { runSync } from '../../src/app/sync.js';
import { TestHub } from '../helpers/hub.js';
import { removeTempDir, tempDir } from '../helpers/tmp.js';

const TABLES = ['accounts', 'links', 'audit', 'account_search', 'search_slices', 'search_names', 'account_counts'];

let dir: string;
let gen: GeneratedExports;
let synced: TestHub;

beforeAll(async () => {
  dir = tempDir('basishub-floors-');
  gen = generateExports({ dir, n: 300 });
  synced = new TestHub();
  addSource(synced.ctx(), 'hr', { file: gen.base, kind: 'hr', map: HR_MAP });
  await runSync(synced.ctx());
  synced.close();
});

afterAll(() => {
  removeTempDir(dir);
});

/** Each table's rows, sorted, as one text (some tables have no rowid). */
function contents(file: string): Record<string, string> {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(
      TABLES.map((t) => [
        t,
        JSON.stringify(
          db
            .prepare(`SELECT * FROM ${t}`)
            .raw()
            .all()
            .map((r) => JSON.stringify(r))
            .sort(),
        ),
      ]),
    );
  } finally {
    db.close();
  }
}

describe('write floor', () => {
  it('inserts the rows of the first sync again, the same in every table, and leaves a whole hub', async () => {
    const floorDb = path.join(dir, 'floor.db');
    const floor = await writeFloor(gen.base, floorDb, synced.dbPath);

    expect(floor.rows).toBe((await parseFloor(gen.base)).rows);
    expect(floor.cpuSeconds).toBeGreaterThan(0);
    const copied = contents(floorDb);
    const original = contents(synced.dbPath);
    for (const t of TABLES) expect([t, copied[t]]).toEqual([t, original[t]]);
    expect((JSON.parse(original.accounts!) as unknown[]).length).toBeGreaterThan(250); // a person an account

    const db = new Database(floorDb, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok'); // indexes built again, and matching the rows
      const objects = (sql: Database.Database) => sql.prepare("SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name").all();
      const original = new Database(synced.dbPath, { readonly: true });
      expect(objects(db)).toEqual(objects(original)); // and every trigger back
      original.close();
    } finally {
      db.close();
    }
  });

  it('parses as many rows as the load floor loads', async () => {
    const loadDb = path.join(dir, 'load.db');
    expect((await loadFloor(gen.base, loadDb)).rows).toBe((await parseFloor(gen.base)).rows);
  });
});
