/**
 * The Dutch clock (src/dutch.ts) computes Amsterdam time by the EU summer-time rule instead of loading
 * the zone data: it must agree with Intl's Europe/Amsterdam on every instant, around every switch.
 */
import { describe, expect, it } from '@jest/globals';
import { dutchDateTime, dutchDay, PARTS } from '../../src/dutch.js';

const intl = new Intl.DateTimeFormat('en-GB', PARTS);
function byIntl(ms: number): string {
  const f: Record<string, string> = {};
  for (const p of intl.formatToParts(new Date(ms))) f[p.type] = p.value;
  return `${f.year}-${f.month}-${f.day} ${f.hour}:${f.minute}:${f.second}`;
}

describe('the Dutch clock', () => {
  it('agrees with Intl around every summer-time switch from 1996 to 2040, and on New Year', () => {
    const instants: number[] = [];
    for (let y = 1996; y <= 2040; y++) {
      for (const month of [2, 9]) {
        // Every 15 minutes over the last 8 days of March and October (the switch is on the last Sunday).
        const from = Date.UTC(y, month, 24);
        for (let ms = from; ms < from + 8 * 86_400_000; ms += 15 * 60_000) instants.push(ms, ms + 59_999);
      }
      instants.push(Date.UTC(y, 0, 1) - 1, Date.UTC(y, 0, 1), Date.UTC(y - 1, 11, 31, 23, 30));
    }
    const wrong = instants.filter((ms) => dutchDateTime(new Date(ms), true) !== byIntl(ms));
    expect(wrong.map((ms) => new Date(ms).toISOString())).toEqual([]);
  });

  it('gives the Dutch calendar day: 00:30 in Amsterdam belongs to the new day, in winter and summer', () => {
    expect(dutchDay('2026-11-30T23:30:00.000Z')).toBe('2026-12-01');
    expect(dutchDay('2026-06-30T22:30:00.000Z')).toBe('2026-07-01');
    expect(dutchDay('2026-06-30T21:30:00.000Z')).toBe('2026-06-30');
  });

  it('years outside the rule still go through Intl, and a bad date stays as typed', () => {
    expect(dutchDateTime('1990-07-01T12:00:00.000Z')).toBe(byIntl(Date.UTC(1990, 6, 1, 12)).slice(0, 16));
    expect(dutchDateTime('2150-01-01T12:00:00.000Z')).toBe(byIntl(Date.UTC(2150, 0, 1, 12)).slice(0, 16));
    expect(dutchDateTime('gisteren')).toBe('gisteren');
  });
});
