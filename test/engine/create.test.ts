/**
 * R1 new accounts (src/engine/create.ts) and merged attributes (src/engine/attributes.ts, R11).
 */
import { describe, expect, it } from '@jest/globals';
import { attributeDiff, describeDiff, mergeAttributes, sameState, stateOf } from '../../src/engine/attributes.js';
import { planNew, RecordedCreate, type PlanContext } from '../../src/engine/create.js';
import { NOW, TODAY, account, rec, source, type Person } from '../helpers/memory.js';

const JAN: Person = { id: '10234', given: 'Jan', prefix: 'de', family: 'Vries', email: 'jan.devries@school.nl', rel: [['OBS De Regenboog', 'Directie']] };

function ctx(...sources: ReturnType<typeof source>[]): PlanContext {
  return { sources, sourceIndex: new Map(sources.map((s, i) => [s.name, i])), today: TODAY, now: NOW };
}

describe('R1 planNew', () => {
  it('describes a create from one record by that record, and renders its detail from it when read', () => {
    const c = ctx(source('hr', [JAN]));
    const p = planNew(c, { index: 0, key: -1, records: [{ source: 0, externalId: '10234', slot: 0 }] });
    const change = p.changes[0]!;
    expect(change).toBeInstanceOf(RecordedCreate);
    expect(change.record).toBeDefined();
    expect(change.detail).toBe('Jan de Vries <jan.devries@school.nl> (staff): OBS De Regenboog/Directie');
    expect(p.links).toMatchObject([{ source: 'hr', externalId: '10234', isNew: true, active: true, inactiveSince: null }]);
    expect(p.after).toMatchObject({ familyName: 'Vries', status: 'active', owner: 'source' });
  });

  it('R11: a new account from two sources names the second and keeps its text, not a record', () => {
    const c = ctx(source('hr', [JAN]), source('las', [{ ...JAN, id: 'L-1', given: '' }], { defaultRole: 'student' }));
    const p = planNew(c, {
      index: 0,
      key: -1,
      records: [
        { source: 0, externalId: '10234', slot: 0 },
        { source: 1, externalId: 'L-1', slot: 0 },
      ],
    });
    const change = p.changes[0]!;
    expect(change.record).toBeUndefined();
    expect(change.detail).toBe('Jan de Vries <jan.devries@school.nl> (staff): OBS De Regenboog/Directie; also linked to las:L-1 (matched by email)');
    expect(change.after).toMatchObject({ links: ['hr:10234', 'las:L-1'] });
    expect(p.links).toHaveLength(2);
  });
});

describe('R11 attributes', () => {
  it('takes the name as a unit from the first source that states a family name', () => {
    const hr = source('hr', []);
    const las = source('las', []);
    const merged = mergeAttributes([
      { source: hr, record: rec({ id: '1', given: 'Fatima', family: '' }) },
      { source: las, record: rec({ id: '2', given: '', prefix: 'el', family: 'Amrani', email: 'f.elamrani@school.nl' }) },
    ]);
    expect(merged).toMatchObject({ givenName: 'Fatima', prefix: 'el', familyName: 'Amrani', email: 'f.elamrani@school.nl', role: 'staff' });
  });

  it('says which attributes differ, and none when the states are the same', () => {
    const a = account({ familyName: 'Vries' });
    const d = attributeDiff(a, { ...a, familyName: 'Jansen' })!;
    expect(describeDiff(d)).toBe('familyName: "Vries" → "Jansen"');
    expect(attributeDiff(a, a)).toBeNull();
    expect(sameState(stateOf(a), stateOf(a))).toBe(true);
    expect(sameState(stateOf(a), { ...stateOf(a), owner: 'hub' })).toBe(false);
  });
});
