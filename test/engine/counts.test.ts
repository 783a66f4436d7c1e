/**
 * Each account counts once per run, as its strongest change, and every link that starts or ends is a
 * change of its own in the plan (and so in the audit trail). The story: Marloes Bakker, substitute
 * pool, listed while HR and Basispoort both dropped her; she comes back in HR one night and in
 * Basispoort the next (R5, R11).
 */
import { describe, expect, it } from '@jest/globals';
import { planSync, strongestChange } from '../../src/engine/plan.js';
import { MemoryHub, TODAY, account, entry, link, rec, source, type Person } from '../helpers/memory.js';

const HR: Person = {
  id: '10412',
  given: 'Marloes',
  prefix: '',
  family: 'Bakker',
  email: 'marloes.bakker@waterlanden.nl',
  rel: [['OBS De Regenboog', 'Invalpool']],
};
const BP: Person = { ...HR, id: 'eck-77f1', rel: [['OBS De Regenboog', 'Groep 5/6']] };
const GONE = { active: false, fp: null, inactiveSince: '2026-11-20T02:00:00.000Z' };

function plan(hub: MemoryHub, hr: Person[], bp: Person[]) {
  return planSync({
    sources: [source('hr', hr, { priority: 30 }), source('basispoort', bp, { priority: 10 })],
    hub,
    today: TODAY,
    now: `${TODAY}T02:00:00.000Z`,
  });
}

describe('counting a run', () => {
  it('counts an account that returns in two sources in one night as one relinked account (R5)', () => {
    const a = account({ givenName: 'Marloes', prefix: '', familyName: 'Bakker', email: HR.email, owner: 'hub', notOfferedSince: '2026-11-20T02:00:00.000Z' });
    const hub = new MemoryHub([a], [link('hr', a.id, rec(HR), GONE), link('basispoort', a.id, rec(BP), GONE)], [entry(a.id)]);
    const p = plan(hub, [HR], [BP]);
    expect(p.existing[0]!.changes.filter((c) => c.action === 'relink').map((c) => c.source)).toEqual(['hr', 'basispoort']);
    expect(p.counts).toMatchObject({ relinked: 1, updated: 0, unchanged: 0 });
  });

  it("relinks the second source's link when it comes back a night after the first, and counts it", () => {
    // Night 3 brought her back in HR: the account is source-owned again, her Basispoort link inactive.
    const a = account({ givenName: 'Marloes', prefix: '', familyName: 'Bakker', email: HR.email, owner: 'source' });
    const hub = new MemoryHub([a], [link('hr', a.id, rec(HR)), link('basispoort', a.id, rec(BP), GONE)], [entry(a.id)]);
    const p = plan(hub, [HR], [BP]);
    const changes = p.existing[0]!.changes;
    expect(changes.map((c) => c.action)).toContain('relink');
    expect(changes.find((c) => c.action === 'relink')).toMatchObject({ source: 'basispoort', externalId: 'eck-77f1' });
    expect(changes.find((c) => c.action === 'relink')!.detail).toMatch(/basispoort:eck-77f1 is active again/);
    expect(p.counts).toMatchObject({ relinked: 1, unchanged: 0 });
  });

  it('records a link that ends while another source still offers the account, as an update', () => {
    const a = account({ givenName: 'Marloes', prefix: '', familyName: 'Bakker', email: HR.email });
    const hub = new MemoryHub([a], [link('hr', a.id, rec(HR)), link('basispoort', a.id, rec(BP))]);
    const p = plan(hub, [HR], []);
    const update = p.existing[0]!.changes.find((c) => c.action === 'update');
    expect(update?.detail).toMatch(/no longer offered by basispoort:eck-77f1/);
    expect(p.counts).toMatchObject({ updated: 1, unchanged: 0, deleted: 0 });
  });

  it('counts a lapsed entry apart from what happens to its account', () => {
    const a = account({ givenName: 'Marloes', prefix: '', familyName: 'Bakker', email: HR.email });
    const hub = new MemoryHub([a], [link('hr', a.id, rec(HR))], [entry(a.id, { until: '2026-11-01' })]);
    const p = plan(hub, [HR], []);
    expect(p.counts).toMatchObject({ lapsed: 1, unchanged: 1 });
  });

  it('ranks revive over delete over relink over protect over pending over update', () => {
    const c = (action: string) => ({ action, accountKey: 1, source: null, externalId: null, detail: '' }) as never;
    expect(strongestChange([c('update'), c('relink')])).toBe('relink');
    expect(strongestChange([c('lapse'), c('delete')])).toBe('delete');
    expect(strongestChange([c('lapse')])).toBeNull();
  });
});
