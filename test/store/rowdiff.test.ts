/**
 * A sync and a revert write an existing account's row and links where they change, and nothing else
 * (src/store/rowdiff.ts): an UPDATE that names the names, the email or a link's record rewrites the
 * account's search row (its triggers fire on the columns named, changed or not). What is written must
 * still be exactly what the plan says (R1, R3, R18).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { revertRun } from '../../src/app/revert.js';
import { RowDiffWriter } from '../../src/store/rowdiff.js';
import { searchRowSql } from '../../src/store/migrations.js';
import { Snapshots } from '../../src/store/undo.js';
import { JAN, TestHub, type Staff } from '../helpers/hub.js';

let hub: TestHub;
afterEach(() => hub?.close());

const FATIMA: Staff = {
  id: '10235',
  given: 'Fatima',
  family: 'El Amrani',
  email: 'fatima.elamrani@school.nl',
  organisation: 'OBS De Regenboog',
  group: 'Groep 3',
};
const KEES: Staff = { id: '10236', given: 'Kees', family: 'Bakker', email: 'kees.bakker@school.nl', organisation: 'CBS De Wegwijzer', group: 'Groep 5' };

/** Logs, per account, every UPDATE that names a searchable column of it or a link's record. */
function watchSearchableWrites(h: TestHub): () => string[] {
  const db = h.store.db;
  db.exec(`CREATE TEMP TABLE written (what TEXT);
    CREATE TEMP TRIGGER names_written AFTER UPDATE OF given_name, prefix, family_name, email ON main.accounts BEGIN INSERT INTO written VALUES ('names ' || NEW.id); END;
    CREATE TEMP TRIGGER record_written AFTER UPDATE OF record ON main.links BEGIN INSERT INTO written VALUES ('record ' || NEW.external_id); END;`);
  return () => db.prepare('SELECT what FROM written ORDER BY rowid').pluck().all() as string[];
}

function searchRowsAreAsRebuilt(h: TestHub): void {
  const read = () => h.store.db.prepare('SELECT account_id, name_key, text FROM account_search ORDER BY account_id').all();
  const now = read();
  h.store.db.exec(searchRowSql('1'));
  expect(now).toEqual(read());
}

describe('writing only what changes', () => {
  it('deletes an account without naming its names or its record, and renames one by naming only those', async () => {
    hub = new TestHub();
    await hub.sync('2026-11-24T02:00:00.000Z', [JAN, FATIMA, KEES]);
    const written = watchSearchableWrites(hub);
    // Fatima leaves (R1: not offered, deleted); Kees is renamed (R11: the source's attributes).
    const night2 = await hub.sync('2026-11-25T02:00:00.000Z', [JAN, { ...KEES, family: 'de Bakker-Visser', email: 'kees.debakker@school.nl' }]);
    expect(night2.counts).toMatchObject({ deleted: 1, updated: 1, unchanged: 1 });
    const fatima = hub.store.account(hub.id('hr:10235'))!;
    expect(fatima).toMatchObject({ status: 'deleted', givenName: 'Fatima', deletedAt: '2026-11-25T02:00:00.000Z', deletedBy: 'cron' });
    expect(fatima.deletedCause).toContain(String(night2.runId));
    expect(hub.store.account(hub.id('hr:10236'))).toMatchObject({ familyName: 'de Bakker-Visser', email: 'kees.debakker@school.nl', status: 'active' });
    // Kees's name and record changed: his search row was written; Fatima's (a status change) was not.
    expect(written()).toEqual([`names ${hub.id('hr:10236')}`, 'record 10236']);
    searchRowsAreAsRebuilt(hub);
  });

  it('reverts that night exactly, again writing the names only where they differ', async () => {
    hub = new TestHub();
    await hub.sync('2026-11-24T02:00:00.000Z', [JAN, FATIMA, KEES]);
    const snaps = new Snapshots(hub.store);
    const ids = [hub.id('hr:10234'), hub.id('hr:10235'), hub.id('hr:10236')];
    const before = snaps.captureMany(ids);
    const night2 = await hub.sync('2026-11-25T02:00:00.000Z', [JAN, { ...KEES, family: 'de Bakker-Visser' }]);
    const written = watchSearchableWrites(hub);
    await revertRun(hub.at('2026-11-25T09:00:00.000Z', 'coordinator'), String(night2.runId), {});
    // R18: each account as it was, row, links and list entry.
    expect(snaps.captureMany(ids)).toEqual(before);
    expect(written()).toEqual([`names ${ids[2]}`, 'record 10236']);
    searchRowsAreAsRebuilt(hub);
  });

  it("writes each changed account's search row once, and leaves the search triggers as they were for everyone else", async () => {
    hub = new TestHub();
    const triggers = () => hub.store.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all();
    const before = triggers();
    await hub.sync('2026-11-24T02:00:00.000Z', [JAN, FATIMA]);
    const db = hub.store.db;
    db.exec(`CREATE TEMP TABLE rows_written (account_id INTEGER);
      CREATE TEMP TRIGGER search_row_written AFTER INSERT ON main.account_search BEGIN INSERT INTO rows_written VALUES (NEW.account_id); END;
      CREATE TEMP TRIGGER search_row_rewritten AFTER UPDATE ON main.account_search BEGIN INSERT INTO rows_written VALUES (NEW.account_id); END;`);
    // Kees is new, Fatima renamed (name and record): one search row each, where the triggers wrote two.
    await hub.sync('2026-11-25T02:00:00.000Z', [JAN, { ...FATIMA, family: 'Öztürk', email: 'fatima.ozturk@school.nl' }, KEES]);
    expect(db.prepare('SELECT account_id FROM rows_written ORDER BY rowid').pluck().all()).toEqual([hub.id('hr:10235'), hub.id('hr:10236')]);
    searchRowsAreAsRebuilt(hub);
    expect(triggers()).toEqual(before);
    // The triggers keep the rows of every other write again: a person's edit.
    db.prepare("UPDATE accounts SET family_name = 'Visser' WHERE id = ?").run(hub.id('hr:10234'));
    expect(db.prepare('SELECT text FROM account_search WHERE account_id = ?').pluck().get(hub.id('hr:10234'))).toContain('visser');
  });

  it('writes nothing to a link that does not change, and only updated_at to a row that does not', async () => {
    hub = new TestHub();
    await hub.sync('2026-11-24T02:00:00.000Z', [JAN]);
    const id = hub.id('hr:10234');
    const snap = new Snapshots(hub.store).capture(id)!;
    const rows = new RowDiffWriter(hub.store.db);
    const written = watchSearchableWrites(hub);
    rows.link(snap.links[0]!, snap.links[0]!);
    rows.account(id, snap.account, { ...snap.account }, '2026-11-24T03:00:00.000Z');
    expect(written()).toEqual([]);
    expect(hub.store.account(id)!.updatedAt).toBe('2026-11-24T03:00:00.000Z');
    rows.link(snap.links[0]!, { ...snap.links[0]!, active: false, inactiveSince: '2026-11-24' });
    expect(hub.store.link('hr', '10234')).toMatchObject({ active: false, inactiveSince: '2026-11-24', record: snap.links[0]!.record });
    expect(written()).toEqual([]);
  });
});
