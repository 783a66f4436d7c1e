/**
 * Delta exports (src/engine/delta.ts): a delta names only the relations that changed.
 */
import { describe, expect, it } from '@jest/globals';
import { mergeDelta } from '../../src/engine/delta.js';
import { rec } from '../helpers/memory.js';

describe('mergeDelta (delta exports)', () => {
  it("adds the relations of the delta to those read before, and takes the delta's attributes", () => {
    const stored = rec({ id: 'L-1', given: 'Daan', family: 'Bakker', rel: [['OBS De Regenboog', 'Groep 5']] });
    const delta = rec({ id: 'L-1', given: 'Daan', prefix: 'de', family: 'Bakker', rel: [['OBS De Regenboog', 'Groep 6']] });
    const merged = mergeDelta(stored, delta);
    expect(merged.prefix).toBe('de');
    expect(merged.relations.map((r) => r.group).sort()).toEqual(['Groep 5', 'Groep 6']);
  });

  it('replaces a relation with the same organisation and group (new dates)', () => {
    const stored = rec({ id: 'L-1', family: 'Bakker', rel: [['OBS De Regenboog', 'Groep 5']] });
    const delta = rec({ id: 'L-1', family: 'Bakker', rel: [['OBS De Regenboog', 'Groep 5', '', '2026-12-31']] });
    expect(mergeDelta(stored, delta).relations).toEqual([{ organisation: 'OBS De Regenboog', group: 'Groep 5', startDate: null, endDate: '2026-12-31' }]);
  });

  it('drops an organisation-only relation where a group of that organisation is known, and keeps it elsewhere', () => {
    const stored = rec({
      id: 'L-1',
      family: 'Bakker',
      rel: [
        ['OBS De Regenboog', ''],
        ['SBO De Wissel', ''],
      ],
    });
    const delta = rec({ id: 'L-1', family: 'Bakker', rel: [['OBS De Regenboog', 'Groep 5']] });
    const orgs = mergeDelta(stored, delta).relations.map((r) => `${r.organisation}/${r.group}`);
    expect(orgs.sort()).toEqual(['OBS De Regenboog/Groep 5', 'SBO De Wissel/']);
  });

  it('keeps many relations in one pass (a school with 500 groups)', () => {
    const groups: [string, string][] = Array.from({ length: 500 }, (_, i) => ['OBS De Regenboog', `Groep ${i}`]);
    const stored = rec({ id: 'L-1', family: 'Bakker', rel: [...groups, ['OBS De Regenboog', '']] });
    const delta = rec({ id: 'L-1', family: 'Bakker', rel: [['OBS De Regenboog', 'Groep 500']] });
    expect(mergeDelta(stored, delta).relations).toHaveLength(501);
  });
});
