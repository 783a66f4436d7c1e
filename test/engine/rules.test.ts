/**
 * The rules for an account the hub holds (src/engine/rules.ts), each called by its name with the facts
 * that evaluate.ts would have read; the whole planner is tested in plan.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import type { PlanContext } from '../../src/engine/create.js';
import { factsOf, type AccountFacts, type DetailMaker } from '../../src/engine/evaluate.js';
import { applyRules, graceEnd, lapsedEntry, r11Update, r12Matched, r14Revive, r1Unoffered, r4Protect, r5Return } from '../../src/engine/rules.js';
import { stateOf } from '../../src/engine/attributes.js';
import { NOW, TODAY, account, entry, link, rec, source } from '../helpers/memory.js';

const HR = source('hr', []);
const CTX: PlanContext = { sources: [HR], sourceIndex: new Map([['hr', 0]]), today: TODAY, now: NOW };
const say: DetailMaker = (_action, text) => `Jan de Vries: ${text}`;
const JAN = rec({ id: '10234', given: 'Jan', prefix: 'de', family: 'Vries', email: 'jan.devries@school.nl', rel: [['OBS De Regenboog', 'Directie']] });

function facts(partial: Partial<AccountFacts> = {}): AccountFacts {
  const a = partial.account ?? account({ id: 7 });
  return { ...factsOf(a, [link('hr', a.id, JAN)], undefined), ...partial };
}

const out = () => ({ after: null, unlist: false, changes: [] as never[] });

describe('rules by name', () => {
  it('lapsedEntry: an entry whose end date passed leaves the list; one ending today stays', () => {
    const f = facts({ entry: entry(7, { until: '2026-11-28' }) });
    expect(lapsedEntry(CTX, f, say)?.detail).toBe('Jan de Vries: list entry ended on 2026-11-28 (reason was: Invalpool: tussen twee contracten)');
    expect(lapsedEntry(CTX, facts({ entry: entry(7, { until: TODAY }) }), say)).toBeNull();
  });

  it('R14 revive: a deleted account offered again is restored from Deleted users', () => {
    const f = facts({ account: account({ id: 7, status: 'deleted', deletedAt: '2026-11-01T02:00:00.000Z' }), offered: [{ source: HR, record: JAN }] });
    const c = r14Revive(f, say);
    expect(c).toMatchObject({ action: 'revive', source: 'hr', externalId: '10234', after: { status: 'active', owner: 'source' } });
    expect(c.detail).toContain('restored from Deleted users (deleted 2026-11-01');
  });

  it('R5 return: a hub-owned account offered again through its earlier link says it stays on the list', () => {
    const l = link('hr', 7, JAN, { active: false });
    const f = facts({ account: account({ id: 7, owner: 'hub' }), returned: [{ link: l, src: HR }] });
    expect(r5Return(f, true, say).map((c) => c.detail)).toEqual([
      'Jan de Vries: offered again by hr: matched by its earlier link; the source owns it again (it stays on the list)',
    ]);
  });

  it('R12 matched: a record matched by its key links the account, and the source owns a hub account again', () => {
    const f = facts({ account: account({ id: 7, owner: 'hub' }), matched: [{ source: HR, record: JAN }] });
    expect(r12Matched(f, say)[0]!.detail).toBe('Jan de Vries: linked to hr:10234, matched by email; the source owns it again');
  });

  it('R11 update: names the attributes that changed, relations that moved and links that ended', () => {
    const a = account({ id: 7, familyName: 'Vries' });
    const f = facts({ account: a, offered: [{ source: HR, record: JAN }], moved: ['hr relations: "A" → "B"'], ended: ['las:L-1'] });
    const next = { ...stateOf(a), familyName: 'Jansen' };
    const c = r11Update(f, stateOf(a), next, say)!;
    expect(c.detail).toBe('Jan de Vries: familyName: "Vries" → "Jansen"; hr relations: "A" → "B"; no longer offered by las:L-1');
    expect(c.before).toEqual({ familyName: 'Vries' });
    expect(r11Update(facts({ account: a, offered: [{ source: HR, record: JAN }] }), stateOf(a), stateOf(a), say)).toBeNull();
  });

  it('R4 protect: a listed account no source offers is kept, and the hub owns it', () => {
    const a = account({ id: 7, notOfferedSince: '2026-11-20T02:00:00.000Z' });
    const o = out();
    r4Protect(CTX, facts({ account: a, entry: entry(7) }), stateOf(a), say, o);
    expect(o.changes).toMatchObject([{ action: 'protect' }]);
    expect(o.after).toMatchObject({ owner: 'hub', status: 'active' });
  });

  it('R1 unoffered: deleted once the grace period is over, and taken off the list (R7)', () => {
    const a = account({ id: 7 });
    const o = out();
    r1Unoffered(CTX, facts({ account: a, entry: entry(7), latestInactive: [{ since: NOW, grace: 0 }] }), stateOf(a), say, o);
    expect(o.changes).toMatchObject([{ action: 'delete', detail: 'Jan de Vries: no source offers it any more (hr:10234)' }]);
    expect(o.after).toMatchObject({ status: 'deleted' });
    expect(o.unlist).toBe(true);
  });

  it('R1 unoffered within a grace period: pending, with the day of deletion', () => {
    const a = account({ id: 7 });
    const o = out();
    r1Unoffered(CTX, facts({ account: a, latestInactive: [{ since: NOW, grace: 14 }] }), stateOf(a), say, o);
    expect(o.changes[0]).toMatchObject({ action: 'pending' });
    expect((o.changes[0] as { detail: string }).detail).toContain('deleted on 2026-12-13 unless a source offers it again');
  });

  it('graceEnd: the latest end over the unoffered links; none means now', () => {
    expect(
      graceEnd([
        { since: '2026-11-01T02:00:00.000Z', grace: 30 },
        { since: '2026-11-20T02:00:00.000Z', grace: 5 },
      ]),
    ).toBe('2026-12-01');
    expect(graceEnd([])).toBe('');
  });

  it('applyRules: a lapsed entry no longer protects, so an unoffered account is deleted in the same run', () => {
    const a = account({ id: 7 });
    const r = applyRules(CTX, facts({ account: a, entry: entry(7, { until: '2026-11-01' }), latestInactive: [{ since: NOW, grace: 0 }] }), say);
    expect(r.changes.map((c) => c.action)).toEqual(['lapse', 'delete']);
    expect(r.unlist).toBe(true);
  });
});
