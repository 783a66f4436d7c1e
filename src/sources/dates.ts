/**
 * Relation dates (startDate, endDate) to YYYY-MM-DD. Without a configured format: ISO `2026-08-01`
 * (also with a time part), Dutch `01-08-2026` (also `1-8-2026`, with `/` or `.`), and `20260801`. A
 * source may set a format such as `dd-MM-yyyy`, `MM/dd/yyyy`, `yyyyMMdd` or `d-M-yyyy` (tokens yyyy,
 * MM, M, dd, d; anything else is literal). A date that does not exist (31-02-2026) or is not a date
 * makes the export invalid, naming the line.
 */
import { invalidExport, usageError } from '../errors.js';

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

/** Turns a format like `dd-MM-yyyy` into a pattern; throws USAGE for a format it does not understand. */
export function compileDateFormat(format: string): CompiledFormat {
  const hit = compiled.get(format);
  if (hit !== undefined) return hit;
  const tokens = /yyyy|MM|M|dd|d|[A-Za-z]+|[^A-Za-z]/g;
  let pattern = '^';
  const groups: string[] = [];
  for (const m of format.matchAll(tokens)) {
    const t = m[0];
    switch (t) {
      case 'yyyy':
        pattern += String.raw`(\d{4})`;
        break;
      case 'MM':
      case 'dd':
        pattern += String.raw`(\d{2})`;
        break;
      case 'M':
      case 'd':
        pattern += String.raw`(\d{1,2})`;
        break;
      default:
        if (/[A-Za-z]/.test(t)) {
          throw usageError(`date format "${format}": "${t}" is not understood`, 'Use yyyy, MM (or M) and dd (or d), e.g. dd-MM-yyyy.');
        }
        pattern += t.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        continue;
    }
    groups.push(t[0]!);
  }
  const year = groups.indexOf('y');
  const month = groups.indexOf('M');
  const day = groups.indexOf('d');
  if (year < 0 || month < 0 || day < 0 || groups.length !== 3) {
    throw usageError(`date format "${format}" needs each of year (yyyy), month (MM) and day (dd) once`);
  }
  const out: CompiledFormat = { re: new RegExp(pattern + TIME + '$'), year: year + 1, month: month + 1, day: day + 1 };
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
    const expected = format ?? 'YYYY-MM-DD, dd-mm-yyyy or yyyyMMdd';
    throw invalidExport(file, line, `${field} "${value.trim()}" is not a valid date (expected ${expected})`);
  }
  return d;
}
