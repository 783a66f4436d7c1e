/**
 * A non-negative whole number below 2^53 written as ASCII digits into a buffer, as Number#toString(radix)
 * writes it, with no string made: the file targets' ids (base 10) and the plan id's hashes (base 36) are
 * written this way a million times a publish. One division per digit: the remainder, then the exact
 * quotient.
 */
export function writeDigits(buf: Uint8Array, at: number, n: number, radix: number): number {
  let digits = 1;
  for (let m = n; m >= radix; m = (m - (m % radix)) / radix) digits++;
  const end = at + digits;
  let u = end;
  do {
    const d = n % radix;
    buf[--u] = d < 10 ? 0x30 + d : 0x57 + d;
    n = (n - d) / radix;
  } while (n > 0);
  return end;
}
