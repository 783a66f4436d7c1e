/**
 * The foundation's conventions, in one place: Dutch sorting, the Dutch calendar day and clock
 * (Europe/Amsterdam, summer time included, through Intl), and the dates people type. JSON keeps ISO
 * instants; what people read and type is Dutch.
 */
import { usageError } from './errors.js';
import { t } from './i18n/index.js';

export const TIME_ZONE = 'Europe/Amsterdam';

/**
 * How Dutch readers sort: Çelik beside Celik, Öztürk beside Oz…, not after Z; "10" after "9". Made on
 * first use, as the clock below: loading the locale data costs a start that needs neither.
 */
let collator: Intl.Collator | undefined;

/**
 * Letters of A–Z, digits, spaces and the punctuation of names, schools and groups only, as most are
 * (Gert-Jan, D'Hondt, Groep 8, Groep 1/2, St. Jozef, Kind & Co). The collator puts spaces first, then
 * these marks in the order of PUNCTUATION, then digits, then letters.
 */
const PLAIN = /^[A-Za-z0-9 _\-,;:!?.'"()/&+]*$/;

/** The space and the marks PLAIN allows, in the collator's order (a test holds them to it). */
export const PUNCTUATION = ` _-,;:!?.'"()/&+`;
const MARKS = /[ _\-,;:!?.'"()/&+]/g;
/** Each as a character below the digits, in that order (a space as \x01, an underscore as \x02…). */
const markKey = (c: string) => String.fromCharCode(1 + PUNCTUATION.indexOf(c));

/**
 * What a plain name sorts as: lower case, each mark as a character below the digits in the collator's
 * order (a space first), without diacritics (Chloë → chloe: the collator's base order ignores them);
 * undefined for any other name.
 */
function plainKey(name: string): string | undefined {
  let plain = PLAIN.test(name) ? name : undefined;
  if (plain === undefined) {
    const bare = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if (PLAIN.test(bare)) plain = bare;
  }
  return plain?.toLowerCase().replace(MARKS, markKey);
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Two plain keys in the collator's order: by character code, except that a run of digits compares as
 * its number (Groep 9 before Groep 10; 08 as 8). Undefined for a run too long to be a number here.
 */
function comparePlain(x: string, y: string): number | undefined {
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const a = x.charCodeAt(i);
    const b = y.charCodeAt(j);
    if (isDigit(a) && isDigit(b)) {
      let ei = i;
      let ej = j;
      while (ei < x.length && isDigit(x.charCodeAt(ei))) ei++;
      while (ej < y.length && isDigit(y.charCodeAt(ej))) ej++;
      if (ei - i > 15 || ej - j > 15) return undefined;
      const d = Number(x.slice(i, ei)) - Number(y.slice(j, ej));
      if (d !== 0) return d;
      i = ei;
      j = ej;
    } else if (a !== b) {
      return a - b;
    } else {
      i++;
      j++;
    }
  }
  return x.length - i - (y.length - j);
}

/** Sorts two names as a Dutch reader does. */
export function compareDutch(a: string, b: string): number {
  // Two plain names: the collator's order is that of their keys (a test holds the two together), so a
  // page of such names is sorted without the collator's locale data (6–25 ms of a short command; a
  // search's page has a Chloë, a Gert-Jan, a D'Hondt or a Groep 8 in most lists).
  const x = plainKey(a);
  const y = plainKey(b);
  const plain = x !== undefined && y !== undefined ? comparePlain(x, y) : undefined;
  if (plain !== undefined) return plain;
  collator ??= new Intl.Collator('nl', { sensitivity: 'base', numeric: true });
  return collator.compare(a, b);
}

/** Sorts people by family name, then given name, then id, as a Dutch list reads. */
export function byDutchName<T extends { familyName: string; givenName: string; id: number }>(a: T, b: T): number {
  return compareDutch(a.familyName, b.familyName) || compareDutch(a.givenName, b.givenName) || a.id - b.id;
}

let parts: Intl.DateTimeFormat | undefined;
/** The fields of the Dutch clock as Intl gives them (a test holds the EU rule below to these). */
export const PARTS: Intl.DateTimeFormatOptions = {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
};

/** The last instant asked for and its fields: a list shows the same time (a sync's) thousands of times. */
let last: { ms: number; out: Record<string, string> } | undefined;

function fields(d: Date): Record<string, string> {
  if (last?.ms === d.getTime()) return { ...last.out };
  const out = euFields(d.getTime()) ?? intlFields(d);
  last = { ms: d.getTime(), out: { ...out } };
  return out;
}

function intlFields(d: Date): Record<string, string> {
  const out: Record<string, string> = {};
  parts ??= new Intl.DateTimeFormat('en-GB', PARTS);
  for (const p of parts.formatToParts(d)) out[p.type] = p.value;
  return out;
}

/**
 * Amsterdam's clock by the EU's summer-time rule, which the zone has kept since 1996 (from the last
 * Sunday of March to the last Sunday of October, both at 01:00 UTC): the same fields as Intl, without
 * loading the zone data (a tenth of a short command's time). Other years go through Intl.
 */
function euFields(ms: number): Record<string, string> | undefined {
  const year = new Date(ms).getUTCFullYear();
  if (Number.isNaN(ms) || year < 1996 || year > 2099) return undefined;
  const lastSunday = (month: number) => {
    const end = new Date(Date.UTC(year, month + 1, 0, 1));
    return end.getTime() - end.getUTCDay() * 86_400_000;
  };
  const summer = ms >= lastSunday(2) && ms < lastSunday(9);
  const l = new Date(ms + (summer ? 2 : 1) * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    year: String(l.getUTCFullYear()),
    month: two(l.getUTCMonth() + 1),
    day: two(l.getUTCDate()),
    hour: two(l.getUTCHours()),
    minute: two(l.getUTCMinutes()),
    second: two(l.getUTCSeconds()),
  };
}

function toDate(at: Date | string): Date {
  return typeof at === 'string' ? new Date(at) : at;
}

/** YYYY-MM-DD of an instant in Dutch time: 00:30 in Amsterdam belongs to the new day. */
export function dutchDay(at: Date | string): string {
  const f = fields(toDate(at));
  return `${f.year}-${f.month}-${f.day}`;
}

/** "2026-12-01 00:30" in Dutch time (seconds with `seconds`): what people read instead of `…Z`. */
export function dutchDateTime(at: Date | string | null, seconds = false): string {
  if (at === null || at === '') return '';
  const d = toDate(at);
  if (Number.isNaN(d.getTime())) return String(at);
  const f = fields(d);
  return `${f.year}-${f.month}-${f.day} ${f.hour}:${f.minute}${seconds ? `:${f.second}` : ''}`;
}

/** The instant at which a Dutch calendar day begins (for `--since <date>`). */
export function dutchDayStart(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  // The zone's offset at that moment (+1 h in winter, +2 h in summer); midnight is never in a DST gap here.
  const offset = (at: number) => {
    const f = fields(new Date(at));
    return Date.UTC(Number(f.year), Number(f.month) - 1, Number(f.day), Number(f.hour), Number(f.minute), Number(f.second)) - at;
  };
  let at = guess - offset(guess);
  at = guess - offset(at);
  return new Date(at).toISOString();
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export const DATE_FORMS = 'YYYY-MM-DD or dd-mm-yyyy';

/**
 * A calendar date as people type it: `2027-01-31`, or Dutch `31-01-2027` (also `31/1/2027`,
 * `31.01.2027`). Returns YYYY-MM-DD; a date that does not exist (31-02-2027) is refused. `label` names
 * where it came from (a flag, a column); without one the message names only the value (a prompt).
 */
export function parseTypedDate(value: string, label?: string): string {
  const v = value.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v);
  let y: number, mo: number, d: number;
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$/.exec(v))) [y, mo, d] = [Number(m[4]), Number(m[3]), Number(m[1])];
  else throw usageError(t.notADate({ label, value }));
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) throw usageError(t.noSuchDate({ label, value }));
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
