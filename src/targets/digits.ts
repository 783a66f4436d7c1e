/**
 * A non-negative whole number below 2^53 written as ASCII digits into a buffer, as Number#toString(radix)
 * writes it, with no string made: the file targets' ids (base 10) and the plan id's hashes (base 36) are
 * written this way a million times a publish. A number past 31 bits is cut in two below it (by the
 * radix's largest power under 2^31, exactly: both parts are whole), so that every digit is worked out
 * with 32-bit integer arithmetic rather than a floating-point division.
 */
export function writeDigits(buf: Uint8Array, at: number, n: number, radix: number): number {
  if (n <= 0x7fffffff) return writeSmall(buf, at, n, radix);
  const unit = radix === 10 ? 1e9 : radix === 36 ? 60466176 : radix;
  const width = radix === 10 ? 9 : radix === 36 ? 5 : 1;
  const low = n % unit;
  const end = writeDigits(buf, at, (n - low) / unit, radix);
  return writePadded(buf, end, low, radix, width);
}

function digit(d: number): number {
  return d < 10 ? 0x30 + d : 0x57 + d;
}

/** n below 2^31. */
function writeSmall(buf: Uint8Array, at: number, n: number, radix: number): number {
  let digits = 1;
  for (let m = n; m >= radix; m = (m / radix) | 0) digits++;
  return writePadded(buf, at, n, radix, digits);
}

/** n below 2^31 in exactly `width` digits (leading zeros). */
function writePadded(buf: Uint8Array, at: number, n: number, radix: number, width: number): number {
  const end = at + width;
  for (let u = end - 1; u >= at; u--) {
    const q = (n / radix) | 0;
    buf[u] = digit(n - q * radix);
    n = q;
  }
  return end;
}
