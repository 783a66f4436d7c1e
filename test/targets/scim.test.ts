/**
 * Publishing to a real SCIM 2.0 service (scimmy on 127.0.0.1), through a proxy that injects faults:
 * R15 (the target follows the hub), R16 (idempotent, resumable, never a duplicate), R17 (safety stop).
 */
import { describe, expect, it } from '@jest/globals';
import { publish, type PublishOptions, type TargetResult } from '../../src/app/publish.js';
import { addTarget, editTarget, showTarget } from '../../src/app/targets.js';
import { addException } from '../../src/app/exceptions.js';
import { deleteUser, editUser, purgeUsers, restoreUser } from '../../src/app/users.js';
import { TestHub } from '../helpers/hub.js';
import { startProxy, store, useScimService } from '../helpers/scim-server.js';

const TOKEN = 'geheim-token-123';
const env = { SCIM_TOKEN: TOKEN };
const scim = useScimService(TOKEN);

const fast: PublishOptions['http'] = { backoffMs: 2, attempts: 4 };

async function one(hub: TestHub, opts: PublishOptions = {}): Promise<TargetResult> {
  const r = await publish(hub.ctx({ actor: 'cron' }), { env, http: fast, ...opts });
  return r.targets[0]!;
}

function userByExternalId(id: number) {
  const found = [...store.users.values()].filter((u) => u.externalId === String(id));
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0];
}

function activeIds(hub: TestHub): number[] {
  return hub.store.db.prepare("SELECT id FROM accounts WHERE status = 'active' ORDER BY id").pluck().all() as number[];
}

async function demoHub(groups = false): Promise<TestHub> {
  const hub = await TestHub.afterNightOne();
  addTarget(hub.ctx(), 'entra', { kind: 'scim', url: scim.proxy.url, tokenEnv: 'SCIM_TOKEN', groups: groups || undefined }, env);
  return hub;
}

describe('publishing to a SCIM service', () => {
  it('creates every active account once, with userName, externalId, the tussenvoegsel in familyName, emails and active (R15)', async () => {
    const hub = await demoHub();
    const r = await one(hub);
    expect(r.status).toBe('completed');
    const ids = activeIds(hub);
    expect(r.counts).toMatchObject({ created: ids.length, updated: 0, deactivated: 0, failed: 0 });
    expect(store.users.size).toBe(ids.length);
    const jan = hub.store.accountsByEmail('jan.devries@waterlanden.nl')[0]!;
    const u = userByExternalId(jan.id)!;
    expect(u).toMatchObject({
      userName: 'jan.devries@waterlanden.nl',
      externalId: String(jan.id),
      active: true,
      displayName: 'Jan de Vries',
      userType: 'Employee',
    });
    expect(u.name).toMatchObject({ givenName: 'Jan', familyName: 'de Vries' });
    expect(u.emails).toEqual([{ value: 'jan.devries@waterlanden.nl', type: 'work', primary: true }]);
    // Looked up by externalId before every create (R16), and only to this host with the token.
    const gets = scim.proxy.log.filter((l) => l.method === 'GET' && decodeURIComponent(l.path).includes('externalId eq'));
    expect(gets.length).toBe(ids.length);
    expect(scim.proxy.log.every((l) => l.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('sends nothing the second time (R16), and a change as one PATCH', async () => {
    const hub = await demoHub();
    await one(hub);
    scim.proxy.log = [];
    const again = await one(hub);
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: activeIds(hub).length });
    expect(scim.proxy.log).toEqual([]);

    await editUser(hub.ctx(), 'hr:10234', { familyName: 'Vries-Bakker' }, true);
    const r = await one(hub);
    expect(r.counts).toMatchObject({ updated: 1, created: 0 });
    expect(scim.proxy.log.map((l) => l.method)).toEqual(['PATCH']);
    const jan = hub.store.accountsByEmail('jan.devries@waterlanden.nl')[0]!;
    expect(userByExternalId(jan.id)!.name.familyName).toBe('de Vries-Bakker');
  });

  it('keeps a protected account active on the night its source drops it, and deactivates a deleted one (R4, R15)', async () => {
    const hub = await demoHub();
    addException(hub.ctx(), 'fatima.elamrani@waterlanden.nl', { reason: 'Invalpool: tussen twee contracten' });
    await one(hub);
    await hub.night(2);
    const fatima = hub.store.accountsByEmail('fatima.elamrani@waterlanden.nl')[0]!;
    expect(fatima.owner).toBe('hub');
    const milan = hub.store.db.prepare("SELECT account_id FROM links WHERE source = 'parnassys' AND external_id = 'L100390'").pluck().get() as number;
    expect(hub.store.account(milan)!.status).toBe('deleted');
    scim.proxy.log = [];
    const r = await one(hub);
    expect(r.counts.deactivated).toBe(1);
    expect(r.changes.filter((c) => c.action === 'deactivate').map((c) => c.userId)).toEqual([milan]);
    expect(r.changes.some((c) => c.userId === fatima.id)).toBe(false); // nothing sent for her
    expect(scim.proxy.log.some((l) => l.path.includes(userByExternalId(fatima.id)!.id))).toBe(false);
    expect(userByExternalId(fatima.id)!.active).toBe(true);
    expect(userByExternalId(milan)!.active).toBe(false);

    // Restored: active again, the same target account (R8, R15).
    const remoteId = userByExternalId(milan)!.id;
    restoreUser(hub.ctx({ yes: true }), String(milan));
    const back = await one(hub);
    expect(back.counts).toMatchObject({ reactivated: 1, created: 0 });
    expect(userByExternalId(milan)).toMatchObject({ id: remoteId, active: true });

    // Erased from the hub: removed from the target.
    await deleteUser(hub.ctx({ yes: true }), String(milan));
    await one(hub);
    hub.now = '2027-12-01T02:00:00.000Z';
    await purgeUsers(hub.ctx({ yes: true }), 30, false);
    const gone = await one(hub);
    expect(gone.counts.deleted).toBe(1);
    expect(store.users.has(remoteId)).toBe(false);
  });

  it('updates and deactivates an account without an email address (a pupil): emails removed, not replaced by an empty list (R15)', async () => {
    const hub = await demoHub();
    const milan = hub.id('parnassys:L100390');
    await editUser(hub.ctx(), String(milan), { email: '' }, true);
    const first = await one(hub);
    expect(first.counts.failed).toBe(0);
    expect(userByExternalId(milan)).toMatchObject({ userName: `hub-${milan}`, active: true });
    expect(userByExternalId(milan)!.emails ?? []).toEqual([]);

    await editUser(hub.ctx(), String(milan), { familyName: 'Schouten-de Wit' }, true);
    const renamed = await one(hub);
    expect(renamed.failures).toEqual([]);
    expect(renamed.counts).toMatchObject({ updated: 1, failed: 0 });
    expect(userByExternalId(milan)!.name.familyName).toBe('Schouten-de Wit');

    await deleteUser(hub.ctx({ yes: true }), String(milan));
    const gone = await one(hub);
    expect(gone.failures).toEqual([]);
    expect(gone.counts).toMatchObject({ deactivated: 1, failed: 0 });
    expect(userByExternalId(milan)!.active).toBe(false);
  });

  it('clears an email address that the hub took away, in the same PATCH as the rest', async () => {
    const hub = await demoHub();
    await one(hub);
    const jan = hub.store.accountsByEmail('jan.devries@waterlanden.nl')[0]!;
    await editUser(hub.ctx(), String(jan.id), { email: '' }, true);
    scim.proxy.log = [];
    const r = await one(hub);
    expect(r.failures).toEqual([]);
    expect(r.counts).toMatchObject({ updated: 1, failed: 0 });
    expect(scim.proxy.log.map((l) => l.method)).toEqual(['PATCH']);
    expect(userByExternalId(jan.id)!.emails ?? []).toEqual([]);
    expect(userByExternalId(jan.id)!.userName).toBe(`hub-${jan.id}`);
  });

  it('honours 429 with Retry-After and retries 5xx, without duplicates', async () => {
    const hub = await demoHub();
    let n = 0;
    let posts = 0;
    scim.proxy.fault = ({ method }) =>
      ++n === 1 ? { status: 429, headers: { 'retry-after': '0' } } : method === 'POST' && ++posts <= 6 && posts % 2 === 1 ? { status: 503 } : undefined;
    const r = await one(hub);
    expect(r.status).toBe('completed');
    expect(scim.proxy.log[0]!.status).toBe(429);
    expect(scim.proxy.log.filter((l) => l.status === 503).length).toBe(3);
    expect(r.counts.failed).toBe(0);
    expect(store.users.size).toBe(activeIds(hub).length);
  });

  it('never creates twice when the answer to a create is lost (R16)', async () => {
    const hub = await demoHub();
    let lost = 0;
    scim.proxy.fault = ({ method }) => (method === 'POST' && lost++ < 3 ? 'lose' : undefined);
    const r = await one(hub);
    expect(r.status).toBe('completed');
    expect(r.counts.failed).toBe(0);
    expect(store.users.size).toBe(activeIds(hub).length);
    for (const id of activeIds(hub)) expect(userByExternalId(id)).toBeDefined();
    // Each lost create was found by its externalId, not sent again.
    expect(scim.proxy.log.filter((l) => l.method === 'POST').length).toBe(activeIds(hub).length);
  });

  it('keeps what was acknowledged when some accounts fail, and the next publish sends only the rest (exit 8 material)', async () => {
    const hub = await demoHub();
    const jan = hub.store.accountsByEmail('jan.devries@waterlanden.nl')[0]!;
    scim.proxy.fault = ({ path }) => (path.includes(encodeURIComponent(`"${jan.id}"`)) ? { status: 500 } : undefined);
    const r = await one(hub);
    expect(r.status).toBe('failed');
    expect(r.counts.failed).toBe(1);
    expect(r.failures).toEqual([{ userId: jan.id, message: expect.stringContaining('500') }]);
    expect(r.counts.created).toBe(activeIds(hub).length - 1);
    expect(showTarget(hub.ctx(), 'entra', env).pending).toMatchObject({ created: 1 });
    scim.proxy.fault = () => undefined;
    scim.proxy.log = [];
    const next = await one(hub);
    expect(next.counts).toMatchObject({ created: 1, failed: 0 });
    expect(scim.proxy.log.map((l) => l.method)).toEqual(['GET', 'POST']);
  });

  it('stops after the service stops answering, and fails without a token', async () => {
    const hub = await demoHub();
    scim.proxy.fault = () => 'drop';
    const r = await one(hub, { http: { backoffMs: 1, attempts: 2 } });
    expect(r.status).toBe('failed');
    expect(r.counts.failed).toBe(activeIds(hub).length);
    expect(r.failures.some((f) => f.message.startsWith('not sent: the service stopped answering'))).toBe(true);
    expect(scim.proxy.log.length).toBeLessThan(60);
    const noToken = await publish(hub.ctx(), { env: {}, http: fast });
    expect(noToken.targets[0]!.status).toBe('failed');
    expect(noToken.targets[0]!.failures[0]!.message).toContain('SCIM_TOKEN');
  });

  it('gives a request up after its time-out, and retries it', async () => {
    const hub = await demoHub();
    editTarget(hub.ctx(), 'entra', { timeout: 1, concurrency: 8 });
    let slow = 0;
    // The first two lookups get no answer within the 1 s time-out (the proxy hangs up after 1.5 s).
    scim.proxy.fault = ({ method }) => (method === 'GET' && slow++ < 2 ? 'hang' : undefined);
    const r = await one(hub);
    expect(r.status).toBe('completed');
    expect(scim.proxy.log.filter((l) => l.status === -2).length).toBe(2);
    expect(store.users.size).toBe(activeIds(hub).length);
  });

  it('does not follow a redirect to another host, so the token stays with the service', async () => {
    const hub = await demoHub();
    const elsewhere = await startProxy(scim.server.port);
    scim.proxy.fault = () => ({ status: 307, headers: { location: `http://localhost:${elsewhere.port}/scim/v2/Users` } });
    const r = await one(hub);
    expect(r.status).toBe('failed');
    expect(r.failures[0]!.message).toContain('redirected to another host');
    expect(elsewhere.log).toEqual([]);
    await elsewhere.close();
  });

  it('stops before deactivating more than the limit (R17), and sends an approved plan or a forced run', async () => {
    const hub = await demoHub();
    await one(hub);
    const pupils = hub.store.db.prepare("SELECT account_id FROM links WHERE source = 'parnassys' LIMIT 12").pluck().all() as number[];
    for (const id of pupils) await deleteUser(hub.ctx({ yes: true }), String(id));
    scim.proxy.log = [];
    const stopped = await one(hub);
    expect(stopped.status).toBe('stopped');
    expect(stopped.stopReason).toContain('more than the limit of 10');
    expect(scim.proxy.log).toEqual([]);
    const dry = await one(hub, { dryRun: true });
    expect(dry.counts.deactivated).toBe(12);
    const wrong = await one(hub, { approve: '0123456789abcdef' });
    expect(wrong.status).toBe('stopped');
    const ok = await one(hub, { approve: stopped.planId });
    expect(ok.status).toBe('completed');
    expect(ok.counts.deactivated).toBe(12);
    for (const id of pupils) expect(userByExternalId(id)!.active).toBe(false);
    for (const id of pupils.slice(0, 11)) restoreUser(hub.ctx({ yes: true }), String(id));
    await one(hub);
    for (const id of pupils.slice(0, 11)) await deleteUser(hub.ctx({ yes: true }), String(id));
    expect((await one(hub, { force: true })).counts.deactivated).toBe(11);
  });

  it('publishes only what a stopped sync did not change: no deletion it would have made (R17)', async () => {
    const hub = await demoHub();
    await one(hub);
    const empty = hub.dir + '/empty.json';
    (await import('node:fs')).writeFileSync(
      empty,
      '[{"leerlingnummer":"L999999","roepnaam":"Nieuw","achternaam":"Kind","relations":[{"organisation":"OBS De Regenboog","group":"Groep 3/4"}]}]',
    );
    await expect(hub.night(1, { overrides: { parnassys: empty } })).rejects.toMatchObject({ code: 'SAFETY_STOP' });
    scim.proxy.log = [];
    const r = await one(hub);
    expect(r.counts).toMatchObject({ deactivated: 0, deleted: 0, created: 0 });
    expect(scim.proxy.log).toEqual([]);
  });

  it('publishes schools and classes as SCIM Groups with their members (--groups)', async () => {
    const hub = await demoHub(true);
    const r = await one(hub);
    expect(r.status).toBe('completed');
    const groups = [...store.groups.values()];
    const school = groups.find((g) => g.displayName === 'OBS De Regenboog')!;
    const jan = userByExternalId(hub.store.accountsByEmail('jan.devries@waterlanden.nl')[0]!.id)!;
    expect(school.externalId).toBe('basishub:org:OBS De Regenboog');
    expect(school.members.map((m: { value: string }) => m.value)).toContain(jan.id);
    expect(r.groups!.created).toBe(groups.length);
    scim.proxy.log = [];
    expect((await one(hub)).groups).toMatchObject({ created: 0, updated: 0 });
    expect(scim.proxy.log).toEqual([]);
  });

  it('sends everything again, matched and not duplicated, when the target is pointed elsewhere', async () => {
    const hub = await demoHub();
    await one(hub);
    const { forgotten } = editTarget(hub.ctx(), 'entra', { url: scim.server.url });
    expect(forgotten).toBe(true);
    const r = await one(hub);
    expect(r.counts.created).toBe(activeIds(hub).length);
    expect(store.users.size).toBe(activeIds(hub).length);
  });
});
