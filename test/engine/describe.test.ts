/**
 * R1: how a sync describes the accounts it creates. A create from one record is kept as that record
 * (it is what the audit trail stores, schema v2) and rendered again when read; it must read exactly as
 * the create would have been written out in full.
 */
import { describe, expect, it } from '@jest/globals';
import { createAfter, createDetail, describeRecordedCreate, detailOf } from '../../src/engine/describe.js';
import { planSync, type Plan } from '../../src/engine/plan.js';
import type { AccountPlan, EngineSource } from '../../src/engine/types.js';
import { unpack } from '../../src/sources/record.js';
import { MemoryHub, TODAY, source, type Person } from '../helpers/memory.js';

const JAN: Person = { id: '10234', given: 'Jan', prefix: 'de', family: 'Vries', email: 'jan.devries@school.nl', rel: [['OBS De Regenboog', 'Directie']] };

function creates(sources: EngineSource[]): AccountPlan[] {
  const p: Plan = planSync({ sources, hub: new MemoryHub(), today: TODAY, now: `${TODAY}T02:00:00.000Z` });
  return [...p.creates()];
}

describe('R1 a new account, as the audit trail keeps it', () => {
  it('keeps a create from one record as the record, and renders the detail and after from it', () => {
    const [c] = creates([source('hr', [JAN])]);
    const change = c!.changes[0]!;
    expect(unpack('10234', change.record!)).toMatchObject({
      externalId: '10234',
      givenName: 'Jan',
      prefix: 'de',
      familyName: 'Vries',
      email: 'jan.devries@school.nl',
    });
    expect(change.after).toBeUndefined();
    expect(detailOf(change)).toBe('Jan de Vries <jan.devries@school.nl> (staff): OBS De Regenboog/Directie');
    expect(describeRecordedCreate('hr', '10234', change.record!)).toEqual({
      detail: 'Jan de Vries <jan.devries@school.nl> (staff): OBS De Regenboog/Directie',
      after: { givenName: 'Jan', prefix: 'de', familyName: 'Vries', email: 'jan.devries@school.nl', role: 'staff', links: ['hr:10234'] },
    });
  });

  it('reads the same as the create written out in full: the account as planned, the relations of the record', () => {
    const person: Person = {
      id: '20417',
      given: 'Sanne',
      prefix: 'van der',
      family: 'Berg',
      email: '',
      rel: [
        ['SBO De Wissel', 'Groep 4', '', '2026-12-31'],
        ['OBS De Regenboog', 'Invalpool', '2025-08-01'],
      ],
    };
    const [c] = creates([source('las', [person], { defaultRole: 'student' })]);
    const change = c!.changes[0]!;
    const attrs = c!.after!;
    const relations = unpack(person.id, c!.links[0]!.record).relations;
    const full = { detail: createDetail(attrs, relations), after: createAfter(attrs, ['las:20417']) };
    expect(describeRecordedCreate('las', '20417', change.record!)).toEqual(full);
    // The source's default role is the account's, though the export states none.
    expect(full.after).toMatchObject({ role: 'student', email: '' });
    expect(full.detail).toBe('Sanne van der Berg (student): OBS De Regenboog/Invalpool from 2025-08-01, SBO De Wissel/Groep 4 until 2026-12-31');
  });

  it('writes a create from several records out in full: every link, and the records it was matched to', () => {
    const [c] = creates([source('hr', [JAN], { priority: 20 }), source('basispoort', [{ ...JAN, id: 'bp-88' }], { priority: 10 })]);
    const change = c!.changes[0]!;
    expect(change.record).toBeUndefined();
    expect(detailOf(change)).toBe(
      'Jan de Vries <jan.devries@school.nl> (staff): OBS De Regenboog/Directie; also linked to basispoort:bp-88 (matched by email)',
    );
    expect(change.after).toEqual({
      givenName: 'Jan',
      prefix: 'de',
      familyName: 'Vries',
      email: 'jan.devries@school.nl',
      role: 'staff',
      links: ['hr:10234', 'basispoort:bp-88'],
    });
  });
});
