/**
 * `exceptions review` (docs/rules.md R10) on a real hub whose accounts come from the real
 * sync of an HR export.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { addException, editException, removeException } from '../../src/app/exceptions.js';
import { LAST_REVIEW_AT, LAST_REVIEW_AUDIT_ID, reviewExceptions } from '../../src/app/review.js';
import { FATIMA, JAN, PETRA, TestHub, ZOE } from '../helpers/hub.js';

const NIGHT = (d: number) => `2026-03-${String(d).padStart(2, '0')}T02:00:00.000Z`;
const DAY = (d: number) => `2026-03-${String(d).padStart(2, '0')}T10:00:00.000Z`;

let hub: TestHub;
afterEach(() => hub?.close());

async function withStaff(...people: (typeof JAN)[]): Promise<TestHub> {
  hub = new TestHub();
  await hub.sync(NIGHT(1), people);
  return hub;
}

function ids(list: { user: { id: number } }[]): number[] {
  return list.map((x) => x.user.id);
}

describe('exceptions review', () => {
  it('with nothing listed, nothing is pending; the review is kept in meta and does not move the revision', async () => {
    await withStaff(JAN, ZOE);
    const revision = hub.store.revision();
    const r = reviewExceptions(hub.at(DAY(1)));
    expect(r).toMatchObject({ olderThan: 180, pending: 0, previousReviewAt: null, recorded: true });
    expect(r.groups).toEqual({ longListed: [], notOffered: [], lapsed: [], offeredAgain: [], pastUntil: [] });
    // A review is no change of data: an approved sync plan (bound to max(audit.id)) stays valid.
    expect(hub.store.revision()).toBe(revision);
    expect(hub.store.meta(LAST_REVIEW_AT)).toBe(DAY(1));
    expect(hub.store.meta(LAST_REVIEW_AUDIT_ID)).toBe(String(revision));
    const next = reviewExceptions(hub.at(DAY(2)));
    expect(next.previousReviewAt).toBe(DAY(1));
    expect(hub.store.meta(LAST_REVIEW_AT)).toBe(DAY(2));
  });

  it("a terminal's first page: a group longer than upTo holds its first entries, the totals and pending count all (R10)", async () => {
    await withStaff(JAN, ZOE, PETRA);
    addException(hub.at(DAY(1)), JAN.email, { reason: 'Interim-directeur' });
    addException(hub.at(DAY(2)), ZOE.email, { reason: 'Zwangerschapsverlof' });
    addException(hub.at(DAY(3)), PETRA.email, { reason: 'Invalpool' });
    const full = reviewExceptions(hub.at(DAY(10)), { olderThan: 0, record: false });
    const paged = reviewExceptions(hub.at(DAY(10)), { olderThan: 0, record: false, firstPage: { upTo: 2, show: 1 } });
    expect(full.groups.longListed).toHaveLength(3);
    expect(full.totals.longListed).toBe(3);
    // The shown entry is the list's first, as the whole review shows it.
    expect(paged.groups.longListed).toEqual(full.groups.longListed.slice(0, 1));
    expect(paged.totals).toEqual(full.totals);
    expect(paged.pending).toBe(3);
    // A group no longer than upTo is shown whole.
    const short = reviewExceptions(hub.at(DAY(10)), { olderThan: 0, record: false, firstPage: { upTo: 3, show: 1 } });
    expect(short.groups.longListed).toEqual(full.groups.longListed);
  });

  it('long-listed: entries listed at least --older-than whole days (default 180)', async () => {
    await withStaff(JAN, ZOE);
    addException(hub.at(DAY(1)), JAN.email, { reason: 'Interim-directeur' });
    addException(hub.at(DAY(20)), ZOE.email, { reason: 'Zwangerschapsverlof' });
    const at = (iso: string, olderThan?: number) => reviewExceptions(hub.at(iso), { olderThan, record: false }).groups.longListed;
    // 2026-03-01 + 179 days = 2026-08-27; + 180 = 2026-08-28.
    expect(at('2026-08-27T10:00:00.000Z')).toEqual([]);
    const long = at('2026-08-28T10:00:00.000Z');
    expect(ids(long)).toEqual([hub.id(JAN.email)]);
    expect(long[0]).toMatchObject({ reason: 'Interim-directeur', daysListed: 180, offered: true, createdBy: 'tester' });
    expect(ids(at('2026-08-28T10:00:00.000Z', 181))).toEqual([]);
    expect(ids(at(DAY(21), 1)).sort()).toEqual([hub.id(JAN.email), hub.id(ZOE.email)].sort());
    expect(ids(at(DAY(21), 0)).length).toBe(2);
  });

  it('not offered: listed accounts that no source offers, with since when', async () => {
    await withStaff(JAN, FATIMA);
    addException(hub.at(DAY(1)), FATIMA.email, { reason: 'Invalpool: tussen twee contracten' });
    addException(hub.at(DAY(1)), JAN.email, { reason: 'Interim-directeur' });
    const night = await hub.sync(NIGHT(2), [JAN]);
    expect(night.counts.protected).toBe(1);
    const r = reviewExceptions(hub.at(DAY(2)));
    expect(ids(r.groups.notOffered)).toEqual([hub.id(FATIMA.email)]);
    expect(r.groups.notOffered[0]).toMatchObject({ offered: false, notOfferedSince: NIGHT(2), user: { status: 'active', owner: 'hub' } });
    // Jan is listed and offered, and the list never had to keep him: nothing to decide.
    expect(r.groups.offeredAgain).toEqual([]);
    expect(r.pending).toBe(1);
  });

  it('past until: the end date passed but no sync ran yet; the next sync lapses it, and the review then lists it as lapsed, once', async () => {
    await withStaff(JAN, FATIMA);
    addException(hub.at(DAY(1)), JAN.email, { reason: 'Interim-directeur', until: '2026-03-02' });
    // On its end date it is still valid.
    expect(reviewExceptions(hub.at(DAY(2))).groups.pastUntil).toEqual([]);
    const before = reviewExceptions(hub.at('2026-03-03T01:00:00.000Z'));
    expect(ids(before.groups.pastUntil)).toEqual([hub.id(JAN.email)]);
    expect(before.groups.pastUntil[0]).toMatchObject({ until: '2026-03-02', lapsed: true });
    expect(before.groups.lapsed).toEqual([]);

    const night = await hub.sync(NIGHT(3), [JAN, FATIMA]);
    expect(night.counts.lapsed).toBe(1);
    expect(hub.store.exception(hub.id(JAN.email))).toBeUndefined();
    const lapse = hub.store.auditEntries({ runId: night.runId! }).filter((e) => e.action === 'lapse');
    expect(lapse).toHaveLength(1);
    expect(lapse[0]!.accountId).toBe(hub.id(JAN.email));

    const after = reviewExceptions(hub.at(DAY(3)));
    expect(after.groups.pastUntil).toEqual([]);
    expect(after.groups.lapsed).toEqual([
      {
        user: { id: hub.id(JAN.email), email: JAN.email, displayName: 'Jan Vries', status: 'active', owner: 'source' },
        reason: 'Interim-directeur',
        until: '2026-03-02',
        lapsedAt: NIGHT(3),
        runId: night.runId,
        listedAgain: false,
      },
    ]);
    expect(after.pending).toBe(1);
    // Since the previous review: the same lapse is not shown twice.
    const again = reviewExceptions(hub.at(DAY(4)));
    expect(again.groups.lapsed).toEqual([]);
    expect(again.pending).toBe(0);
  });

  it('a review with --no-record leaves the lapsed entries for the next review', async () => {
    await withStaff(JAN);
    addException(hub.at(DAY(1)), JAN.email, { reason: 'Interim-directeur', until: '2026-03-01' });
    await hub.sync(NIGHT(2), [JAN]);
    const peek = reviewExceptions(hub.at(DAY(2)), { record: false });
    expect(peek.groups.lapsed).toHaveLength(1);
    expect(peek.recorded).toBe(false);
    expect(hub.store.meta(LAST_REVIEW_AT)).toBeUndefined();
    expect(reviewExceptions(hub.at(DAY(2))).groups.lapsed).toHaveLength(1);
    expect(reviewExceptions(hub.at(DAY(3))).groups.lapsed).toHaveLength(0);
  });

  it('a lapsed entry of an account that no source offers: the same sync deletes it, and the review shows it deleted', async () => {
    await withStaff(JAN, FATIMA);
    addException(hub.at(DAY(1)), FATIMA.email, { reason: 'Invalpool', until: '2026-03-01' });
    const night = await hub.sync(NIGHT(2), [JAN]);
    expect(night.counts).toMatchObject({ lapsed: 1, deleted: 1, protected: 0 });
    const r = reviewExceptions(hub.at(DAY(2)));
    expect(r.groups.lapsed).toHaveLength(1);
    expect(r.groups.lapsed[0]).toMatchObject({ user: { id: hub.id(FATIMA.email), status: 'deleted' }, reason: 'Invalpool', runId: night.runId });
    expect(r.groups.notOffered).toEqual([]);
  });

  it('lapsed entries that were put back on the list say so', async () => {
    await withStaff(JAN);
    addException(hub.at(DAY(1)), JAN.email, { reason: 'Interim-directeur', until: '2026-03-01' });
    await hub.sync(NIGHT(2), [JAN]);
    addException(hub.at(DAY(2)), JAN.email, { reason: 'Interim-directeur, verlengd', until: '2026-06-30' });
    const r = reviewExceptions(hub.at(DAY(2)));
    expect(r.groups.lapsed[0]).toMatchObject({ reason: 'Interim-directeur', until: '2026-03-01', listedAgain: true });
  });

  it('offered again: a source offers an account that the list kept alive; changing the entry records the decision to keep it', async () => {
    await withStaff(JAN, FATIMA);
    addException(hub.at(DAY(1)), FATIMA.email, { reason: 'Invalpool: tussen twee contracten' });
    await hub.sync(NIGHT(2), [JAN]);
    expect(reviewExceptions(hub.at(DAY(2))).groups.offeredAgain).toEqual([]);
    const back = await hub.sync(NIGHT(3), [JAN, FATIMA]);
    expect(back.counts.relinked).toBe(1);
    const r = reviewExceptions(hub.at(DAY(3)));
    expect(ids(r.groups.offeredAgain)).toEqual([hub.id(FATIMA.email)]);
    expect(r.groups.offeredAgain[0]).toMatchObject({ offered: true, lastProtectedAt: NIGHT(2), user: { owner: 'source' } });
    expect(r.groups.notOffered).toEqual([]);
    // Still there at the next review: it needs a decision, not just a look.
    expect(ids(reviewExceptions(hub.at(DAY(4))).groups.offeredAgain)).toEqual([hub.id(FATIMA.email)]);
    editException(hub.at(DAY(4)), FATIMA.email, { reason: 'Invalpool: blijft, nieuw contract loopt af in juni', until: '2026-06-30' });
    expect(reviewExceptions(hub.at(DAY(4))).groups.offeredAgain).toEqual([]);
    // Gone and back once more: it is offered again again.
    await hub.sync(NIGHT(5), [JAN]);
    await hub.sync(NIGHT(6), [JAN, FATIMA]);
    expect(ids(reviewExceptions(hub.at(DAY(6))).groups.offeredAgain)).toEqual([hub.id(FATIMA.email)]);
    await removeException(hub.at(DAY(6)), FATIMA.email);
    expect(reviewExceptions(hub.at(DAY(6))).pending).toBe(0);
  });

  it('pending counts each account once, whatever the number of groups it is in', async () => {
    await withStaff(JAN, FATIMA, PETRA);
    addException(hub.at(DAY(1)), FATIMA.email, { reason: 'Invalpool', until: '2026-09-01' });
    addException(hub.at(DAY(1)), PETRA.email, { reason: 'Afscheid na de zomer' });
    await hub.sync(NIGHT(2), [JAN]);
    const r = reviewExceptions(hub.at('2026-09-10T10:00:00.000Z'));
    expect(ids(r.groups.longListed).sort()).toEqual([hub.id(FATIMA.email), hub.id(PETRA.email)].sort());
    expect(ids(r.groups.notOffered).sort()).toEqual([hub.id(FATIMA.email), hub.id(PETRA.email)].sort());
    expect(ids(r.groups.pastUntil)).toEqual([hub.id(FATIMA.email)]);
    expect(r.pending).toBe(2);
  });

  it('names the command that acts on each group', async () => {
    await withStaff(JAN);
    const r = reviewExceptions(hub.at(DAY(1)));
    expect(r.commands.notOffered).toEqual(expect.arrayContaining(['basishub exceptions remove <id>', 'basishub users delete <id>']));
    expect(r.commands.longListed).toContain('basishub exceptions remove <id>');
    expect(r.commands.pastUntil).toContain('basishub sync run');
    expect(r.commands.lapsed.some((c) => c.startsWith('basishub exceptions add <id>'))).toBe(true);
  });
});
