/**
 * Whole numbers grouped by hand (1,000,000 and 1.000.000), exactly as `toLocaleString` groups them in
 * English and Dutch: `toLocaleString` loads the locale data first, 10–25 ms of a short command on this
 * project's machine, which a page of a list (“1–50 of 10,000 entries”) would pay at every start. Any other
 * number (a fraction, -0, one past 2^53) is left to `toLocaleString`.
 */
export function grouped(n: number, locale: 'en-US' | 'nl-NL'): string {
  if (Number.isSafeInteger(n) && !Object.is(n, -0)) return String(n).replace(/\B(?=(\d{3})+$)/g, locale === 'nl-NL' ? '.' : ',');
  return n.toLocaleString(locale);
}
