/**
 * The audit trail in the store: a sync's creates from one record are stored as the record (schema v2)
 * and read back as detail and after; an erased account leaves nothing of them; a hub of schema v1 is
 * migrated and its entries read as they did.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { openDatabase, PAGE_SIZE } from '../../src/store/db.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { Store } from '../../src/store/store.js';
import { auditEntries, runChanges } from '../../src/app/trail.js';
import { addSource } from '../../src/app/sources.js';
import { runSync } from '../../src/app/sync.js';
import { JAN, TestHub } from '../helpers/hub.js';

let hub: TestHub;
afterEach(() => hub?.close());

interface RawAudit {
  id: number;
  action: string;
  account_id: number | null;
  detail: string;
  after: string | null;
  record: string | null;
}

function raw(db: Database.Database, accountId: number): RawAudit[] {
  return db.prepare('SELECT id, action, account_id, detail, after, record FROM audit WHERE account_id = ? ORDER BY id').all(accountId) as RawAudit[];
}

describe('audit trail: creates stored as their record', () => {
  it('reads a create back as the detail and after a person expects, in the trail and in the run', async () => {
    hub = new TestHub().demoSources();
    const run = await hub.night(1);
    const id = hub.id('parnassys:L100241'); // Noor van der Linden, in the pupil administration only
    const [stored] = raw(hub.store.db, id);
    expect(stored).toMatchObject({ action: 'create', detail: '', after: null });
    expect(stored!.record).toContain('Linden');

    const [entry] = auditEntries(hub.store, { accountId: id });
    expect(entry).toMatchObject({ action: 'create', actor: 'cron', source: 'parnassys', externalId: 'L100241', runId: run.runId });
    expect(entry!.detail).toBe('Noor van der Linden <noor.vanderlinden@leerling.waterlanden.nl> (student): OBS De Regenboog/Groep 1/2');
    expect(entry!.after).toEqual({
      givenName: 'Noor',
      prefix: 'van der',
      familyName: 'Linden',
      email: 'noor.vanderlinden@leerling.waterlanden.nl',
      role: 'student',
      links: ['parnassys:L100241'],
    });

    // A create from two records (Jan de Vries is in HR and in Basispoort) is written out in full.
    const jan = raw(hub.store.db, hub.id('hr:10234'))[0]!;
    expect(jan).toMatchObject({ action: 'create', record: null });
    expect(jan.detail).toContain('also linked to basispoort:');

    // `sync show` and the run's own changes read the same text.
    const shown = [...runChanges(hub.store, run.runId!)].find((c) => c.userId === id);
    expect(shown).toMatchObject({ action: 'create', detail: entry!.detail });
    const planned = [...run.changes()].find((c) => c.userId === id);
    expect(planned?.detail).toBe(entry!.detail);
  });

  // (purgeUsers, which erases accounts, is tested in test/app/rules.test.ts.)
  it('keeps no personal data of an erased account: the stored record goes too', async () => {
    hub = new TestHub().demoSources();
    await hub.night(1);
    const id = hub.id('parnassys:L100241');
    hub.store.purgeAccount(id);
    expect(raw(hub.store.db, id)).toEqual([expect.objectContaining({ action: 'create', detail: '[purged]', after: null, record: null })]);
    expect(hub.store.auditEntries({ accountId: id })[0]).toMatchObject({ detail: '[purged]', after: null, externalId: null });
  });

  it('migrates a hub of schema v1: older entries read as they did, runs find theirs by id range', async () => {
    hub = new TestHub().demoSources();
    await hub.night(1);
    const id = hub.id('parnassys:L100241');
    const full = auditEntries(hub.store, { accountId: id })[0]!;
    const changes = [...runChanges(hub.store, 1)];
    expect(changes.length).toBeGreaterThan(20);
    // Make it a v1 hub, with the creates written out in full as v1 wrote them.
    const db = hub.store.db;
    const writeOut = db.prepare('UPDATE audit SET detail = ?, after = ?, record = NULL WHERE id = ?');
    for (const e of auditEntries(hub.store, { order: 'asc' })) if (e.action === 'create') writeOut.run(e.detail, JSON.stringify(e.after), e.id);
    db.exec(`ALTER TABLE audit DROP COLUMN record;
             ALTER TABLE runs DROP COLUMN first_audit;
             ALTER TABLE runs DROP COLUMN last_audit;
             CREATE INDEX audit_run ON audit (run_id, id) WHERE run_id IS NOT NULL;
             ALTER TABLE sources DROP COLUMN synced_settings;
             DROP TABLE run_undo;
             ALTER TABLE runs DROP COLUMN reverts;
             DELETE FROM meta WHERE key = 'undo_from_run';`);
    db.pragma('user_version = 1');
    hub.close();

    const reopened = new Store(openDatabase(hub.dbPath));
    hub = Object.assign(hub, { store: reopened });
    expect(reopened.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(raw(reopened.db, id)[0]).toMatchObject({ detail: full.detail, record: null });
    expect(auditEntries(reopened, { accountId: id })[0]).toEqual(full);
    // The run's entries are found by their id range, taken from the trail.
    expect([...runChanges(reopened, 1)]).toEqual(changes);
    expect(reopened.auditEntries({ runId: 1, order: 'asc' }).map((e) => e.id)).toEqual(
      reopened.db.prepare('SELECT id FROM audit WHERE run_id = 1 ORDER BY id').pluck().all() as number[],
    );
    expect(reopened.db.prepare("SELECT name FROM sqlite_master WHERE name = 'audit_run'").all()).toEqual([]);
    // Run 1 predates the undo snapshots (schema v4): they are kept from the next run on.
    expect(reopened.meta('undo_from_run')).toBe('2');
  });
});

describe("audit trail: who and when of a sync's creates", () => {
  it("records the run's actor, time and id on every create, whatever characters the actor's name holds", async () => {
    // The plan writer puts the run's time, actor and id into its statements once (src/store/apply.ts).
    hub = new TestHub();
    const file = hub.writeHr([
      JAN,
      { id: '10235', given: 'Fatma', family: 'Öztürk', email: 'fatma.ozturk@school.nl', organisation: 'OBS De Regenboog', group: 'Groep 3' },
    ]);
    const iso = '2026-11-24T02:00:00.000Z';
    addSource(hub.at(iso), 'hr', { file, kind: 'hr' });
    const actor = "j.d'Hondt -- '); DROP TABLE audit; --";
    const run = await runSync(hub.at(iso, actor), {});
    const creates = auditEntries(hub.store, {}).filter((e) => e.action === 'create');
    expect(creates).toHaveLength(2);
    for (const e of creates) expect(e).toMatchObject({ actor, at: iso, runId: run.runId });
    const rows = hub.store.db.prepare('SELECT created_at, updated_at FROM accounts UNION SELECT created_at, created_at FROM links').raw().all();
    expect(rows).toEqual([[iso, iso]]);
  });
});

describe('a new hub', () => {
  it('is created in WAL mode with 16 KiB pages (written in bulk: see PAGE_SIZE)', () => {
    hub = new TestHub();
    expect(hub.store.db.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    expect(hub.store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(hub.store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });
});
