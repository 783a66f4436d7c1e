/**
 * The sync engine, rule by rule (docs/rules.md). The hub is held in memory (test/helpers/memory.ts);
 * exports go through the real collector.
 */
import { describe, expect, it } from '@jest/globals';
import { planSync, mergeAttributes, type Plan } from '../../src/engine/plan.js';
import type { AccountPlan, EngineSource } from '../../src/engine/types.js';
import { MemoryHub, NOW, TODAY, account, entry, link, rec, source, type Person } from '../helpers/memory.js';

const JAN: Person = { id: '10234', given: 'Jan', prefix: 'de', family: 'Vries', email: 'jan.devries@school.nl', rel: [['OBS De Regenboog', 'Directie']] };
const FATIMA: Person = {
  id: '10395',
  given: 'Fatima',
  prefix: 'el',
  family: 'Amrani',
  email: 'fatima.elamrani@school.nl',
  rel: [['OBS De Regenboog', 'Invalpool']],
};

function plan(sources: EngineSource[], hub: MemoryHub, today = TODAY): Plan {
  return planSync({ sources, hub, today, now: `${today}T02:00:00.000Z` });
}

function creates(p: Plan): AccountPlan[] {
  return [...p.creates()];
}

function only(p: Plan, id: number): AccountPlan {
  const found = p.existing.filter((x) => x.key === id);
  expect(found).toHaveLength(1);
  return found[0]!;
}

function actions(ap: AccountPlan): string[] {
  return ap.changes.map((c) => c.action);
}

/** A hub holding one account for `person`, linked to `src`. */
function hubWith(person: Person, src = 'hr', partial: Parameters<typeof account>[0] = {}): { hub: MemoryHub; id: number } {
  const a = account({ givenName: person.given, prefix: person.prefix, familyName: person.family, email: person.email, ...partial });
  return { hub: new MemoryHub([a], [link(src, a.id, rec(person))]), id: a.id };
}

describe('R1 nightly sync', () => {
  it('creates an account for a new record, with its attributes and a link', () => {
    const p = plan([source('hr', [JAN], { defaultRole: 'staff' })], new MemoryHub());
    expect(p.counts.created).toBe(1);
    const [c] = creates(p);
    expect(c!.after).toMatchObject({
      givenName: 'Jan',
      prefix: 'de',
      familyName: 'Vries',
      email: 'jan.devries@school.nl',
      role: 'staff',
      status: 'active',
      owner: 'source',
    });
    expect(c!.links).toEqual([expect.objectContaining({ source: 'hr', externalId: '10234', active: true, isNew: true })]);
    expect(c!.changes[0]).toMatchObject({ action: 'create', source: 'hr', externalId: '10234' });
  });

  it('updates a linked account from its source', () => {
    const { hub, id } = hubWith(JAN);
    const p = plan([source('hr', [{ ...JAN, family: 'Vries-Bakker' }])], hub);
    const ap = only(p, id);
    expect(actions(ap)).toEqual(['update']);
    expect(ap.after?.familyName).toBe('Vries-Bakker');
    expect(ap.changes[0]!.before).toEqual({ familyName: 'Vries' });
    expect(p.counts).toMatchObject({ updated: 1, created: 0, deleted: 0 });
  });

  it('deletes an account that no source offers any more', () => {
    const { hub, id } = hubWith(JAN);
    const p = plan([source('hr', [{ ...FATIMA }])], hub);
    expect(actions(only(p, id))).toEqual(['delete']);
    expect(p.counts.deleted).toBe(1);
    expect(p.deletesBySource).toEqual({ hr: 1 });
  });

  it('changes nothing when the same export comes twice', () => {
    const { hub } = hubWith(JAN);
    const p = plan([source('hr', [JAN])], hub);
    expect(p.existing).toEqual([]);
    expect(p.newAccounts).toBe(0);
    expect(p.counts).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 1 });
  });

  it('reports a relation change (a move to another group) as an update', () => {
    const { hub, id } = hubWith(JAN);
    const p = plan([source('hr', [{ ...JAN, rel: [['OBS De Regenboog', 'Groep 7/8']] }])], hub);
    const ap = only(p, id);
    expect(actions(ap)).toEqual(['update']);
    expect(ap.changes[0]!.detail).toContain('Groep 7/8');
    expect(ap.links[0]!.record).toContain('Groep 7/8');
  });
});

describe('R2 offered', () => {
  it('does not create an account for a record without any relation', () => {
    const p = plan([source('hr', [{ ...JAN, rel: [] }])], new MemoryHub());
    expect(p.newAccounts).toBe(0);
    expect(p.counts.created).toBe(0);
  });

  it('deletes a linked account whose record lost its last relation', () => {
    const { hub, id } = hubWith(JAN);
    const p = plan([source('hr', [{ ...JAN, rel: [] }])], hub);
    const ap = only(p, id);
    expect(actions(ap)).toEqual(['delete']);
    expect(ap.links[0]).toMatchObject({ active: false, inactiveSince: NOW.replace('2026-11-29', TODAY) });
  });

  it('does not count a relation that ended before today or starts after today', () => {
    const ended = plan([source('hr', [{ ...JAN, rel: [['OBS De Regenboog', 'Groep 3', '2025-08-01', '2026-11-28']] }])], new MemoryHub());
    expect(ended.newAccounts).toBe(0);
    const endsToday = plan([source('hr', [{ ...JAN, rel: [['OBS De Regenboog', 'Groep 3', '2025-08-01', TODAY]] }])], new MemoryHub());
    expect(endsToday.newAccounts).toBe(1);
    const startsTomorrow = plan([source('hr', [{ ...JAN, rel: [['OBS De Regenboog', 'Groep 3', '2026-11-30']] }])], new MemoryHub());
    expect(startsTomorrow.newAccounts).toBe(0);
  });

  it('looks at an unchanged record again once a relation date has come', () => {
    const leaver: Person = { ...JAN, rel: [['OBS De Regenboog', 'Groep 3', '2025-08-01', '2026-12-31']] };
    const { hub, id } = hubWith(leaver);
    expect(plan([source('hr', [leaver])], hub).existing).toEqual([]);
    const later = plan([source('hr', [leaver])], hub, '2027-01-01');
    expect(actions(only(later, id))).toEqual(['delete']);
  });
});

describe('R3 soft delete', () => {
  it('moves the account to Deleted users, naming the cause, and keeps its links', () => {
    const { hub, id } = hubWith(JAN);
    const ap = only(plan([source('hr', [FATIMA])], hub), id);
    expect(ap.after).toMatchObject({ status: 'deleted', givenName: 'Jan', familyName: 'Vries' });
    expect(ap.changes[0]!.detail).toContain('hr:10234');
    expect(ap.links).toEqual([expect.objectContaining({ source: 'hr', externalId: '10234', isNew: false, active: false })]);
  });
});

describe('R4 protection', () => {
  it('keeps a listed account that no source offers, owned by the hub', () => {
    const { hub, id } = hubWith(FATIMA);
    hub.exceptions.push(entry(id));
    const p = plan([source('hr', [JAN])], hub);
    const ap = only(p, id);
    expect(actions(ap)).toEqual(['protect']);
    expect(ap.after).toMatchObject({ status: 'active', owner: 'hub', familyName: 'Amrani', notOfferedSince: `${TODAY}T02:00:00.000Z` });
    expect(ap.unlist).toBe(false);
    expect(p.counts).toMatchObject({ protected: 1, deleted: 0 });
  });

  it('counts a listed account as protected on every run it is kept only by the list', () => {
    const a = account({
      givenName: 'Fatima',
      familyName: 'Amrani',
      email: 'fatima.elamrani@school.nl',
      owner: 'hub',
      notOfferedSince: '2026-11-01T02:00:00.000Z',
    });
    const hub = new MemoryHub([a], [link('hr', a.id, rec(FATIMA), { active: false, fp: null, inactiveSince: '2026-11-01T02:00:00.000Z' })], [entry(a.id)]);
    const p = plan([source('hr', [JAN])], hub);
    expect(actions(only(p, a.id))).toEqual(['protect']);
    expect(only(p, a.id).after).toBeNull(); // already hub-owned: nothing to write but the audit entry
    expect(p.counts.protected).toBe(1);
  });

  it("does not take a hub-owned listed account's attributes from anywhere", () => {
    const a = account({
      givenName: 'Fatima',
      familyName: 'Amrani-Bakker',
      email: 'fatima.elamrani@school.nl',
      owner: 'hub',
      notOfferedSince: '2026-11-01T02:00:00.000Z',
    });
    const hub = new MemoryHub([a], [link('hr', a.id, rec(FATIMA), { active: false, fp: null })], [entry(a.id)]);
    const ap = only(plan([source('hr', [JAN])], hub), a.id);
    expect(ap.changes.some((c) => c.action === 'update')).toBe(false);
  });
});

/** A listed, hub-owned Fatima whose only HR link (10395) is inactive: she left the export (R4). */
const hubOwned = () => {
  const a = account({
    givenName: 'Fatima',
    prefix: 'el',
    familyName: 'Amrani',
    email: 'fatima.elamrani@school.nl',
    owner: 'hub',
    notOfferedSince: '2026-11-01T02:00:00.000Z',
  });
  const hub = new MemoryHub([a], [link('hr', a.id, rec(FATIMA), { active: false, fp: null, inactiveSince: '2026-11-01T02:00:00.000Z' })], [entry(a.id)]);
  return { hub, id: a.id };
};

describe('R5 return', () => {
  it('matches a returning record to the protected account by its earlier link: no duplicate, the source owns it, it stays listed', () => {
    const { hub, id } = hubOwned();
    const back = { ...FATIMA, rel: [['RKBS Sint Jozef', 'Groep 7']] as Person['rel'] };
    const p = plan([source('hr', [back])], hub);
    expect(p.newAccounts).toBe(0);
    const ap = only(p, id);
    expect(actions(ap)).toEqual(['relink']);
    expect(ap.after).toMatchObject({ owner: 'source', status: 'active', notOfferedSince: null });
    expect(ap.unlist).toBe(false);
    expect(ap.links[0]).toMatchObject({ active: true, inactiveSince: null });
    expect(p.counts).toMatchObject({ relinked: 1, created: 0, protected: 0 });
  });

  it("lets the source's changes flow again after the return", () => {
    const { hub, id } = hubOwned();
    const ap = only(plan([source('hr', [{ ...FATIMA, family: 'Amrani-Bakker' }])], hub), id);
    expect(actions(ap)).toEqual(['relink', 'update']);
    expect(ap.after?.familyName).toBe('Amrani-Bakker');
  });

  it("matches by the source's match key when the returning record has no earlier link", () => {
    // Protected while only Basispoort knew her; now HR offers her, under a number the hub has never seen.
    const { hub, id } = hubOwned();
    hub.links[0] = { ...hub.links[0]!, source: 'basispoort' };
    const p = plan([source('hr', [{ ...FATIMA, id: '20395' }]), source('basispoort', [], { priority: 5 })], hub);
    expect(p.newAccounts).toBe(0);
    const ap = only(p, id);
    expect(actions(ap)).toEqual(['relink']);
    expect(ap.links.find((l) => l.externalId === '20395')).toMatchObject({ isNew: true, active: true });
  });
});

describe('R5 return under a new number (a substitute between contracts)', () => {
  it('R5: matches the returning record by email to the listed account whose only HR link is inactive: no second account', () => {
    const { hub, id } = hubOwned();
    const p = plan([source('hr', [{ ...FATIMA, id: '20395' }])], hub);
    expect(p.newAccounts).toBe(0);
    expect(p.counts).toMatchObject({ created: 0, conflicts: 0, relinked: 1 });
    const ap = only(p, id);
    expect(actions(ap)).toEqual(['relink']);
    expect(ap.after).toMatchObject({ owner: 'source', status: 'active', notOfferedSince: null });
    expect(ap.unlist).toBe(false); // it stays on the list
    expect(ap.links.find((l) => l.externalId === '20395')).toMatchObject({ isNew: true, active: true });
  });

  it('R5: a later return of the old number lands on the same account, without a conflict with itself', () => {
    const { hub, id } = hubOwned();
    hub.links.push(link('hr', id, rec({ ...FATIMA, id: '20395' })));
    const p = plan([source('hr', [FATIMA])], hub);
    expect(p.newAccounts).toBe(0);
    expect(p.counts.conflicts).toBe(0);
    expect(only(p, id).links.find((l) => l.externalId === '10395')).toMatchObject({ active: true });
  });

  it('R5: an account that is not listed and whose HR link went inactive is matched the same way (no record of HR holds it)', () => {
    const a = account({ email: JAN.email, notOfferedSince: '2026-11-29T02:00:00.000Z' });
    const hub = new MemoryHub([a], [link('hr', a.id, rec(JAN), { active: false, fp: null }), link('basispoort', a.id, rec({ ...JAN, id: 'eck-1' }))]);
    const p = plan([source('hr', [{ ...JAN, id: '30234' }]), source('basispoort', [{ ...JAN, id: 'eck-1' }], { priority: 5 })], hub);
    expect(p.newAccounts).toBe(0);
    expect(actions(only(p, a.id))).toContain('relink');
  });
});

describe('R12 a key held by another record of the same source', () => {
  const B1: Person = { ...JAN, id: 'bp-1001' };
  const B2: Person = { ...JAN, id: 'bp-2002', given: 'Johannes' };

  it('R12: a record whose email belongs to an account another record of the source links actively is a conflict, every night', () => {
    const a = account({ email: JAN.email });
    const hub = new MemoryHub([a], [link('basispoort', a.id, rec(B1))]);
    const p = plan([source('basispoort', [B1, B2])], hub);
    expect(p.counts).toMatchObject({ created: 0, conflicts: 1 });
    expect(p.newAccounts).toBe(0);
    expect(p.conflicts[0]).toMatchObject({ source: 'basispoort', externalId: 'bp-2002' });
    expect(p.conflicts[0]!.detail).toContain(`account ${a.id} (linked to basispoort:bp-1001, another record of this source)`);
  });

  it('R12: the account is free again the night its record leaves the export (R5), and the new record is matched', () => {
    const a = account({ email: JAN.email });
    const hub = new MemoryHub([a], [link('basispoort', a.id, rec(B1))]);
    const p = plan([source('basispoort', [B2])], hub);
    expect(p.counts).toMatchObject({ created: 0, conflicts: 0, deleted: 0 });
    expect(only(p, a.id).links.find((l) => l.externalId === 'bp-2002')).toMatchObject({ isNew: true, active: true });
  });

  it('R12: within one run, a second record with the key of a new account of the same source is a conflict, also in a first sync', () => {
    for (const hub of [new MemoryHub(), new MemoryHub([account({ email: 'iemand.anders@school.nl' })], [])]) {
      const p = plan([source('basispoort', [B1, B2])], hub);
      expect(p.counts).toMatchObject({ created: 1, conflicts: 1 });
      expect(p.conflicts[0]).toMatchObject({ externalId: 'bp-2002' });
      expect(p.conflicts[0]!.detail).toContain('the new account for basispoort:bp-1001 (another record of this source)');
    }
  });

  it('R12: in a first sync the same address in other capitals, with spaces around it or with a letter past ASCII is the same key', () => {
    const ZOE: Person = { ...JAN, id: 'bp-6006', email: 'zoë.de.vries@school.nl' };
    const people = [B1, { ...B2, email: `  ${String(JAN.email).toUpperCase()} ` }, ZOE, { ...ZOE, id: 'bp-7007', email: 'ZOË.de.Vries@School.nl' }];
    const p = plan([source('basispoort', people)], new MemoryHub());
    expect(p.counts).toMatchObject({ created: 2, conflicts: 2 });
    expect(p.conflicts.map((c) => c.externalId)).toEqual(['bp-2002', 'bp-7007']);
    expect(p.conflicts[1]!.detail).toContain('the new account for basispoort:bp-6006 (another record of this source)');
  });

  it('R12: a record attached in this run to a new account of an earlier source holds it against a second record', () => {
    const p = plan([source('hr', [JAN]), source('basispoort', [B1, B2], { priority: 5 })], new MemoryHub());
    expect(p.counts).toMatchObject({ created: 1, conflicts: 1 });
    expect(p.conflicts[0]).toMatchObject({ source: 'basispoort', externalId: 'bp-2002' });
  });

  it('R12: records of one source with different emails, and records without one, are never a conflict', () => {
    const people = [B1, { ...FATIMA, id: 'bp-3003' }, { ...JAN, id: 'bp-4004', email: '' }, { ...JAN, id: 'bp-5005', email: ' ' }];
    const p = plan([source('basispoort', people)], new MemoryHub());
    expect(p.counts).toMatchObject({ created: 4, conflicts: 0 });
  });
});

describe('R7 leaving the list', () => {
  it('deletes an account that is off the list when no source offers it', () => {
    const a = account({ owner: 'hub', notOfferedSince: '2026-11-01T02:00:00.000Z' });
    const hub = new MemoryHub([a], [link('hr', a.id, rec(JAN), { active: false, fp: null })], []);
    const ap = only(plan([source('hr', [FATIMA])], hub), a.id);
    expect(actions(ap)).toEqual(['delete']);
  });
});

describe('R8 restore', () => {
  it('never deletes an account without a source link', () => {
    const a = account({ owner: 'hub' });
    const hub = new MemoryHub([a], [], []);
    const p = plan([source('hr', [FATIMA])], hub);
    expect(p.existing).toEqual([]);
    expect(p.counts.deleted).toBe(0);
  });

  it('links a restored account again when a source offers a record that matches it (R12)', () => {
    const a = account({ owner: 'hub' });
    const hub = new MemoryHub([a], [], []);
    const ap = only(plan([source('hr', [JAN])], hub), a.id);
    expect(actions(ap)).toEqual(['relink']);
    expect(ap.after?.owner).toBe('source');
  });
});

describe('R11 several sources', () => {
  function twoSourceHub() {
    const a = account({ givenName: 'Hans', prefix: 'van der', familyName: 'Meer', email: 'hans.vandermeer@school.nl' });
    const hr: Person = {
      id: '10278',
      given: 'Hans',
      prefix: 'van der',
      family: 'Meer',
      email: 'hans.vandermeer@school.nl',
      rel: [['OBS De Regenboog', 'Groep 7/8']],
    };
    const bp: Person = { ...hr, id: 'eck-398c', given: 'Johannes' };
    const hub = new MemoryHub([a], [link('hr', a.id, rec(hr)), link('basispoort', a.id, rec(bp))]);
    return { hub, id: a.id, hr, bp };
  }

  it('keeps an account while either source offers it', () => {
    const { hub, id, bp } = twoSourceHub();
    const onlyBasispoort = plan([source('hr', [JAN], { priority: 10 }), source('basispoort', [bp], { priority: 5 })], hub);
    const ap = only(onlyBasispoort, id);
    expect(actions(ap)).not.toContain('delete');
    expect(ap.after?.status ?? 'active').toBe('active');
    expect(onlyBasispoort.counts.deleted).toBe(0);
  });

  it('deletes it only when none of them offers it', () => {
    const { hub, id } = twoSourceHub();
    const p = plan([source('hr', [JAN], { priority: 10 }), source('basispoort', [FATIMA], { priority: 5 })], hub);
    expect(actions(only(p, id))).toEqual(['delete']);
    expect(p.deletesBySource).toEqual({ hr: 1, basispoort: 1 });
  });

  it('takes disagreeing attributes from the source with the higher priority', () => {
    const { hub, hr, bp } = twoSourceHub();
    const p = plan([source('hr', [hr], { priority: 10 }), source('basispoort', [bp], { priority: 5 })], hub);
    expect(p.existing).toEqual([]); // Hans stays Hans: nothing to do
    const flipped = plan(
      [source('hr', [hr], { priority: 1 }), source('basispoort', [{ ...bp, rel: [['OBS De Regenboog', 'Groep 8']] }], { priority: 5 })],
      hub,
    );
    expect(flipped.existing[0]!.after?.givenName).toBe('Johannes');
  });

  it('falls back to the lower-priority source while the higher one does not offer the account', () => {
    const { hub, id, bp } = twoSourceHub();
    const ap = only(plan([source('hr', [JAN], { priority: 10 }), source('basispoort', [bp], { priority: 5 })], hub), id);
    expect(ap.after?.givenName).toBe('Johannes');
  });

  it('merges by priority: the name as one unit, empty values do not win', () => {
    const hr = { source: source('hr', [], { priority: 10 }), record: rec({ id: '1', given: 'Anouk', prefix: '', family: 'Jansen-de Graaf', email: '' }) };
    const bp = {
      source: source('bp', [], { priority: 5 }),
      record: rec({ id: '2', given: 'Anouk', prefix: 'de', family: 'Graaf', email: 'anouk@school.nl', role: 'staff' }),
    };
    expect(mergeAttributes([hr, bp])).toEqual({ givenName: 'Anouk', prefix: '', familyName: 'Jansen-de Graaf', email: 'anouk@school.nl', role: 'staff' });
  });

  it('creates one account for a new person offered by two sources, linked to both', () => {
    const hr: Person = { ...JAN };
    const bp: Person = { ...JAN, id: 'eck-1', given: 'Johannes' };
    const p = plan([source('basispoort', [bp], { priority: 5 }), source('hr', [hr], { priority: 10 })], new MemoryHub());
    expect(p.newAccounts).toBe(1);
    const [c] = creates(p);
    expect(c!.links.map((l) => l.source).sort()).toEqual(['basispoort', 'hr']);
    expect(c!.after?.givenName).toBe('Jan');
    expect(p.counts).toMatchObject({ created: 1, relinked: 0 });
  });
});

describe('R11 merging: an empty value never wins over a stated one', () => {
  const hr = (r: Omit<Person, 'id'>) => ({ source: source('hr', [], { priority: 50, defaultRole: '' }), record: rec({ ...r, id: '1' }) });
  const bp = (r: Omit<Person, 'id'>) => ({ source: source('basispoort', [], { priority: 40, defaultRole: '' }), record: rec({ ...r, id: 'eck-1' }) });

  it('takes the name unit from the first source that states a family name, not one with an empty family name', () => {
    const merged = mergeAttributes([hr({ given: 'Anna', family: '', email: '' }), bp({ given: 'Anna', family: 'Backer', email: 'anna.backer@school.nl' })]);
    expect(merged).toMatchObject({ givenName: 'Anna', prefix: '', familyName: 'Backer', email: 'anna.backer@school.nl' });
  });

  it('keeps prefix and family name together, and fills an empty given name from the next source', () => {
    const merged = mergeAttributes([hr({ given: '', prefix: 'van der', family: 'Meer' }), bp({ given: 'Hans', prefix: '', family: 'Meer-Jansen' })]);
    expect(merged).toMatchObject({ givenName: 'Hans', prefix: 'van der', familyName: 'Meer' });
  });

  it("takes the given name of the unit's source, not of a higher source without a family name", () => {
    const merged = mergeAttributes([hr({ given: 'Anna', family: '' }), bp({ given: 'Anne', prefix: 'de', family: 'Backer' })]);
    expect(merged).toMatchObject({ givenName: 'Anne', prefix: 'de', familyName: 'Backer' });
  });

  it('keeps the family name, prefix and email an account has when no source states them any more', () => {
    const current = { givenName: 'Anna', prefix: 'de', familyName: 'Backer', email: 'anna.debacker@school.nl', role: 'staff' as const };
    const merged = mergeAttributes([hr({ given: 'Anne', family: '', email: '' })], current);
    expect(merged).toEqual({ givenName: 'Anne', prefix: 'de', familyName: 'Backer', email: 'anna.debacker@school.nl', role: 'staff' });
  });

  it('gives a new account a given name only when no source states a family name', () => {
    expect(mergeAttributes([hr({ given: 'Noor', family: '' })])).toMatchObject({ givenName: 'Noor', prefix: '', familyName: '' });
  });

  it('does not blank an account whose higher-priority source exports an empty family name (R11)', () => {
    const a = account({ givenName: 'Anna', prefix: '', familyName: 'Backer', email: 'anna.backer@school.nl' });
    const annaHr: Person = { id: '10412', given: 'Anna', family: 'Backer', email: 'anna.backer@school.nl', rel: [['OBS De Regenboog', 'Groep 4']] };
    const annaBp: Person = { ...annaHr, id: 'eck-77f1' };
    const hub = new MemoryHub([a], [link('hr', a.id, rec(annaHr)), link('basispoort', a.id, rec(annaBp))]);
    const p = plan([source('hr', [{ ...annaHr, family: '' }], { priority: 50 }), source('basispoort', [annaBp], { priority: 40 })], hub);
    const ap = only(p, a.id);
    expect(actions(ap)).toEqual([]); // only hr's stored record changes
    expect(ap.after).toBeNull();
    // Alone, the source that dropped the family name does not blank it either.
    const alone = new MemoryHub([a], [link('hr', a.id, rec(annaHr))]);
    const p2 = plan([source('hr', [{ ...annaHr, family: '', email: '' }], { priority: 50 })], alone);
    expect(only(p2, a.id).after).toBeNull();
    expect(p2.counts.updated).toBe(0);
  });
});

describe('a settings change takes effect at once (R11, R12)', () => {
  const BRAM_HR: Person = { id: '10561', given: 'Bram', family: 'Visser', email: 'bram.visser@school.nl', rel: [['OBS De Regenboog', 'Groep 6']] };
  const BRAM_BP: Person = { ...BRAM_HR, id: 'eck-5b21', family: 'Fisser' };

  /** Bram, linked to hr (priority 5) and basispoort (priority 40): Basispoort's "Fisser" won. */
  function bramHub() {
    const a = account({ givenName: 'Bram', prefix: '', familyName: 'Fisser', email: 'bram.visser@school.nl', role: 'staff' });
    const other = account({ givenName: 'Fatima', prefix: 'el', familyName: 'Amrani', email: FATIMA.email });
    const hub = new MemoryHub([a, other], [link('hr', a.id, rec(BRAM_HR)), link('basispoort', a.id, rec(BRAM_BP)), link('basispoort', other.id, rec(FATIMA))]);
    return { hub, id: a.id, other: other.id };
  }

  it('without a settings change, unchanged records are skipped (the cached fingerprints)', () => {
    const { hub } = bramHub();
    const p = plan([source('hr', [BRAM_HR], { priority: 50 }), source('basispoort', [BRAM_BP, FATIMA], { priority: 40 })], hub);
    expect(p.existing).toEqual([]);
    expect(p.counts).toMatchObject({ updated: 0, unchanged: 2 });
  });

  it('R11: a new priority re-evaluates the accounts of that source, and says why', () => {
    const { hub, id } = bramHub();
    const why = 'priority of hr changed from 5 to 50';
    const p = plan([source('hr', [BRAM_HR], { priority: 50, settingsChanged: [why] }), source('basispoort', [BRAM_BP, FATIMA], { priority: 40 })], hub);
    const ap = only(p, id);
    expect(actions(ap)).toEqual(['update']);
    expect(ap.after?.familyName).toBe('Visser');
    expect(ap.changes[0]!.before).toEqual({ familyName: 'Fisser' });
    expect(ap.changes[0]!.detail).toBe(`Bram Fisser: familyName: "Fisser" → "Visser" (because ${why})`);
    // Fatima is linked to basispoort only: hr's priority does not concern her.
    expect(p.counts).toMatchObject({ updated: 1, unchanged: 1 });
  });

  it("R11: a new kind gives the source's records its default role (other → hr: staff)", () => {
    const a = account({ givenName: 'Bram', familyName: 'Visser', email: BRAM_HR.email, role: '' });
    const hub = new MemoryHub([a], [link('hr', a.id, rec(BRAM_HR))]);
    const before = plan([source('hr', [BRAM_HR], { defaultRole: 'staff' })], hub);
    expect(before.existing).toEqual([]); // the old behaviour: nothing looked at
    const p = plan([source('hr', [BRAM_HR], { defaultRole: 'staff', settingsChanged: ['kind of hr changed from other to hr'] })], hub);
    const ap = only(p, a.id);
    expect(ap.after?.role).toBe('staff');
    expect(ap.changes[0]!.detail).toContain('role: "" → "staff" (because kind of hr changed from other to hr)');
  });

  it('counts an account as unchanged when the new settings change nothing in it', () => {
    const { hub } = bramHub();
    const p = plan(
      [
        source('hr', [BRAM_HR], { priority: 5 }),
        source('basispoort', [BRAM_BP, FATIMA], { priority: 40, settingsChanged: ['date format of basispoort changed from dd-MM-yyyy to yyyy-MM-dd'] }),
      ],
      hub,
    );
    expect(p.existing).toEqual([]);
    expect(p.counts).toMatchObject({ updated: 0, unchanged: 2 });
  });

  it('R12: a new match key re-evaluates linked accounts, which keep their link (the link comes first)', () => {
    const { hub, id } = bramHub();
    const p = plan(
      [
        source('hr', [BRAM_HR], { priority: 5, match: 'externalId', settingsChanged: ['match of hr changed from email to externalId'] }),
        source('basispoort', [BRAM_BP, FATIMA], { priority: 40 }),
      ],
      hub,
    );
    expect(p.existing.filter((x) => x.key === id).flatMap((x) => x.changes)).toEqual([]);
    expect(p.newAccounts).toBe(0);
    expect(p.counts.conflicts).toBe(0);
  });

  it('says the settings changed too when the record changed as well', () => {
    const { hub, id } = bramHub();
    const p = plan(
      [
        source('hr', [{ ...BRAM_HR, email: 'b.visser@school.nl' }], { priority: 50, settingsChanged: ['priority of hr changed from 5 to 50'] }),
        source('basispoort', [BRAM_BP, FATIMA], { priority: 40 }),
      ],
      hub,
    );
    const detail = only(p, id).changes[0]!.detail;
    expect(detail).toContain('familyName: "Fisser" → "Visser"');
    expect(detail).toContain('email: "bram.visser@school.nl" → "b.visser@school.nl"');
    expect(detail).toContain('(its source settings changed too: priority of hr changed from 5 to 50)');
  });

  it('shorter grace days delete a pending account at once, and say why', () => {
    const { hub, id } = hubWith(JAN, 'hr', { notOfferedSince: '2026-11-27T02:00:00.000Z' });
    hub.links[0] = { ...hub.links[0]!, active: false, fp: null, inactiveSince: '2026-11-27T02:00:00.000Z' };
    expect(actions(only(plan([source('hr', [FATIMA], { graceDays: 7 })], hub), id))).toEqual(['pending']);
    const ap = only(plan([source('hr', [FATIMA], { graceDays: 0, settingsChanged: ['grace days of hr changed from 7 to 0'] })], hub), id);
    expect(actions(ap)).toEqual(['delete']);
    expect(ap.changes[0]!.detail).toContain('(because grace days of hr changed from 7 to 0)');
  });
});

describe('R12 matching', () => {
  it('matches by the (source, externalId) link first, even an inactive one', () => {
    const a = account({ email: 'old@school.nl', notOfferedSince: '2026-11-01T02:00:00.000Z' });
    const hub = new MemoryHub([a], [link('hr', a.id, rec({ ...JAN, email: 'old@school.nl' }), { active: false, fp: null })]);
    const p = plan([source('hr', [JAN])], hub);
    expect(p.newAccounts).toBe(0);
    expect(only(p, a.id).after).toMatchObject({ email: 'jan.devries@school.nl', status: 'active' });
  });

  it('matches by the match key among non-deleted accounts not linked to that source', () => {
    const a = account();
    const hub = new MemoryHub([a], [link('hr', a.id, rec(JAN))]);
    const p = plan([source('hr', [JAN]), source('basispoort', [{ ...JAN, id: 'eck-1' }], { priority: 5 })], hub);
    expect(p.newAccounts).toBe(0);
    const ap = only(p, a.id);
    expect(actions(ap)).toEqual(['relink']);
    expect(ap.links).toEqual([expect.objectContaining({ source: 'basispoort', externalId: 'eck-1', isNew: true })]);
  });

  it('is case-insensitive for email', () => {
    const a = account({ email: 'Jan.DeVries@School.nl' });
    const hub = new MemoryHub([a], [link('hr', a.id, rec(JAN))]);
    const p = plan([source('hr', [JAN]), source('basispoort', [{ ...JAN, id: 'eck-1' }], { priority: 5 })], hub);
    expect(p.newAccounts).toBe(0);
  });

  it('does not match a deleted account by key', () => {
    const a = account({ status: 'deleted', deletedAt: '2026-10-01T02:00:00.000Z' });
    const p = plan([source('hr', [JAN])], new MemoryHub([a], []));
    expect(p.newAccounts).toBe(1);
  });

  it('reports a record that matches two accounts as a conflict, and creates or links nothing for it', () => {
    const a = account({ email: 'jan.devries@school.nl' });
    const b = account({ email: 'jan.devries@school.nl' });
    const p = plan([source('hr', [JAN])], new MemoryHub([a, b], []));
    expect(p.counts.created).toBe(0);
    expect(p.newAccounts).toBe(0);
    expect(p.existing).toEqual([]);
    expect(p.counts.conflicts).toBe(1);
    expect(p.conflicts[0]).toMatchObject({ action: 'conflict', source: 'hr', externalId: '10234' });
    expect(p.conflicts[0]!.detail).toContain(`account ${a.id}`);
    expect(p.conflicts[0]!.detail).toContain(`account ${b.id}`);
  });

  it('reports two records of one source that match the same account as a conflict for the second', () => {
    const a = account({ email: 'jan.devries@school.nl' });
    const p = plan([source('hr', [JAN, { ...JAN, id: '99999' }])], new MemoryHub([a], []));
    expect(p.counts).toMatchObject({ relinked: 1, conflicts: 1, created: 0 });
  });

  it('can match on externalId across sources (an employee number in two systems)', () => {
    const a = account();
    const hub = new MemoryHub([a], [link('hr', a.id, rec(JAN))]);
    const p = plan([source('hr', [JAN]), source('afas2', [{ ...JAN, email: '' }], { match: 'externalId', priority: 1 })], hub);
    expect(p.newAccounts).toBe(0);
    expect(actions(only(p, a.id))).toEqual(['relink']);
  });
});

describe('R14 revive', () => {
  it('restores a deleted account whose link is offered again: same identity, source-owned, not listed', () => {
    const a = account({ status: 'deleted', deletedAt: '2026-11-01T02:00:00.000Z', deletedBy: 'cron', notOfferedSince: '2026-11-01T02:00:00.000Z' });
    const hub = new MemoryHub([a], [link('hr', a.id, rec(JAN), { active: false, fp: null })]);
    const p = plan([source('hr', [JAN])], hub);
    expect(p.newAccounts).toBe(0);
    const ap = only(p, a.id);
    expect(actions(ap)).toEqual(['revive']);
    expect(ap.after).toMatchObject({ status: 'active', owner: 'source', notOfferedSince: null });
    expect(p.counts.revived).toBe(1);
  });

  it('undoes a deletion by hand of an account that a source still offers', () => {
    const a = account({ status: 'deleted', deletedAt: '2026-11-28T10:00:00.000Z', deletedBy: 'coordinator' });
    const hub = new MemoryHub([a], [link('hr', a.id, rec(JAN))]); // the link is still active
    const ap = only(plan([source('hr', [JAN])], hub), a.id);
    expect(actions(ap)).toEqual(['revive']);
  });
});

describe('R14 revive with R12: one active account per address', () => {
  const ECK = 'https://ketenid.nl/201703/bffb9adec5c6b33c848338fac46a6555891e83dd';
  const ECK2 = 'https://ketenid.nl/201703/838f8ab11c5cb523efe9d1f9ace29d941f475cc2';
  const BP_JAN: Person = { ...JAN, id: ECK, rel: [['CBS De Wegwijzer', 'Groep 6']] };
  const deleted = (at: string, partial: Parameters<typeof account>[0] = {}) =>
    account({ status: 'deleted', deletedAt: at, deletedBy: 'cron', notOfferedSince: at, ...partial });
  const sources = (hr: Person[], bp: Person[]) => [source('hr', hr, { priority: 30 }), source('basispoort', bp, { priority: 10 })];

  /** HR dropped Jan (A deleted), Basispoort offered him under a new ECK iD (B, same address). */
  function janTwice(): { hub: MemoryHub; a: number; b: number } {
    const a = deleted('2026-11-20T02:00:00.000Z');
    const b = account();
    const hub = new MemoryHub([a, b], [link('hr', a.id, rec(JAN), { active: false, fp: null }), link('basispoort', b.id, rec(BP_JAN))]);
    return { hub, a: a.id, b: b.id };
  }

  it('R14/R12: a revive into an address another active account holds is a conflict naming it; nothing revived, the link as it was', () => {
    const { hub, a, b } = janTwice();
    for (let night = 0; night < 2; night++) {
      const p = plan(sources([JAN], [BP_JAN]), hub);
      expect(p.existing.map((x) => x.key)).not.toContain(a);
      expect(p.counts).toMatchObject({ revived: 0, conflicts: 1, created: 0 });
      expect(p.conflicts).toEqual([expect.objectContaining({ action: 'conflict', accountKey: null, source: 'hr', externalId: '10234' })]);
      expect(p.conflicts[0]!.detail).toBe(
        `Jan de Vries: hr:10234 would revive account ${a}, but active account ${b} holds its address jan.devries@school.nl; nothing revived or linked. ` +
          `To keep account ${b}, erase account ${a} (users purge); to keep account ${a}, delete account ${b} (users delete) and the next sync revives account ${a}`,
      );
    }
  });

  it('R14/R12: the address compares as a match key does (in any case)', () => {
    const { hub, a } = janTwice();
    hub.accounts[1] = { ...hub.accounts[1]!, email: 'Jan.DeVries@School.nl' };
    const p = plan(sources([{ ...JAN, email: 'JAN.DEVRIES@SCHOOL.NL' }], [BP_JAN]), hub);
    expect(p.existing.map((x) => x.key)).not.toContain(a);
    expect(p.counts.conflicts).toBe(1);
  });

  it("R14: the returning record's new address is the one that counts", () => {
    const { hub, a } = janTwice();
    // Jan comes back with an address of his own: nobody holds it, so his account comes back.
    const p = plan(sources([{ ...JAN, email: 'j.devries@school.nl' }], [BP_JAN]), hub);
    expect(actions(only(p, a))).toEqual(['revive']);
    expect(p.counts).toMatchObject({ revived: 1, conflicts: 0 });
    // The deleted account had another address; the record brings back one that B holds: a conflict.
    hub.accounts[0] = { ...hub.accounts[0]!, email: 'jan.oud@school.nl' };
    const q = plan(sources([JAN], [BP_JAN]), hub);
    expect(q.existing.map((x) => x.key)).not.toContain(a);
    expect(q.conflicts[0]!.detail).toContain('holds its address jan.devries@school.nl');
  });

  it('R14/R1: a holder that this run deletes, or that takes another address, holds nothing', () => {
    const { hub, a, b } = janTwice();
    const gone = plan(sources([JAN], []), hub);
    expect(actions(only(gone, a))).toEqual(['revive']);
    expect(actions(only(gone, b))).toEqual(['delete']);
    const moved = plan(sources([JAN], [{ ...BP_JAN, email: 'jan.devries2@school.nl' }]), hub);
    expect(actions(only(moved, a))).toEqual(['revive']);
    expect(only(moved, b).after?.email).toBe('jan.devries2@school.nl');
  });

  it('R14/R12: an active account that takes the address in this run holds it', () => {
    const a = deleted('2026-11-20T02:00:00.000Z');
    const b = account({ email: 'j.devries@school.nl' });
    const hub = new MemoryHub(
      [a, b],
      [link('hr', a.id, rec(JAN), { active: false, fp: null }), link('basispoort', b.id, rec({ ...BP_JAN, email: 'j.devries@school.nl' }))],
    );
    const p = plan(sources([JAN], [BP_JAN]), hub);
    expect(p.existing.map((x) => x.key)).toEqual([b.id]);
    expect(p.conflicts[0]!.detail).toContain(`active account ${b.id} holds its address`);
  });

  it('R14 in one run: of two deleted accounts with one address, the one deleted first comes back, whatever their order', () => {
    const first = deleted('2026-11-20T02:00:00.000Z', { id: 9001 });
    const later = deleted('2026-11-22T10:00:00.000Z', { id: 9000 });
    const links = [link('hr', first.id, rec(JAN), { active: false, fp: null }), link('basispoort', later.id, rec(BP_JAN), { active: false, fp: null })];
    for (const hub of [new MemoryHub([first, later], links), new MemoryHub([later, first], [...links].reverse())]) {
      const p = plan(sources([JAN], [BP_JAN]), hub);
      expect(p.existing.map((x) => [x.key, actions(x)])).toEqual([[first.id, ['revive']]]);
      expect(p.counts).toMatchObject({ revived: 1, conflicts: 1 });
      expect(p.conflicts[0]).toMatchObject({ source: 'basispoort', externalId: ECK });
      expect(p.conflicts[0]!.detail).toContain(`would revive account ${later.id}, but account ${first.id}, deleted before it, comes back with its address`);
    }
  });

  it('R14/R12 in one run: a new account with the address of an account this run revives is not made', () => {
    const a = deleted('2026-11-20T02:00:00.000Z');
    const hub = new MemoryHub([a], [link('hr', a.id, rec(JAN), { active: false, fp: null })]);
    const p = plan(sources([JAN, FATIMA], [{ ...BP_JAN, id: ECK2 }]), hub);
    expect(actions(only(p, a.id))).toEqual(['revive']);
    expect(creates(p).map((c) => c.after?.email)).toEqual(['fatima.elamrani@school.nl']);
    expect(p.newAccounts).toBe(1);
    expect(p.counts).toMatchObject({ revived: 1, created: 1, conflicts: 1 });
    expect(p.conflicts[0]).toMatchObject({ source: 'basispoort', externalId: ECK2 });
    expect(p.conflicts[0]!.detail).toBe(
      `Jan de Vries: a new account for basispoort:${ECK2} would take the address jan.devries@school.nl of account ${a.id}, which this run revives; nothing created or linked`,
    );
  });

  it('R14/R11: a revive that another source also offers is one conflict, named by the record of the highest priority', () => {
    const a = deleted('2026-11-20T02:00:00.000Z');
    const b = account();
    const hub = new MemoryHub(
      [a, b],
      [
        link('hr', a.id, rec(JAN), { active: false, fp: null }),
        link('basispoort', a.id, rec(BP_JAN), { active: false, fp: null }),
        link('las', b.id, rec({ ...JAN, id: 'L1' })),
      ],
    );
    const p = plan([...sources([JAN], [BP_JAN]), source('las', [{ ...JAN, id: 'L1' }], { match: 'none', priority: 20 })], hub);
    expect(p.existing.map((x) => x.key)).not.toContain(a.id);
    expect(p.conflicts).toEqual([expect.objectContaining({ source: 'hr', externalId: '10234' })]);
  });
});

describe('R12 with R11: one active account per address when a source gives an account a new address', () => {
  const ECK = 'https://ketenid.nl/201703/bffb9adec5c6b33c848338fac46a6555891e83dd';
  const NEW = 'j.devries@school.nl';
  const BP_JAN: Person = { ...JAN, id: ECK, email: NEW, rel: [['CBS De Wegwijzer', 'Groep 6']] };
  const sources = (hr: Person[], bp: Person[]) => [source('hr', hr, { priority: 30 }), source('basispoort', bp, { priority: 10 })];

  /** Jan's account, linked to HR only, with his address as it was. */
  function janInHr(): { hub: MemoryHub; a: number } {
    const a = account();
    return { hub: new MemoryHub([a], [link('hr', a.id, rec(JAN))]), a: a.id };
  }

  it('R12/R11: a record that would start a new account with the address an existing account takes in this run is a conflict naming it; the next night links it', () => {
    const { hub, a } = janInHr();
    const p = plan(sources([{ ...JAN, email: NEW }], [BP_JAN]), hub);
    expect(only(p, a).after?.email).toBe(NEW);
    expect(p.newAccounts).toBe(0);
    expect([...p.creates()]).toEqual([]);
    expect(p.counts).toMatchObject({ created: 0, updated: 1, conflicts: 1 });
    expect(p.conflicts).toEqual([
      {
        action: 'conflict',
        accountKey: null,
        source: 'basispoort',
        externalId: ECK,
        detail: `Jan de Vries: a new account for basispoort:${ECK} would take the address ${NEW}, which account ${a} gets in this run; nothing created or linked (the next sync matches the record by its key)`,
      },
    ]);
    // The next night Jan holds the address: Basispoort's record is matched to him by key (R12).
    hub.accounts[0] = { ...hub.accounts[0]!, email: NEW };
    hub.links[0] = link('hr', a, rec({ ...JAN, email: NEW }));
    const next = plan(sources([{ ...JAN, email: NEW }], [BP_JAN]), hub);
    expect(actions(only(next, a))).toEqual(['relink']);
    expect(next.counts).toMatchObject({ created: 0, relinked: 1, conflicts: 0 });
  });

  it('R12: a second record of the same source with that address is a conflict tonight, and the next night too (another record of the source holds the account)', () => {
    const { hub, a } = janInHr();
    const twin: Person = { ...JAN, id: '10999', email: NEW };
    const p = plan(sources([{ ...JAN, email: NEW }, twin], []), hub);
    expect(p.newAccounts).toBe(0);
    expect(p.conflicts).toEqual([
      expect.objectContaining({ source: 'hr', externalId: '10999', detail: expect.stringContaining(`which account ${a} gets in this run`) }),
    ]);
    hub.accounts[0] = { ...hub.accounts[0]!, email: NEW };
    hub.links[0] = link('hr', a, rec({ ...JAN, email: NEW }));
    const next = plan(sources([{ ...JAN, email: NEW }, twin], []), hub);
    expect(next.newAccounts).toBe(0);
    expect(next.conflicts).toEqual([
      expect.objectContaining({ source: 'hr', externalId: '10999', detail: expect.stringContaining(`account ${a} (linked to hr:10234`) }),
    ]);
  });

  it('R12/R11: an account whose source gives it an address another active account keeps keeps its own, the rest applies; a conflict naming the holder every night', () => {
    const { hub, a } = janInHr();
    const b = account({ givenName: 'Zoë', prefix: 'van', familyName: 'Dijk', email: NEW });
    hub.accounts.push(b);
    hub.links.push(link('basispoort', b.id, rec({ ...BP_JAN, given: 'Zoë', prefix: 'van', family: 'Dijk' })));
    const renamed = { ...JAN, family: 'Vries-Bakker', email: NEW };
    for (let night = 0; night < 2; night++) {
      const p = plan(sources([renamed], [{ ...BP_JAN, given: 'Zoë', prefix: 'van', family: 'Dijk' }]), hub);
      const ap = only(p, a);
      // The first night the new family name applies; the second night nothing is left to change.
      if (night === 0) expect(ap.after).toMatchObject({ familyName: 'Vries-Bakker', email: JAN.email });
      else expect(ap.after).toBeNull();
      expect(ap.links.map((l) => l.fp)).toEqual([null]); // looked at again the next night
      expect(p.counts).toMatchObject({ updated: 1 - night, conflicts: 1, created: 0 });
      expect(p.conflicts).toEqual([
        {
          action: 'conflict',
          accountKey: null,
          source: 'hr',
          externalId: '10234',
          detail: `${night === 0 ? 'Jan de Vries' : 'Jan de Vries-Bakker'}: hr:10234 gives account ${a} the address ${NEW}, but active account ${b.id} holds it; the address is not changed (the rest of the record is). Correct the address in the source of one of the two accounts`,
        },
      ]);
      // What the sync wrote: the record (fingerprint none), the new family name, the old address.
      hub.accounts[0] = { ...hub.accounts[0]!, familyName: 'Vries-Bakker' };
      hub.links[0] = { ...link('hr', a, rec(renamed)), fp: null };
    }
    // Zoë's account leaves the address: Jan takes it that night.
    const freed = plan(sources([renamed], [{ ...BP_JAN, given: 'Zoë', prefix: 'van', family: 'Dijk', email: 'zoe.vandijk@school.nl' }]), hub);
    expect(only(freed, a).after?.email).toBe(NEW);
    expect(freed.counts.conflicts).toBe(0);
  });

  it('R12/R11: of two accounts that would take one address in one run, the lower id does; the other keeps its own', () => {
    const { hub, a } = janInHr();
    const b = account({ givenName: 'Jan', prefix: 'de', familyName: 'Vries', email: 'jan.devries@basispoort.nl' });
    hub.accounts.push(b);
    hub.links.push(link('basispoort', b.id, rec({ ...BP_JAN, email: 'jan.devries@basispoort.nl' })));
    const p = plan(sources([{ ...JAN, email: NEW }], [BP_JAN]), hub);
    expect(only(p, a).after?.email).toBe(NEW);
    expect(p.existing.find((x) => x.key === b.id)?.after?.email ?? 'jan.devries@basispoort.nl').toBe('jan.devries@basispoort.nl');
    expect(p.conflicts).toEqual([
      expect.objectContaining({ source: 'basispoort', externalId: ECK, detail: expect.stringContaining(`active account ${a} holds it`) }),
    ]);
  });

  it('R14/R12: a revive into the address an account is denied keeps naming the real holder', () => {
    const { hub, a } = janInHr();
    const b = account({ givenName: 'Zoë', prefix: 'van', familyName: 'Dijk', email: NEW });
    const c = account({ status: 'deleted', deletedAt: '2026-11-20T02:00:00.000Z', deletedBy: 'cron', email: NEW });
    hub.accounts.push(b, c);
    hub.links.push(
      link('basispoort', b.id, rec({ ...BP_JAN, given: 'Zoë' })),
      link('las', c.id, rec({ ...JAN, id: 'L1', email: NEW }), { active: false, fp: null }),
    );
    const p = plan(
      [...sources([{ ...JAN, email: NEW }], [{ ...BP_JAN, given: 'Zoë' }]), source('las', [{ ...JAN, id: 'L1', email: NEW }], { match: 'none', priority: 20 })],
      hub,
    );
    expect(only(p, a).after).toBeNull();
    expect(p.existing.map((x) => x.key)).not.toContain(c.id);
    expect(p.conflicts.map((x) => x.detail)).toEqual([
      expect.stringContaining(`active account ${b.id} holds it`),
      expect.stringContaining(`active account ${b.id} holds its address`),
    ]);
  });
});

describe('end dates of list entries', () => {
  it('lets a lapsed entry leave the list before deletions are decided', () => {
    const { hub, id } = hubWith(FATIMA, 'hr', { owner: 'hub', notOfferedSince: '2026-11-01T02:00:00.000Z' });
    hub.links[0]!.active = false;
    hub.exceptions.push(entry(id, { until: '2026-11-28' }));
    const p = plan([source('hr', [JAN])], hub);
    const ap = only(p, id);
    expect(actions(ap)).toEqual(['lapse', 'delete']);
    expect(ap.unlist).toBe(true);
    expect(p.counts).toMatchObject({ lapsed: 1, deleted: 1, protected: 0 });
  });

  it('keeps an entry whose end date is today', () => {
    const { hub, id } = hubWith(FATIMA);
    hub.exceptions.push(entry(id, { until: TODAY }));
    expect(actions(only(plan([source('hr', [JAN])], hub), id))).toEqual(['protect']);
  });
});

describe('grace period', () => {
  it('marks an unoffered account pending, and deletes it once the grace days have passed', () => {
    const { hub, id } = hubWith(JAN);
    const first = only(plan([source('hr', [FATIMA], { graceDays: 3 })], hub), id);
    expect(actions(first)).toEqual(['pending']);
    expect(first.changes[0]!.detail).toContain('2026-12-02');
    expect(first.after).toMatchObject({ status: 'active', notOfferedSince: `${TODAY}T02:00:00.000Z` });

    // Two days later the account is still waiting; on the third day it goes.
    hub.accounts[0] = { ...hub.accounts[0]!, notOfferedSince: `${TODAY}T02:00:00.000Z` };
    hub.links[0] = { ...hub.links[0]!, active: false, fp: null, inactiveSince: `${TODAY}T02:00:00.000Z` };
    expect(actions(only(plan([source('hr', [FATIMA], { graceDays: 3 })], hub, '2026-12-01'), id))).toEqual(['pending']);
    expect(actions(only(plan([source('hr', [FATIMA], { graceDays: 3 })], hub, '2026-12-02'), id))).toEqual(['delete']);
  });

  it('lets a pending account continue when it is offered again, saying that its link is active again', () => {
    const { hub, id } = hubWith(JAN, 'hr', { notOfferedSince: '2026-11-28T02:00:00.000Z' });
    hub.links[0] = { ...hub.links[0]!, active: false, fp: null, inactiveSince: '2026-11-28T02:00:00.000Z' };
    const ap = only(plan([source('hr', [JAN], { graceDays: 3 })], hub), id);
    expect(actions(ap)).toEqual(['relink']);
    expect(ap.changes[0]!.detail).toMatch(/link hr:10234 is active again/);
    expect(ap.after).toMatchObject({ notOfferedSince: null, status: 'active' });
  });
});

describe('delta exports', () => {
  it("adds a delta record's relations to those read before, and takes its attributes", () => {
    const { hub, id } = hubWith({ ...JAN, rel: [['OBS De Regenboog', 'Groep 3']] });
    const p = plan([source('hr', [{ ...JAN, family: 'Vries-Smit', rel: [['OBS De Regenboog', '']] }], { partial: true })], hub);
    const ap = only(p, id);
    expect(actions(ap)).toEqual(['update']);
    expect(ap.after?.familyName).toBe('Vries-Smit');
    expect(ap.links[0]!.record).toContain('Groep 3');
  });

  it('does not offer a delta record without relations (tobedeleted)', () => {
    const { hub, id } = hubWith(JAN);
    expect(actions(only(plan([source('hr', [{ ...JAN, rel: [] }], { partial: true })], hub), id))).toEqual(['delete']);
  });

  it('keeps the state of records that a partial export does not mention', () => {
    const { hub } = hubWith(JAN);
    const p = plan([source('hr', [FATIMA], { partial: true })], hub);
    expect(p.counts.deleted).toBe(0);
    expect(p.existing).toEqual([]);
  });
});

describe('R12 with R11: one active account per address when a source does not match on email', () => {
  const ECK = 'https://ketenid.nl/201703/7c1f4e7d2a9b3c5e8f0a1b2c3d4e5f6a7b8c9d0e';
  /** Basispoort offers someone under an ECK iD with Jan's address (a typo in the school's administration). */
  const BP_TYPO: Person = { ...FATIMA, id: ECK, email: JAN.email, rel: [['CBS De Wegwijzer', 'Groep 6']] };
  const bp = (people: Person[], match: 'none' | 'externalId' = 'none') => source('basispoort', people, { priority: 10, match });

  /** A MemoryHub that counts its candidates() queries. */
  class CountingHub extends MemoryHub {
    queries = 0;
    override candidates(...args: Parameters<MemoryHub['candidates']>): ReturnType<MemoryHub['candidates']> {
      this.queries++;
      return super.candidates(...args);
    }
  }

  for (const match of ['none', 'externalId'] as const) {
    it(`R12/R11: a record of a source matching on ${match} that would start a new account with an address an active account holds is a conflict naming it, every night`, () => {
      const { hub, id } = hubWith(JAN);
      for (let night = 0; night < 2; night++) {
        const p = plan([source('hr', [JAN], { priority: 30 }), bp([BP_TYPO], match)], hub);
        expect(p.newAccounts).toBe(0);
        expect(creates(p)).toEqual([]);
        expect(p.counts).toMatchObject({ created: 0, conflicts: 1 });
        expect(p.conflicts).toEqual([
          {
            action: 'conflict',
            accountKey: null,
            source: 'basispoort',
            externalId: ECK,
            detail: `Fatima el Amrani: a new account for basispoort:${ECK} would take the address ${JAN.email}, but active account ${id} holds it; nothing created or linked. Correct the address in the source of one of the two accounts`,
          },
        ]);
      }
    });
  }

  it('R12/R11: the address compares as a match key (trimmed, any case); a record with no address or another one is created as before', () => {
    const { hub, id } = hubWith(JAN);
    const shouting: Person = { ...BP_TYPO, email: `  ${String(JAN.email).toUpperCase()} ` };
    const none: Person = { ...BP_TYPO, id: `${ECK}0`, email: '' };
    const own: Person = { ...FATIMA, id: `${ECK}1` };
    const p = plan([source('hr', [JAN], { priority: 30 }), bp([shouting, none, own])], hub);
    expect(p.conflicts).toEqual([expect.objectContaining({ externalId: ECK, detail: expect.stringContaining(`active account ${id} holds it`) })]);
    expect(creates(p).map((c) => c.after?.email)).toEqual(['', FATIMA.email]);
  });

  it('R12/R11: an account that leaves the address in this run (deleted: no source offers it) does not hold it; the new account takes it', () => {
    const { hub } = hubWith(JAN);
    const p = plan([source('hr', [], { priority: 30 }), bp([BP_TYPO])], hub);
    expect(p.conflicts).toEqual([]);
    expect(creates(p).map((c) => c.after?.email)).toEqual([JAN.email]);
  });

  it('R12/R11: in one run, a record that would start a new account with the address of a new account of another record is a conflict naming that record', () => {
    const twin: Person = { ...BP_TYPO, id: `${ECK}9`, given: 'Joost', prefix: '', family: 'Bakker' };
    const p = plan([source('hr', [JAN], { priority: 30 }), bp([BP_TYPO, twin])], new MemoryHub());
    expect(creates(p).map((c) => c.after?.email)).toEqual([JAN.email]);
    expect(p.counts).toMatchObject({ created: 1, conflicts: 2 });
    expect(p.conflicts.map((c) => c.detail)).toEqual([
      `Fatima el Amrani: a new account for basispoort:${ECK} would take the address ${JAN.email}, which hr:10234 starts a new account with in this run; nothing created or linked. Correct the address in the source of one of the two records`,
      `Joost Bakker: a new account for basispoort:${ECK}9 would take the address ${JAN.email}, which hr:10234 starts a new account with in this run; nothing created or linked. Correct the address in the source of one of the two records`,
    ]);
    // Without the email source, the first record of the source takes the address, the second yields to it.
    const alone = plan([bp([BP_TYPO, twin])], new MemoryHub());
    expect(creates(alone)).toHaveLength(1);
    expect(alone.conflicts.map((c) => c.detail)).toEqual([expect.stringContaining(`which basispoort:${ECK} starts a new account with in this run`)]);
  });

  it('R12/R11: a new account that yields to an account taking the address in this run is one conflict (withdrawn once)', () => {
    const { hub, id } = hubWith(FATIMA);
    const p = plan([source('hr', [{ ...FATIMA, email: JAN.email }], { priority: 30 }), bp([BP_TYPO])], hub);
    expect(p.newAccounts).toBe(0);
    expect(p.conflicts).toEqual([expect.objectContaining({ externalId: ECK, detail: expect.stringContaining(`which account ${id} gets in this run`) })]);
  });

  it('R12/R11: a first sync into an empty hub asks nothing per record; a resync asks once per new record, not for unchanged ones', () => {
    const people = Array.from({ length: 50 }, (_, i): Person => ({ ...FATIMA, id: `${ECK}${i}`, email: `leerling${i}@school.nl` }));
    const empty = new CountingHub();
    const first = plan([bp(people)], empty);
    expect(first.newAccounts).toBe(50);
    expect(empty.queries).toBe(0);
    const hub = new CountingHub();
    for (const [i, p] of people.entries()) {
      const a = account({ email: p.email });
      hub.accounts.push(a);
      hub.links.push(link('basispoort', a.id, rec(people[i]!)));
    }
    const next = plan([bp([...people, { ...FATIMA, id: `${ECK}new`, email: 'nieuw@school.nl' }])], hub);
    expect(next.newAccounts).toBe(1);
    expect(hub.queries).toBe(1);
  });
});
