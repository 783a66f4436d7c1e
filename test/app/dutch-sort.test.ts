/**
 * Dutch sorting (src/dutch.ts) compares two plain names (A–Z, digits, spaces, the marks of names,
 * schools and groups such as hyphens, apostrophes, slashes and full stops, and letters with diacritics)
 * without the collator, so that a
 * page of such names loads no locale data: the order must be the collator's, for every pair, and a list
 * that mixes plain names with others (Çelik, 't Hart, O'Brien, Groep 10) must sort as the collator sorts it.
 */
import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { byDutchName, compareDutch, PUNCTUATION } from '../../src/dutch.js';

const collator = new Intl.Collator('nl', { sensitivity: 'base', numeric: true });
const plain = fc.string({ unit: fc.constantFrom(..."abcijkyzABCIJKYZ  -'"), maxLength: 8 });
/** Plain names with digits (Groep 8, a school's number 0482): a run of digits compares as its number. */
const numbered = fc.string({ unit: fc.constantFrom(..."abzAZ -'0012899"), maxLength: 10 });
const any = fc.string({ unit: fc.constantFrom(..."aAbzZ ij-'.0129çÇöÖéĳëËøßİ"), maxLength: 8 });
/** Groups and schools with marks: Groep 1/2, St. Jozef, Kind & Co (Noord), OBS De Vlinder, locatie 2. */
const marked = fc.string({ unit: fc.constantFrom(...`abzAZ09 ${PUNCTUATION}ëÉ`), maxLength: 10 });
/** Plain letters and letters with diacritics, which compare as the plain letters without the collator. */
const accented = fc.string({ unit: fc.constantFrom(..."aAceoCEOzZ -'çÇëËéÉöÖİ"), maxLength: 8 });

describe('Dutch sorting', () => {
  it('orders two plain names as the collator does', () => {
    fc.assert(
      fc.property(plain, plain, (a, b) => Math.sign(compareDutch(a, b)) === Math.sign(collator.compare(a, b))),
      { numRuns: 5000 },
    );
  });

  it('orders two plain names with digits as the collator does (numbers by value, leading zeros ignored)', () => {
    fc.assert(
      fc.property(fc.oneof(plain, numbered), numbered, (a, b) => Math.sign(compareDutch(a, b)) === Math.sign(collator.compare(a, b))),
      { numRuns: 5000 },
    );
    expect(compareDutch('Basisschool Het Octaaf 0482', 'Basisschool Het Octaaf 482')).toBe(0);
    expect(compareDutch('Groep 8', 'Groep 10')).toBeLessThan(0);
    expect(compareDutch('Groep 1', 'Groep 1-2')).toBeLessThan(0);
  });

  it('orders two names of plain letters and letters with diacritics as the collator does', () => {
    fc.assert(
      fc.property(fc.oneof(plain, accented), fc.oneof(plain, accented), (a, b) => Math.sign(compareDutch(a, b)) === Math.sign(collator.compare(a, b))),
      { numRuns: 5000 },
    );
  });

  it('orders two names with marks as the collator does, and the marks in its order', () => {
    fc.assert(
      fc.property(fc.oneof(plain, marked), marked, (a, b) => Math.sign(compareDutch(a, b)) === Math.sign(collator.compare(a, b))),
      { numRuns: 10000 },
    );
    const marks = [...PUNCTUATION];
    expect([...marks].sort((a, b) => collator.compare(`a${a}b`, `a${b}b`))).toEqual(marks);
    expect(compareDutch('Groep 1/2', 'Groep 1-2')).toBeGreaterThan(0);
    expect(compareDutch('Groep 3/4', 'Groep 7')).toBeLessThan(0);
    expect(compareDutch('St. Jozef', 'St Jozef')).toBeGreaterThan(0);
  });

  it('orders any two names as the collator does (the others go to the collator)', () => {
    fc.assert(
      fc.property(fc.oneof(plain, any), fc.oneof(plain, any), (a, b) => Math.sign(compareDutch(a, b)) === Math.sign(collator.compare(a, b))),
      { numRuns: 5000 },
    );
  });

  it('sorts a list of real names as a Dutch reader expects', () => {
    const names = [
      'Öztürk',
      'Oz',
      'Celik',
      'Çelik',
      'de Vries',
      'Devries',
      "'t Hart",
      'Hart',
      "O'Brien",
      'Obrien',
      'Groep 10',
      'Groep 9',
      'jansen',
      'Jansen',
      'IJsselmeer',
      'Ijssel',
    ];
    const people = names.map((familyName, id) => ({ familyName, givenName: 'Anna', id }));
    const byCollator = [...people].sort((a, b) => collator.compare(a.familyName, b.familyName) || a.id - b.id);
    expect([...people].sort(byDutchName).map((p) => p.familyName)).toEqual(byCollator.map((p) => p.familyName));
    expect(compareDutch('Celik', 'Çelik')).toBe(0);
    expect(compareDutch('Groep 9', 'Groep 10')).toBeLessThan(0);
    expect(compareDutch('jansen', 'Jansen')).toBe(0);
  });
});
