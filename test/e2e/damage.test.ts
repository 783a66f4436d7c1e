/**
 * A damaged hub stops writes: `basishub check` (SQLite's integrity check and the hub's own rules), a
 * malformed page met by any command (HUB_DAMAGED, exit 7, with the way back), and the quick check a sync
 * makes before it writes. The damage is real: bytes flipped in the middle of a real hub's file.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Hub, nightSources, tempDir } from './cli.js';

/** A hub after night 1, closed (checkpointed: everything in the main file). */
/** Flips the header bytes of the middle leaf page of `table` in the file: a malformed page mid-file. */
function damage(file: string, table: string): number {
  // Every page in the file itself first: a page whose newer copy sits in the -wal would hide the damage.
  const writer = new Database(file);
  writer.pragma('wal_checkpoint(TRUNCATE)');
  writer.close();
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno").pluck().all(table) as number[];
  db.close();
  expect(pages.length).toBeGreaterThan(0);
  const page = pages[Math.floor(pages.length / 2)]!;
  const fd = fs.openSync(file, 'r+');
  const bytes = Buffer.alloc(12);
  fs.readSync(fd, bytes, 0, 12, (page - 1) * pageSize);
  for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i]! ^ 0xa5;
  fs.writeSync(fd, bytes, 0, 12, (page - 1) * pageSize);
  fs.closeSync(fd);
  return page;
}

function listing(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

describe('basishub check', () => {
  let healthy: Hub;
  beforeAll(() => {
    healthy = Hub.afterNightOne('2026-11-25T10:00:00.000Z');
  });

  it('finds nothing wrong in a healthy hub: exit 0, {ok: true, problems: []}', () => {
    const r = healthy.run(['check', '--json']);
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ ok: true, file: path.resolve(healthy.db), problems: [] });
    const text = healthy.run(['check']);
    expect(text.code).toBe(0);
    expect(text.stderr).toContain("is whole: SQLite's integrity check and the hub's rules found nothing wrong");
  });

  it('checks a copy (a backup) read-only, in place, without creating a file beside it', () => {
    const dir = tempDir();
    const copy = path.join(dir, 'hub-kopie.db');
    fs.copyFileSync(healthy.db, copy);
    const before = listing(dir);
    const mtime = fs.statSync(copy).mtimeMs;
    const r = healthy.run(['check', '--db', copy, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.ok).toBe(true);
    expect(listing(dir)).toEqual(before);
    expect(fs.statSync(copy).mtimeMs).toBe(mtime);
  });

  it('refuses a missing file without creating it (NO_DATABASE)', () => {
    const dir = tempDir();
    const err = healthy.fails(['check', '--db', path.join(dir, 'backup.db')], 2);
    expect(err.code).toBe('NO_DATABASE');
    expect(listing(dir)).toEqual([]);
  });

  it('reports a malformed page in the middle of the file: exit 7, HUB_DAMAGED, what is wrong, how to recover', () => {
    const hub = Hub.afterNightOne('2026-11-25T10:00:00.000Z');
    damage(hub.db, 'audit');
    const r = hub.run(['check', '--json']);
    expect(r.code).toBe(7);
    expect(r.json.ok).toBe(false);
    expect(r.json.problems.length).toBeGreaterThan(0);
    expect(r.json.problems.some((p: any) => p.kind === 'integrity' || p.kind === 'unreadable')).toBe(true);
    expect(r.error.code).toBe('HUB_DAMAGED');
    expect(r.error.hint).toContain('basishub backup');

    const text = hub.run(['check']);
    expect(text.code).toBe(7);
    expect(text.stdout).toMatch(/integrity|unreadable/);
    expect(text.stderr).toContain('[HUB_DAMAGED]');
  });

  it("reports the hub's own rules broken: an account both deleted and listed, a link to no account", () => {
    const hub = Hub.afterNightOne('2026-11-25T10:00:00.000Z');
    const db = new Database(hub.db);
    const id = db.prepare("SELECT account_id FROM links WHERE source = 'hr' ORDER BY account_id LIMIT 1").pluck().get() as number;
    db.prepare("UPDATE accounts SET status = 'deleted', deleted_at = '2026-11-25T00:00:00Z' WHERE id = ?").run(id);
    db.prepare("INSERT INTO exceptions (account_id, reason, created_at, created_by, updated_at, updated_by) VALUES (?, 'Invalpool', 'x', 'x', 'x', 'x')").run(
      id,
    );
    db.pragma('foreign_keys = OFF');
    db.prepare("INSERT INTO links (source, external_id, account_id, active, record, created_at) VALUES ('hr', '99999', 424242, 1, '', 'x')").run();
    db.close();
    const r = hub.run(['check', '--json']);
    expect(r.code).toBe(7);
    const kinds = r.json.problems.map((p: any) => p.kind);
    expect(kinds).toEqual(expect.arrayContaining(['deleted-and-listed', 'link-without-account']));
    expect(r.json.problems.find((p: any) => p.kind === 'deleted-and-listed').accounts).toEqual([id]);
  });
});

describe('a command that meets a malformed page', () => {
  it('reports HUB_DAMAGED (exit 7) with the way back, never INTERNAL', () => {
    const hub = Hub.afterNightOne('2026-11-25T10:00:00.000Z');
    damage(hub.db, 'accounts');
    const r = hub.run(['users', 'list', '--json']);
    expect(r.code).toBe(7);
    expect(r.error.code).toBe('HUB_DAMAGED');
    expect(r.error.message).toContain(hub.db);
    expect(r.error.hint).toContain('basishub check');
    const text = hub.run(['users', 'list']);
    expect(text.stderr).not.toContain('This is a bug');
  });

  it('a sync stops before it writes: the quick check finds the damage, and no run is recorded', () => {
    const hub = Hub.afterNightOne('2026-11-25T10:00:00.000Z');
    damage(hub.db, 'audit_account'); // an index that planning does not read: only the quick check sees it
    const runsBefore = (() => {
      const db = new Database(hub.db, { readonly: true });
      try {
        return db.prepare('SELECT count(*) FROM runs').pluck().get();
      } finally {
        db.close();
      }
    })();
    hub.now = '2026-11-26T02:00:00.000Z';
    // A real process: the quick check runs in a worker thread of the sync's own process.
    const r = hub.spawn(['sync', 'run', ...nightSources(2), '--json']);
    expect(r.code).toBe(7);
    expect(r.error.code).toBe('HUB_DAMAGED');
    expect(r.error.message).toContain('This sync changed nothing');
    const db = new Database(hub.db, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(runsBefore);
    db.close();
  });
});
