/**
 * New accounts (src/engine/newaccounts.ts) and the classification of records (src/engine/classify.ts).
 */
import { describe, expect, it } from '@jest/globals';
import { classifyRecords } from '../../src/engine/classify.js';
import { matchValue, NewAccounts, newAccountKey } from '../../src/engine/newaccounts.js';
import { MemoryHub, TODAY, account, link, rec, source, type Person } from '../helpers/memory.js';

const JAN: Person = { id: '10234', given: 'Jan', prefix: 'de', family: 'Vries', email: 'Jan.deVries@School.nl ', rel: [['OBS De Regenboog', 'Directie']] };
const SANNE: Person = {
  id: '10500',
  given: 'Sanne',
  prefix: 'van der',
  family: 'Berg',
  email: 'sanne.vanderberg@school.nl',
  rel: [['SBO De Wissel', 'Groep 4']],
};

describe('NewAccounts', () => {
  it('keeps each new account with its first record, and records of later sources attached to it', () => {
    const hr = source('hr', [JAN, SANNE]);
    const las = source('las', [{ ...JAN, id: 'L-1' }], { match: 'email' });
    const fresh = new NewAccounts([hr, las]);
    const keys = new Set(['email'] as const);
    expect(fresh.add(0, 0, rec(JAN), keys)).toBe(0);
    expect(fresh.add(0, 1, rec(SANNE), keys)).toBe(1);
    fresh.attach(0, { source: 1, externalId: 'L-1', slot: 0 });
    expect(fresh.size).toBe(2);
    expect(fresh.get(0)).toEqual({
      index: 0,
      key: newAccountKey(0),
      records: [
        { source: 0, externalId: '10234', slot: 0 },
        { source: 1, externalId: 'L-1', slot: 0 },
      ],
    });
    expect(fresh.nameOf(1)).toBe('hr:10500');
    expect(fresh.withKey('email', 'jan.devries@school.nl')).toEqual([0]);
    expect([...fresh.all()].map((a) => a.key)).toEqual([-1, -2]);
  });

  it('keys a new account never as an existing id (negative), and a record without a key not at all', () => {
    expect(newAccountKey(0)).toBeLessThan(0);
    expect(matchValue(rec({ ...JAN, email: '' }), 'email')).toBe('');
    expect(matchValue(rec(JAN), 'none')).toBe('');
    const fresh = new NewAccounts([source('hr', [JAN])]);
    fresh.add(0, 0, rec({ ...JAN, email: '' }), new Set(['email'] as const));
    expect(fresh.keyedOn('email')).toBe(false);
  });
});

describe('classifyRecords (R1, R2, R12)', () => {
  it('makes a new account of every offered record in a first sync, and none of a record without relations (R2)', () => {
    const c = classifyRecords([source('hr', [JAN, SANNE, { id: '10600', family: 'Yılmaz' }])], new MemoryHub(), TODAY);
    expect(c.fresh.size).toBe(2);
    expect(c.touched.size).toBe(0);
  });

  it('R12: matches a record to an existing account by its key, and attaches the record to it', () => {
    const a = account({ email: 'jan.devries@school.nl' });
    const c = classifyRecords([source('hr', [JAN])], new MemoryHub([a]), TODAY);
    expect(c.fresh.size).toBe(0);
    expect(c.touched.get(a.id)).toEqual([{ source: 0, externalId: '10234', slot: 0 }]);
  });

  it('R12: two records of one source with one key are a conflict for the second, nothing linked', () => {
    const a = account({ email: 'jan.devries@school.nl' });
    const c = classifyRecords([source('hr', [JAN, { ...JAN, id: '10235' }])], new MemoryHub([a]), TODAY);
    expect(c.conflicts).toHaveLength(1);
    expect(c.conflicts[0]!.detail).toContain('already claimed by another record of this source');
  });

  it('R12: a later source joins the new account of an earlier one that has its key', () => {
    const hr = source('hr', [JAN], { priority: 50 });
    const las = source('las', [{ ...JAN, id: 'L-1' }], { priority: 10 });
    const c = classifyRecords([hr, las], new MemoryHub(), TODAY);
    expect(c.fresh.size).toBe(1);
    expect(c.fresh.get(0).records.map((r) => r.externalId)).toEqual(['10234', 'L-1']);
  });

  it('counts a linked record whose fingerprint did not change as unchanged, and looks again at one that did', () => {
    const a = account({ id: 900 });
    const b = account({ id: 901, givenName: 'Sanne' });
    const hub = new MemoryHub([a, b], [link('hr', a.id, rec(JAN)), link('hr', b.id, rec({ ...SANNE, family: 'Bergh' }))]);
    const c = classifyRecords([source('hr', [JAN, SANNE])], hub, TODAY);
    expect(c.unchanged).toBe(1);
    expect([...c.touched.keys()]).toEqual([b.id]);
  });
});
