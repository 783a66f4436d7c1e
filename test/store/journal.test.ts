/**
 * A first sync into an empty hub loads with a rollback journal (Store.withRollbackJournal): the hub is
 * back in WAL mode (and checking foreign keys) afterwards, whatever happened, and nobody else's open
 * connection is disturbed.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { TestHub } from '../helpers/hub.js';

let hub: TestHub;
afterEach(() => hub?.close());

const mode = (db: Database.Database) => db.pragma('journal_mode', { simple: true });

describe('bulk load with a rollback journal', () => {
  it('runs the load with a rollback journal and leaves the hub in WAL mode', () => {
    hub = new TestHub();
    const inside = hub.store.withRollbackJournal(() => mode(hub.store.db));
    expect(inside).toBe('delete');
    expect(mode(hub.store.db)).toBe('wal');
  });

  it('is back in WAL mode after a load that failed, and the failed load changed nothing', () => {
    hub = new TestHub();
    expect(() =>
      hub.store.withRollbackJournal(() =>
        hub.store.transaction(() => {
          hub.store.db.prepare("INSERT INTO meta (key, value) VALUES ('probe', 'x')").run();
          throw new Error('disk full');
        }),
      ),
    ).toThrow('disk full');
    expect(mode(hub.store.db)).toBe('wal');
    expect(hub.store.meta('probe')).toBeUndefined();
  });

  it('loads without foreign-key checks and checks them again afterwards, also after a load that failed', () => {
    hub = new TestHub();
    const keys = () => hub.store.db.pragma('foreign_keys', { simple: true });
    expect(hub.store.withRollbackJournal(keys)).toBe(0);
    expect(keys()).toBe(1);
    expect(() =>
      hub.store.withRollbackJournal(() => {
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(keys()).toBe(1);
    // And checked they are: a link to an account that does not exist is refused again.
    expect(() =>
      hub.store.db.prepare("INSERT INTO links (source, external_id, account_id, active, record, created_at) VALUES ('hr', '1', 999, 1, '', 'x')").run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('stays in WAL mode, without waiting, when another connection has the hub open', () => {
    hub = new TestHub();
    const other = new Database(hub.dbPath);
    try {
      other.prepare('SELECT count(*) FROM accounts').get();
      const inside = hub.store.withRollbackJournal(() => mode(hub.store.db));
      expect(inside).toBe('wal');
      expect(mode(hub.store.db)).toBe('wal');
      expect(hub.store.db.pragma('busy_timeout', { simple: true })).toBe(10000); // as it was
    } finally {
      other.close();
    }
  });
});
