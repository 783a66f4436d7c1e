/**
 * Numbers as people read them are grouped by hand (src/i18n/numbers.ts), so that a short command loads no
 * locale data: it must write exactly what toLocaleString writes, in English and in Dutch, for every
 * number, the edges of whole numbers included.
 */
import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { grouped } from '../../src/i18n/numbers.js';
import { CATALOGUES } from '../../src/i18n/index.js';

const LOCALES = ['en-US', 'nl-NL'] as const;

describe('numbers grouped by hand', () => {
  it.each(LOCALES)('are what toLocaleString writes for whole numbers (%s)', (locale) => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => grouped(n, locale) === n.toLocaleString(locale)),
      { numRuns: 2000 },
    );
    for (const n of [0, 1, -1, 999, 1000, -1000, 9999, 10_000, 999_999, 1_000_000, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
      expect(grouped(n, locale)).toBe(n.toLocaleString(locale));
    }
  });

  it.each(LOCALES)('leave every other number to toLocaleString (%s)', (locale) => {
    for (const n of [-0, 0.5, 1234.5678, -1e21, 2 ** 53, 2 ** 53 + 2, Infinity, -Infinity, NaN]) expect(grouped(n, locale)).toBe(n.toLocaleString(locale));
    fc.assert(
      fc.property(fc.double(), (n) => grouped(n, locale) === n.toLocaleString(locale)),
      { numRuns: 500 },
    );
  });

  it('group as each language does', () => {
    expect(grouped(1_000_000, 'en-US')).toBe('1,000,000');
    expect(grouped(1_000_000, 'nl-NL')).toBe('1.000.000');
    expect(grouped(-1234, 'nl-NL')).toBe('-1.234');
  });
});

describe('counts in the messages', () => {
  it('are grouped in both languages, as the README shows them ("30 of about 18,000 active accounts")', () => {
    const page = { shown: 30, total: 18_000, estimated: true, status: 'active' as const };
    expect(CATALOGUES.en.usersCount(page)).toBe('30 of about 18,000 active accounts');
    expect(CATALOGUES.nl.usersCount(page)).toBe('30 van ongeveer 18.000 actieve accounts');
    expect(CATALOGUES.en.usersCount({ shown: 20, total: 1_000_000, estimated: false, status: 'active' })).toBe('20 of 1,000,000 active accounts');
    const pending = { created: 1_200, updated: 0, deactivated: 3, reactivated: 0, deleted: 0, unchanged: 998_797 };
    expect(CATALOGUES.en.targetPending(pending)).toBe('1,200 to create, 0 to update, 3 to deactivate, 0 to reactivate, 0 to remove; 998,797 in line');
    expect(CATALOGUES.en.stopDeletes({ n: 1_250, per: [{ source: 'hr', n: 1_250 }], max: 1_000 })).toBe(
      'it would delete 1,250 accounts (1,250 linked to hr), more than the limit of 1,000',
    );
  });
});
