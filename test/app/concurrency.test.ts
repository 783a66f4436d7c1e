/**
 * A sync applies only to the hub it planned on. Another command that commits while the sync plans
 * makes it plan again before it writes; a command that waited for the sync re-checks its rules on what
 * the sync wrote. The other command runs here on its own connection, at the moment the sync has planned
 * and is about to write (its "writing" progress), which is exactly the window that used to lose a
 * protected account. The spawned-process race is in test/e2e/race.test.ts.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../../src/app/context.js';
import { addException, saveNew } from '../../src/app/exceptions.js';
import { runSync, OPTIMISTIC_PLANS } from '../../src/app/sync.js';
import { editUser } from '../../src/app/users.js';
import { openDatabase } from '../../src/store/db.js';
import { Store } from '../../src/store/store.js';
import { thrown, rejected } from '../helpers/errors.js';
import { nightFile, TestHub } from '../helpers/hub.js';
import { BIN } from '../e2e/cli.js';

const hubs: TestHub[] = [];
afterEach(() => {
  for (const h of hubs.splice(0)) h.close();
});

async function afterNightOne(): Promise<TestHub> {
  const hub = await TestHub.afterNightOne();
  hubs.push(hub);
  hub.now = '2026-11-25T02:00:00.000Z';
  return hub;
}

/** Night 1's pupils without these leerlingnummers: the next sync no longer offers them. */
function pupilsWithout(hub: TestHub, gone: string[]): string {
  const all = JSON.parse(fs.readFileSync(nightFile(1, 'parnassys'), 'utf8')) as { leerlingnummer: string }[];
  const file = path.join(hub.dir, `pupils-without-${gone.join('-')}.json`);
  fs.writeFileSync(file, JSON.stringify(all.filter((p) => !gone.includes(p.leerlingnummer))));
  return file;
}

/** A second person at another terminal: their own connection to the same hub. */
function otherCommand(hub: TestHub): { ctx: AppContext; close: () => void } {
  const store = new Store(openDatabase(hub.dbPath));
  const ctx = { ...hub.ctx({ actor: 'ib-er', yes: true }), store };
  return { ctx, close: () => store.db.close() };
}

/** Another process: the built CLI, run to its end right now (it commits before this returns). */
function basishub(hub: TestHub, args: string[]): void {
  const r = spawnSync(process.execPath, [BIN, '--db', hub.dbPath, '--actor', 'ib-er', '--json', '--yes', ...args], {
    encoding: 'utf8',
    env: { ...process.env, BASISHUB_NOW: hub.now, BASISHUB_DB: '' },
  });
  if (r.status !== 0) throw new Error(`basishub ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
}

/** A sync whose `writing` progress (planned, about to write) lets `during` run; returns the sync's context. */
function syncCtx(hub: TestHub, during: (attempt: number) => void): AppContext {
  const base = hub.ctx({ actor: 'cron' });
  let attempt = 0;
  return {
    ...base,
    notify: {
      ...base.notify,
      progress: (phase) => {
        if (phase === 'writing') during(++attempt);
      },
    },
  };
}

function isListed(hub: TestHub, id: number): boolean {
  return hub.store.exception(id) !== undefined;
}

describe('a sync and a command that commits while it plans', () => {
  it('plans again when an account it was about to delete was put on the list meanwhile (R4)', async () => {
    const hub = await afterNightOne();
    const id = hub.id('parnassys:L100234');
    const other = otherCommand(hub);
    const ctx = syncCtx(hub, (attempt) => {
      if (attempt === 1) addException(other.ctx, 'parnassys:L100234', { reason: 'Verhuist naar Zweden, komt in maart terug' });
    });
    const r = await runSync(ctx, { overrides: { parnassys: pupilsWithout(hub, ['L100234']) } });
    other.close();
    expect(r.replanned).toBe(1);
    expect(r.counts).toMatchObject({ deleted: 0, protected: 1 });
    expect(hub.store.account(id)).toMatchObject({ status: 'active', owner: 'hub' });
    expect(isListed(hub, id)).toBe(true);
  });

  it('does not bring back an account that a person deleted while it planned to keep it (R3, R7)', async () => {
    const hub = await afterNightOne();
    const id = hub.id('parnassys:L100241');
    addException(hub.ctx(), 'parnassys:L100241', { reason: 'Langdurig ziek' });
    const ctx = syncCtx(hub, (attempt) => {
      if (attempt === 1) basishub(hub, ['users', 'delete', 'parnassys:L100241', '--reason', 'ouders hebben afgemeld']);
    });
    const r = await runSync(ctx, { overrides: { parnassys: pupilsWithout(hub, ['L100241']) } });
    expect(r.replanned).toBe(1);
    expect(r.counts.protected).toBe(0);
    expect(hub.store.account(id)).toMatchObject({ status: 'deleted', deletedBy: 'ib-er', deletedCause: 'ouders hebben afgemeld' });
    expect(isListed(hub, id)).toBe(false);
  });

  it("keeps a person's edit of a hub-owned account made while it planned (R4)", async () => {
    const hub = await afterNightOne();
    const id = hub.id('parnassys:L100257');
    addException(hub.ctx(), 'parnassys:L100257', { reason: 'Wisselt van school' });
    const without = pupilsWithout(hub, ['L100257']);
    await runSync(hub.ctx({ actor: 'cron' }), { overrides: { parnassys: without } }); // now hub-owned
    const ctx = syncCtx(hub, (attempt) => {
      if (attempt === 1) basishub(hub, ['users', 'edit', 'parnassys:L100257', '--family-name', 'Bakker-de Wit']);
    });
    const r = await runSync(ctx, { overrides: { parnassys: without } });
    expect(r.replanned).toBe(1);
    expect(hub.store.account(id)).toMatchObject({ status: 'active', familyName: 'Bakker-de Wit', owner: 'hub' });
  });

  it(`after ${OPTIMISTIC_PLANS} plans overtaken by other writes, plans under the write lock and finishes`, async () => {
    const hub = await afterNightOne();
    const gone = ['L100234', 'L100241', 'L100257', 'L100263', 'L100278'];
    const other = otherCommand(hub);
    const ctx = syncCtx(hub, (attempt) => {
      // A busy script lists one more account each time the sync is about to write.
      if (attempt <= gone.length) addException(other.ctx, `parnassys:${gone[attempt - 1]}`, { reason: `Invalpool ronde ${attempt}` });
    });
    const r = await runSync(ctx, { overrides: { parnassys: pupilsWithout(hub, gone) }, maxDeletes: 10 });
    other.close();
    expect(r.replanned).toBe(OPTIMISTIC_PLANS);
    // The plan under the lock saw every entry committed before it: those accounts are kept, the rest deleted.
    const listed = gone.slice(0, OPTIMISTIC_PLANS + 1);
    expect(r.counts).toMatchObject({ protected: listed.length, deleted: gone.length - listed.length });
    for (const x of gone) {
      const id = hub.id(`parnassys:${x}`);
      const account = hub.store.account(id)!;
      expect(isListed(hub, id) && account.status === 'deleted').toBe(false);
      expect(account.status).toBe(listed.includes(x) ? 'active' : 'deleted');
    }
  });
});

describe('a sync whose sources change while it runs', () => {
  it('stops without changing anything: its exports were read with the settings of before', async () => {
    const hub = await afterNightOne();
    const before = hub.store.revision();
    const ctx = syncCtx(hub, (attempt) => {
      if (attempt === 1) basishub(hub, ['sources', 'edit', 'basispoort', '--priority', '40']);
    });
    const err = await rejected(() => runSync(ctx, { overrides: { parnassys: pupilsWithout(hub, ['L100234']) } }));
    expect(err.code).toBe('USAGE');
    expect(err.message).toContain('sources were changed');
    // Only the edit of the source was written.
    expect(hub.store.revision()).toBe(before + 1);
    expect(hub.store.account(hub.id('parnassys:L100234'))!.status).toBe('active');
  });
});

describe('removing a source', () => {
  it('takes the accounts it leaves without any link off the list (R9), so no listed account lacks a link', async () => {
    const hub = await afterNightOne();
    const id = hub.id('parnassys:L100234');
    addException(hub.ctx(), 'parnassys:L100234', { reason: 'Verhuist, komt terug' });
    const { removeSource } = await import('../../src/app/sources.js');
    removeSource(hub.ctx(), 'parnassys', true);
    expect(isListed(hub, id)).toBe(false);
    expect(hub.store.account(id)).toMatchObject({ status: 'active', owner: 'hub' });
    expect(hub.store.auditEntries({ accountId: id }).find((e) => e.action === 'exception.remove')?.detail).toContain(
      'its last source link went with source parnassys',
    );
    const { invariantProblems } = await import('../../src/store/check.js');
    expect(invariantProblems(hub.store.db)).toEqual([]);
  });
});

describe('a command that waited for a sync', () => {
  it('re-checks its rules on what the sync wrote: a deleted account is not listed (R9)', async () => {
    const hub = await afterNightOne();
    const id = hub.id('parnassys:L100263');
    // The person looked the account up before the sync deleted it; their write comes after the sync's.
    const other = otherCommand(hub);
    const seen = other.ctx.store.account(id)!;
    expect(seen.status).toBe('active');
    await runSync(hub.ctx({ actor: 'cron' }), { overrides: { parnassys: pupilsWithout(hub, ['L100263']) } });
    const err = thrown(() => saveNew(other.ctx, seen, 'Toch houden', null));
    other.close();
    expect(err.code).toBe('USER_DELETED');
    expect(isListed(hub, id)).toBe(false);
  });

  it('users edit of an account that a sync deleted meanwhile is USER_DELETED, and changes nothing', async () => {
    const hub = await afterNightOne();
    const id = hub.id('parnassys:L100278');
    const other = otherCommand(hub);
    // The edit asks for confirmation (source-owned, R13); the sync deletes the account while it asks.
    const asking = {
      ...other.ctx,
      yes: false,
      prompt: {
        confirm: async () => {
          await runSync(hub.ctx({ actor: 'cron' }), { overrides: { parnassys: pupilsWithout(hub, ['L100278']) } });
          return true;
        },
        input: async () => '',
        search: async () => {
          throw new Error('no search');
        },
      },
    } as AppContext;
    const err = await rejected(() => editUser(asking, String(id), { familyName: 'Yılmaz' }, false));
    other.close();
    expect(err.code).toBe('USER_DELETED');
    expect(hub.store.account(id)!.status).toBe('deleted');
    expect(hub.store.account(id)!.familyName).not.toBe('Yılmaz');
    expect(hub.store.auditEntries({ accountId: id }).some((e) => e.action === 'user.edit')).toBe(false);
  });
});
