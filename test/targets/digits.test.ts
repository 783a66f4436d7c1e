import { describe, expect, it } from '@jest/globals';
import { writeDigits } from '../../src/targets/digits.js';

describe('writeDigits: a number as Number#toString(radix) writes it, into a buffer', () => {
  const cases = [
    0,
    1,
    9,
    10,
    35,
    36,
    99,
    100,
    1295,
    1296,
    123456789,
    2 ** 31,
    2 ** 32 + 7,
    2 ** 53 - 1,
    2 ** 31 - 1,
    2 ** 31 + 1,
    3e9 + 5,
    1e18 / 1e3,
    60466176 * 7,
    60466176 * 36 ** 2 + 35,
    2 ** 52 + 1,
  ];
  it.each([10, 36])('base %i, at an offset, returning the end', (radix) => {
    for (const n of cases) {
      const buf = new Uint8Array(80).fill(0x2e);
      const end = writeDigits(buf, 3, n, radix);
      const text = n.toString(radix);
      expect(end).toBe(3 + text.length);
      expect(Buffer.from(buf.subarray(3, end)).toString('latin1')).toBe(text);
      expect([buf[2], buf[end]]).toEqual([0x2e, 0x2e]); // nothing written outside its digits
    }
  });

  it.each([10, 36])('base %i, for numbers of every size below 2^53 (as toString writes them)', (radix) => {
    const buf = new Uint8Array(80);
    let seed = 12345;
    for (let i = 0; i < 20_000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const n = Math.floor((seed / 2 ** 32) * 2 ** (1 + (i % 53)));
      const end = writeDigits(buf, 0, n, radix);
      expect(Buffer.from(buf.subarray(0, end)).toString('latin1')).toBe(n.toString(radix));
    }
  });
});
