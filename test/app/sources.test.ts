/**
 * Source settings that change what a source's records mean (R11, R12): the edit, its audit entry, and
 * the sync that compares the settings with those of the last applied sync (schema v3).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { editSource, settingsChanges, settingsSnapshot } from '../../src/app/sources.js';
import { openDatabase } from '../../src/store/db.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { Store } from '../../src/store/store.js';
import { TestHub } from '../helpers/hub.js';

let hub: TestHub;
afterEach(() => hub?.close());

describe('sources edit', () => {
  it('describes every change, and audits who with only the settings that changed, before and after', async () => {
    hub = await TestHub.afterNightOne();
    hub.dayAfter(1);
    const r = editSource(hub.ctx({ actor: 'anne' }), 'hr', { map: ['familyName=Achternaam', 'email=Werkmail'], graceDays: 14, dateFormat: 'dd-mm-yyyy' });
    expect(r.changes).toEqual([
      expect.stringMatching(/^map of hr changed from .*email=E-mailadres.* to .*email=Werkmail/),
      'date format of hr changed from auto to dd-mm-yyyy',
      'grace days of hr changed from 0 to 14',
    ]);
    const [entry] = hub.store.auditEntries({ limit: 1 });
    expect(entry).toMatchObject({ actor: 'anne', action: 'source.edit', source: 'hr' });
    expect(Object.keys(entry!.before as object).sort()).toEqual(['dateFormat', 'graceDays', 'map']);
    expect(entry!.after).toMatchObject({ graceDays: 14, dateFormat: 'dd-mm-yyyy', map: expect.objectContaining({ email: 'Werkmail' }) });
    expect(entry!.detail).toContain(`the next sync evaluates its ${r.linked} linked record(s) again`);
  });

  it('refuses a date format it cannot read, and changes nothing', () => {
    hub = new TestHub().demoSources();
    const before = hub.store.revision();
    expect(() => editSource(hub.ctx(), 'hr', { dateFormat: 'dd-mmm-yy' })).toThrow(/not understood/);
    expect(hub.store.revision()).toBe(before);
    expect(hub.store.source('hr')!.dateFormat).toBeNull();
  });
});

describe('a sync after a settings change', () => {
  it('a dry run shows it and keeps showing it; the applied sync takes it in', async () => {
    hub = await TestHub.afterNightOne();
    hub.dayAfter(1);
    editSource(hub.ctx(), 'basispoort', { priority: 50 });
    const dry = await hub.night(1, { dryRun: true });
    expect(dry.settingsChanged).toEqual(['priority of basispoort changed from 10 to 50']);
    expect((await hub.night(1, { dryRun: true })).settingsChanged).toEqual(['priority of basispoort changed from 10 to 50']);
    const applied = await hub.night(1);
    expect(applied.counts).toEqual(dry.counts);
    expect((await hub.night(1)).settingsChanged).toEqual([]);
  });

  it('on a hub from before the snapshots (schema v2), the first edit records what the last sync used', async () => {
    hub = await TestHub.afterNightOne();
    hub.store.db.exec(`ALTER TABLE sources DROP COLUMN synced_settings;
                       DROP TABLE run_undo;
                       ALTER TABLE runs DROP COLUMN reverts;
                       DELETE FROM meta WHERE key = 'undo_from_run';`);
    hub.store.db.pragma('user_version = 2');
    hub.close();
    const reopened = new Store(openDatabase(hub.dbPath));
    hub = Object.assign(hub, { store: reopened });
    expect(reopened.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(reopened.syncedSettings('hr')).toBeNull();
    expect((await hub.night(1, { dryRun: true })).settingsChanged).toEqual([]); // nothing known, nothing claimed
    hub.dayAfter(1);
    editSource(hub.ctx(), 'hr', { kind: 'other' });
    expect((await hub.night(1, { dryRun: true })).settingsChanged).toEqual(['kind of hr changed from hr to other']);
  });
});

describe('settings snapshots', () => {
  const hr = {
    kind: 'hr',
    format: 'csv',
    file: '/data/afas/medewerkers.csv',
    match: 'email',
    map: { familyName: 'Achternaam', externalId: 'Personeelsnummer' },
    priority: 30,
    delimiter: ';',
    encoding: null,
    dateFormat: null,
    graceDays: 0,
  } as const;

  it('do not depend on the order of the map', () => {
    expect(settingsSnapshot(hr)).toBe(settingsSnapshot({ ...hr, map: { externalId: 'Personeelsnummer', familyName: 'Achternaam' } }));
  });

  it('name each setting that changed, and ignore settings an older snapshot did not hold', () => {
    const { graceDays: _dropped, ...older } = JSON.parse(settingsSnapshot(hr)) as typeof hr;
    expect(settingsChanges('hr', older, { ...hr, graceDays: 7, delimiter: '\t', match: 'externalId' })).toEqual([
      'match key of hr changed from email to externalId',
      'delimiter of hr changed from ; to tab',
    ]);
  });
});
