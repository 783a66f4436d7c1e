/**
 * Relation dates (startDate, endDate) to YYYY-MM-DD. Without a configured format: ISO `2026-08-01`
 * (also with a time part), Dutch `01-08-2026` (also `1-8-2026`, with `/` or `.`), and `20260801`. A
 * source may set a format such as `dd-mm-yyyy`, `mm/dd/yyyy`, `yyyymmdd` or `d-m-yyyy`: the tokens
 * yyyy, mm, m, dd and d, in either case (`dd-MM-yyyy` is the same format); anything else is literal.
 * `mm` is the month, unless an hour token (HH, H, hh, h) stands before it: `dd-mm-yyyy HH:mm` reads the
 * second `mm` as minutes. Without time tokens, a time after the date is accepted and ignored. A date that
 * does not exist (31-02-2026) or is not a date makes the export invalid, naming the line.
 */
import { invalidExport, usageError } from '../errors.js';
import { msg } from '../i18n/message.js';
import { t as texts } from '../i18n/index.js';

/** A time after the date: `T10:00`, ` 10:00:00`, `T10:00:00.000Z`, `T10:00+02:00`. */
const TIME = String.raw`(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?`;
const ISO = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})${TIME}$`);
const DUTCH = new RegExp(String.raw`^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})${TIME}$`);
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** YYYY-MM-DD for a real date, else null. */
function ymd(year: number, month: number, day: number): string | null {
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

interface CompiledFormat {
  re: RegExp;
  year: number;
  month: number;
  day: number;
}

const compiled = new Map<string, CompiledFormat>();

const TOKENS = /yyyy|mm?|dd?|hh?|ss|[a-z]+|[^a-z]/gi;

/** The pattern of one token of a date format, and the date part it captures (y, M, d) if any. */
function tokenPattern(format: string, token: string, afterHour: boolean): { pattern: string; part?: 'y' | 'M' | 'd'; hour?: true } {
  const t = token.toLowerCase();
  if (t === 'yyyy') return { pattern: String.raw`(\d{4})`, part: 'y' };
  if (t === 'dd' || t === 'd') return { pattern: t === 'dd' ? String.raw`(\d{2})` : String.raw`(\d{1,2})`, part: 'd' };
  if (t === 'mm' || t === 'm') {
    // Minutes after an hour, else the month.
    if (afterHour) return { pattern: t === 'mm' ? String.raw`\d{2}` : String.raw`\d{1,2}` };
    return { pattern: t === 'mm' ? String.raw`(\d{2})` : String.raw`(\d{1,2})`, part: 'M' };
  }
  if (t === 'hh' || t === 'h') return { pattern: t === 'hh' ? String.raw`\d{2}` : String.raw`\d{1,2}`, hour: true };
  if (t === 'ss' && afterHour) return { pattern: String.raw`\d{2}` };
  if (/[a-z]/i.test(t)) {
    throw usageError(texts.readDateFormatToken({ format, token }), texts.readDateFormatTokenHint());
  }
  return { pattern: token.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&') };
}

/** Turns a format like `dd-mm-yyyy` into a pattern; throws USAGE for a format it does not understand. */
export function compileDateFormat(format: string): CompiledFormat {
  const hit = compiled.get(format);
  if (hit !== undefined) return hit;
  let pattern = '^';
  let afterHour = false;
  const groups: string[] = [];
  for (const m of format.matchAll(TOKENS)) {
    const t = tokenPattern(format, m[0], afterHour);
    pattern += t.pattern;
    if (t.hour) afterHour = true;
    if (t.part !== undefined) groups.push(t.part);
  }
  const year = groups.indexOf('y');
  const month = groups.indexOf('M');
  const day = groups.indexOf('d');
  if (year < 0 || month < 0 || day < 0 || groups.length !== 3) {
    throw usageError(texts.readDateFormatParts({ format }));
  }
  // With its own time tokens the format is the whole value; without, a time may follow the date.
  const out: CompiledFormat = { re: new RegExp(pattern + (afterHour ? '' : TIME) + '$'), year: year + 1, month: month + 1, day: day + 1 };
  compiled.set(format, out);
  return out;
}

/**
 * A date as YYYY-MM-DD: '' for an empty value, null for a value that is not a date (in `format`,
 * when given).
 */
export function parseDate(value: string, format: string | null = null): string | null {
  const v = value.trim();
  if (v === '') return '';
  if (format !== null) {
    const f = compileDateFormat(format);
    const m = f.re.exec(v);
    return m === null ? null : ymd(Number(m[f.year]), Number(m[f.month]), Number(m[f.day]));
  }
  let m = ISO.exec(v);
  if (m !== null) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  m = DUTCH.exec(v);
  if (m !== null) return ymd(Number(m[4]), Number(m[3]), Number(m[1]));
  m = COMPACT.exec(v);
  if (m !== null) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  return null;
}

/** parseDate for a field of an export: a value that is not a date is INVALID_EXPORT naming the line. */
export function exportDate(value: string, format: string | null, file: string, line: number, field: string): string {
  if (value === '') return '';
  const d = parseDate(value, format);
  if (d === null) {
    throw invalidExport(file, line, msg('readBadDate', { field, value: value.trim(), format }));
  }
  return d;
}
