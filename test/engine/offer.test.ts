/**
 * R2 offered (src/engine/offer.ts): a record is offered while one of its relations is current.
 */
import { describe, expect, it } from '@jest/globals';
import { addDays, isOffered, nextOfferChange, offeredOn, relationCurrent } from '../../src/engine/offer.js';
import { rec } from '../helpers/memory.js';

const TODAY = '2026-11-29';

describe('R2 offered', () => {
  it('counts a relation that started and has not ended, including on its first and last day', () => {
    expect(relationCurrent({ organisation: 'OBS De Regenboog', group: 'Groep 3', startDate: TODAY, endDate: TODAY }, TODAY)).toBe(true);
    expect(relationCurrent({ organisation: 'OBS De Regenboog', group: 'Groep 3', startDate: null, endDate: null }, TODAY)).toBe(true);
  });

  it('does not count a relation that starts tomorrow or ended yesterday', () => {
    expect(relationCurrent({ organisation: 'OBS De Regenboog', group: '', startDate: '2026-11-30', endDate: null }, TODAY)).toBe(false);
    expect(relationCurrent({ organisation: 'OBS De Regenboog', group: '', startDate: null, endDate: '2026-11-28' }, TODAY)).toBe(false);
  });

  it('does not offer a record without any relation (a person between groups)', () => {
    const sanne = rec({ id: 'L-4411', given: 'Sanne', prefix: 'van der', family: 'Berg' });
    expect(isOffered(sanne, TODAY)).toBe(false);
    expect(offeredOn(TODAY)(sanne)).toBe(false);
  });

  it('offers a record with one current relation among ended ones', () => {
    const r = rec({
      id: '10234',
      family: 'Vries',
      rel: [
        ['SBO De Wissel', '', '', '2025-07-31'],
        ['OBS De Regenboog', 'Directie'],
      ],
    });
    expect(isOffered(r, TODAY)).toBe(true);
  });

  it('names the first day on which the offer may change: a start to come, or the day after an end', () => {
    const r = rec({
      id: '10234',
      family: 'Vries',
      rel: [
        ['OBS De Regenboog', 'Groep 8', '', '2026-12-31'],
        ['SBO De Wissel', '', '2026-12-15'],
      ],
    });
    expect(nextOfferChange(r, TODAY)).toBe('2026-12-15');
    expect(nextOfferChange(rec({ id: '1', family: 'Bakker', rel: [['OBS', 'A']] }), TODAY)).toBeNull();
  });

  it('adds days across a month and a year, and zero days gives the same day', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-02-28', 14)).toBe('2026-03-14');
    expect(addDays(TODAY, 0)).toBe(TODAY);
  });
});
