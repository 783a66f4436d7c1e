/**
 * What a new coordinator met in a first week, on a real hub with the demo foundation's exports: the
 * rules behind each fix (R5, R12, R13), tested on the use cases.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { addException, addExceptionAsking, listExceptions } from '../../src/app/exceptions.js';
import { exportExceptions } from '../../src/app/exceptions-export.js';
import { importExceptions } from '../../src/app/exceptions-import.js';
import { auditTrail } from '../../src/app/audit.js';
import { playDemo } from '../../src/app/demo.js';
import { Store } from '../../src/store/store.js';
import { openDatabase } from '../../src/store/db.js';
import { editUser } from '../../src/app/users.js';
import { runSync } from '../../src/app/sync.js';
import { ScriptedPrompter, TestHub, nightFile } from '../helpers/hub.js';
import { rejected } from '../helpers/errors.js';

const FATIMA = 'fatima.elamrani@waterlanden.nl';
let hub: TestHub;

async function nightOne(): Promise<TestHub> {
  hub = await TestHub.afterNightOne();
  hub.dayAfter(1);
  return hub;
}

afterEach(() => hub?.close());

describe('an email address belongs to one active account (R12: it is the match key)', () => {
  it("refuses another active account's address with EMAIL_TAKEN, naming the holder, even with --force", async () => {
    await nightOne();
    const jan = hub.store.account(hub.id('hr:10234'))!;
    const err = await rejected(() => editUser(hub.ctx({ yes: true }), 'hr:10395', { email: jan.email.toUpperCase() }, true));
    expect(err.code).toBe('EMAIL_TAKEN');
    expect(err.message).toContain(`#${jan.id} Jan de Vries`);
    expect(err.details).toMatchObject({ holders: [{ id: jan.id }] });
    expect(hub.store.account(hub.id('hr:10395'))!.email).toBe(FATIMA);
    expect(hub.store.accountsByEmail(jan.email)).toHaveLength(1);
  });

  it('accepts a free address, and the account keeping its own', async () => {
    await nightOne();
    const r = await editUser(hub.ctx(), 'hr:10395', { email: 'f.elamrani@waterlanden.nl' }, true);
    expect(r.changed).toEqual(['email']);
  });
});

describe('R13 on a listed account that a source still offers', () => {
  it('does not suggest the exception list, which cannot stop the overwrite (R5)', async () => {
    await nightOne();
    addException(hub.ctx(), FATIMA, { reason: 'Invalpool' });
    const prompt = new ScriptedPrompter({ confirm: [true] });
    await editUser(hub.ctx({ prompt }), FATIMA, { familyName: 'Amrani-Bakker' }, false);
    const warning = hub.warnings.join('\n');
    expect(warning).toContain('the next sync will overwrite this change');
    expect(warning).toContain('being on the exception list does not change that while a source offers it');
    expect(warning).not.toMatch(/put the account on the exception list/);
  });
});

describe('exceptions export names accounts so that a new hub finds them', () => {
  it('writes source:externalId, and a hub built afresh from the same exports imports it onto the same people', async () => {
    await nightOne();
    addException(hub.ctx(), FATIMA, { reason: 'Invalpool', until: '2027-01-31' });
    const exported = exportExceptions(hub.ctx(), { format: 'csv' });
    expect(exported.content.split('\r\n')[1]).toMatch(/^hr:10395,Invalpool,2027-01-31,/);
    const json = exportExceptions(hub.ctx(), { format: 'json' });
    const file = path.join(hub.dir, 'lijst.csv');
    const jsonFile = path.join(hub.dir, 'lijst.json');
    fs.writeFileSync(file, exported.content);
    fs.writeFileSync(jsonFile, json.content);
    hub.close();

    // A new hub: the same sources, whose accounts get other ids (an account made by hand comes first).
    hub = new TestHub().demoSources();
    hub.store.db
      .prepare(
        "INSERT INTO accounts (given_name, prefix, family_name, email, role, status, owner, created_at, updated_at) VALUES ('Hand', '', 'Made', 'hand@waterlanden.nl', 'staff', 'active', 'hub', ?, ?)",
      )
      .run(hub.now, hub.now);
    await hub.night(1);
    hub.dayAfter(1);
    const r = importExceptions(hub.ctx(), file, {});
    expect(r.added).toBe(1);
    const [entry] = listExceptions(hub.ctx());
    expect(entry!.user.id).not.toBe(14); // the id it had in the first hub
    expect(entry).toMatchObject({ reason: 'Invalpool', until: '2027-01-31', user: { email: FATIMA } });
    expect(importExceptions(hub.ctx(), jsonFile, { dryRun: true }).unchanged).toBe(1);
  });
});

describe('Dutch time', () => {
  it('counts an entry made at 00:30 Dutch time to that Dutch day, for audit --since', async () => {
    await nightOne();
    hub.now = '2026-11-30T23:30:00.000Z'; // 00:30 on 1 December in Amsterdam
    addException(hub.ctx(), FATIMA, { reason: 'Invalpool' });
    const since = auditTrail(hub.ctx(), { since: '01-12-2026' }).entries;
    expect(since.map((e) => e.action)).toEqual(['exception.add']);
    expect(auditTrail(hub.ctx(), { since: '2026-12-02' }).entries).toEqual([]);
  });
});

describe('the account picker', () => {
  it('finds a source reference (hr:10234) and shows deleted accounts greyed with the reason', async () => {
    await nightOne();
    await hub.night(2); // Milan Schouten leaves and is deleted
    hub.dayAfter(2);
    const offered: { name: string; disabled?: string }[][] = [];
    const prompt = {
      confirm: async () => true,
      input: async () => '',
      search: async <T>(_m: string, find: (term: string) => Promise<{ name: string; value: T; disabled?: string }[]>): Promise<T> => {
        offered.push(await find('hr:10234'), await find('Schouten'));
        return (await find('hr:10234'))[0]!.value;
      },
    };
    const v = await addExceptionAsking(hub.ctx({ prompt }), undefined, { reason: 'Interim' });
    expect(v.user.email).toBe('jan.devries@waterlanden.nl');
    expect(offered[0]!.map((c) => c.name)).toEqual([expect.stringContaining('Jan de Vries')]);
    expect(offered[1]).toEqual([
      expect.objectContaining({ name: expect.stringContaining('Milan Schouten'), disabled: expect.stringMatching(/^deleted 2026-11-25/) }),
    ]);
  });
});

describe('the demo', () => {
  it('leaves its hub with the sources on the last night, so that a sync continues instead of replaying night 1', async () => {
    hub = new TestHub();
    const db = path.join(hub.dir, 'demo.db');
    await playDemo(db, 'tester', () => {});
    const store = new Store(openDatabase(db));
    try {
      for (const s of store.sources()) expect(s.file).toMatch(/night-5/);
      expect(store.sources().map((s) => [s.name, s.priority])).toEqual([
        ['hr', 30],
        ['parnassys', 20],
        ['basispoort', 10],
      ]);
    } finally {
      store.db.close();
    }
  });
});

describe("a returning account's second link (R5, R11)", () => {
  it('is counted and audited when Basispoort offers her a night after HR did', async () => {
    await nightOne();
    addException(hub.ctx(), FATIMA, { reason: 'Invalpool' });
    await hub.night(2); // gone from HR and Basispoort: kept by the list
    await hub.night(3);
    const back = await hub.night(4); // HR offers her again
    expect(back.counts).toMatchObject({ relinked: 1 });
    // The next night Basispoort offers her again too (its export of night 1 still has her).
    hub.now = '2026-11-28T02:00:00.000Z';
    const second = await runSync(hub.ctx({ actor: 'cron' }), {
      overrides: { hr: nightFile(4, 'hr'), parnassys: nightFile(4, 'parnassys'), basispoort: nightFile(1, 'basispoort') },
    });
    const id = hub.id(FATIMA);
    const relinks = [...second.changes()].filter((c) => c.userId === id);
    expect(relinks).toEqual([expect.objectContaining({ action: 'relink', source: 'basispoort' })]);
    expect(second.counts.relinked).toBe(1);
    const trail = hub.store.auditEntries({ accountId: id, limit: 5 });
    expect(trail[0]).toMatchObject({ action: 'relink', source: 'basispoort' });
    expect(trail[0]!.detail).toMatch(/its link basispoort:\S+ is active again/);
    expect(hub.store.linksOf(id).every((l) => l.active)).toBe(true);
  });
});
