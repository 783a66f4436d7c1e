import { describe, expect, it } from '@jest/globals';
import { BasishubError } from '../../src/errors.js';
import { compileDateFormat, exportDate, parseDate } from '../../src/sources/dates.js';

describe('parseDate without a format', () => {
  it.each([
    ['2026-08-01', '2026-08-01'],
    ['2026-8-1', '2026-08-01'],
    ['2026-08-01T00:00:00Z', '2026-08-01'],
    ['2026-08-01T10:15:30.123+02:00', '2026-08-01'],
    ['2026-08-01 10:15', '2026-08-01'],
    ['01-08-2026', '2026-08-01'],
    ['1-8-2026', '2026-08-01'],
    ['01/08/2026', '2026-08-01'],
    ['01.08.2026', '2026-08-01'],
    ['01-08-2026 00:00:00', '2026-08-01'],
    ['20260801', '2026-08-01'],
    ['  2026-08-01  ', '2026-08-01'],
    ['29-02-2024', '2024-02-29'],
    ['2000-02-29', '2000-02-29'],
    ['9999-12-31', '9999-12-31'],
  ])('%s -> %s', (input, expected) => {
    expect(parseDate(input)).toBe(expected);
  });

  it.each([
    '31-02-2026',
    '29-02-2026',
    '1900-02-29',
    '2026-13-01',
    '2026-00-10',
    '00-01-2026',
    '32-01-2026',
    '20261301',
    'morgen',
    '2026-08',
    '01-08/2026',
    '2026-08-01T25',
    '1-8-26',
    '12345',
  ])('%s is not a date', (input) => {
    expect(parseDate(input)).toBeNull();
  });

  it('empty is empty', () => {
    expect(parseDate('')).toBe('');
    expect(parseDate('   ')).toBe('');
  });
});

describe('parseDate with a format', () => {
  it.each([
    ['dd-MM-yyyy', '01-08-2026', '2026-08-01'],
    ['MM/dd/yyyy', '08/01/2026', '2026-08-01'],
    ['M/d/yyyy', '8/1/2026', '2026-08-01'],
    ['yyyyMMdd', '20260801', '2026-08-01'],
    ['d-M-yyyy', '1-8-2026', '2026-08-01'],
    ['d-M-yyyy', '15-12-2026', '2026-12-15'],
    ['dd.MM.yyyy', '01.08.2026 08:00', '2026-08-01'],
  ])('%s: %s -> %s', (format, input, expected) => {
    expect(parseDate(input, format)).toBe(expected);
  });

  it('is strict about the format', () => {
    expect(parseDate('2026-08-01', 'dd-MM-yyyy')).toBeNull();
    expect(parseDate('1-8-2026', 'dd-MM-yyyy')).toBeNull();
    expect(parseDate('02/30/2026', 'MM/dd/yyyy')).toBeNull();
    expect(parseDate('01x08x2026', 'dd.MM.yyyy')).toBeNull();
  });

  it('a format it does not understand is a usage error', () => {
    for (const f of ['dd-MM-yy', 'HH:mm', 'dd-MM', 'yyyy-MM-dd-dd']) {
      let err: unknown;
      try {
        compileDateFormat(f);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(BasishubError);
      expect((err as BasishubError).code).toBe('USAGE');
    }
  });
});

describe('date formats in either spelling', () => {
  it.each([
    ['dd-mm-yyyy', '01-08-2026', '2026-08-01'],
    ['DD-MM-YYYY', '01-08-2026', '2026-08-01'],
    ['dd-MM-yyyy', '15-12-2026 08:30', '2026-12-15'],
    ['mm/dd/yyyy', '08/01/2026', '2026-08-01'],
    ['yyyymmdd', '20260801', '2026-08-01'],
    ['d-m-yyyy', '1-8-2026', '2026-08-01'],
    ['dd-mm-yyyy HH:mm', '01-08-2026 14:45', '2026-08-01'],
    ['yyyy-mm-dd hh:mm:ss', '2026-08-01 09:05:59', '2026-08-01'],
  ])('%s: %s -> %s', (format, input, expected) => {
    expect(parseDate(input, format)).toBe(expected);
  });

  it('reads mm as the month until an hour token stands before it (then it is minutes)', () => {
    // Were the second mm a month, 14:45 would fail and 01-08 could be read as January.
    expect(parseDate('01-08-2026 14:45', 'dd-mm-yyyy HH:mm')).toBe('2026-08-01');
    expect(parseDate('01-08-2026 1445', 'dd-mm-yyyy HH:mm')).toBeNull(); // the colon is literal
  });

  it('is as strict in lower case as in the other spelling', () => {
    expect(parseDate('2026-08-01', 'dd-mm-yyyy')).toBeNull();
    expect(parseDate('1-8-2026', 'dd-mm-yyyy')).toBeNull();
    expect(parseDate('31-02-2026', 'dd-mm-yyyy')).toBeNull();
    expect(parseDate('01-08-2026', 'dd-mm-yyyy HH:mm')).toBeNull(); // the format asks for a time
  });

  it('refuses a format without a month, or with seconds but no hour', () => {
    for (const f of ['dd-yyyy', 'dd-mm-yyyy ss', 'yyyy-mm-mm', 'dd-mmm-yyyy', 'dd-mm-yy']) {
      expect(() => compileDateFormat(f)).toThrow(BasishubError);
    }
    expect(() => compileDateFormat('dd-mm-yyyy')).not.toThrow();
  });
});

describe('exportDate', () => {
  it('names file, line and field of an invalid date', () => {
    let err: unknown;
    try {
      exportDate('31-02-2026', null, 'hr.csv', 7, 'endDate');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BasishubError);
    expect((err as BasishubError).code).toBe('INVALID_EXPORT');
    expect((err as BasishubError).message).toBe('hr.csv:7: endDate "31-02-2026" is not a valid date (expected YYYY-MM-DD, dd-mm-yyyy or yyyyMMdd)');
  });

  it('passes empty through and normalises the rest', () => {
    expect(exportDate('', null, 'f', 1, 'startDate')).toBe('');
    expect(exportDate('20260801', null, 'f', 1, 'startDate')).toBe('2026-08-01');
  });
});
