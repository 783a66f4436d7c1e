import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkExport, readerFor, readExport } from '../../src/sources/index.js';
import { offeredOn } from '../../src/engine/offer.js';
import { DUTCH_MAP, fixture, invalid, settings, tempDir } from './helpers.js';

describe('readerFor', () => {
  it('gives the reader of each format (wrapped to refuse an export that changes while it is read)', async () => {
    const cases: [Parameters<typeof readerFor>[0], string][] = [
      ['csv', fixture('formats/personeel-semicolon-bom.csv')],
      ['json', fixture('formats/personen.json')],
      ['sds-v1', fixture('microsoft-sds/v1-100-users')],
      ['sds-v2.1', fixture('microsoft-sds/v2.1')],
      ['oneroster-1.1', fixture('oneroster/bulk.zip')],
    ];
    for (const [format, path] of cases) {
      const info = await readerFor(format)(path, settings({ format, map: format === 'csv' ? DUTCH_MAP : {} }), () => undefined);
      expect(info.detected.format).toBe(format);
    }
    expect(() => readerFor('xlsx' as never)).toThrow(/unknown export format/);
  });
});

describe('checkExport (sources check)', () => {
  it('a good export: counts, organisations, not offered, detected settings', async () => {
    const path = fixture('formats/personeel-semicolon-bom.csv');
    const report = await checkExport(path, settings({ map: DUTCH_MAP }), offeredOn('2026-01-15'));
    expect(report).toMatchObject({
      path,
      complete: true,
      partial: false,
      records: 8,
      rows: 9,
      notOffered: 1,
      notOfferedSample: ['10925'],
      problems: [],
    });
    expect(report.organisations).toEqual({ 'OBS De Regenboog': 3, 'CBS Het Kompas': 2, 'IKC De Vlinder': 2 });
    expect(report.detected).toMatchObject({ format: 'csv', delimiter: ';', encoding: 'utf-8', bom: true });
    expect(report.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(report.warnings).toContain('delimiter detected: semicolon');
  });

  it('reports every row problem with its line and reads on', async () => {
    const dir = tempDir();
    const p = join(dir, 'many-problems.csv');
    writeFileSync(
      p,
      [
        'externalId,givenName,familyName,role,organisation,startDate',
        '1,Jan,Jansen,staff,OBS A,2025-08-01',
        '2,Anna,Smit,staff,OBS A,31-02-2026',
        '3,Piet,Bakker,staff,OBS A,2025-08-01,extra',
        '1,Jan,Janssen,staff,OBS A,',
        '4,Kees,Bos,directeur,OBS A,',
        ',Els,Visser,staff,OBS B,',
        '5,Ria,Mol,student,OBS B,2027-01-01',
      ].join('\n') + '\n',
    );
    const report = await checkExport(p, settings(), offeredOn('2026-01-15'));
    expect(report.complete).toBe(true);
    expect(report.problems.map((x) => [x.file, x.line])).toEqual([
      [p, 3],
      [p, 4],
      [p, 5],
      [p, 6],
      [p, 7],
    ]);
    expect(report.problems[0]!.message).toBe('startDate "31-02-2026" is not a valid date (expected YYYY-MM-DD, dd-mm-yyyy or yyyyMMdd)');
    expect(report.problems[2]!.message).toContain('other personal details than on line 2');
    expect(report.records).toBe(2);
    expect(report.notOfferedSample).toEqual(['5']);
    // the same export stops a sync at the first problem
    const err = await invalid(readExport(p, settings()));
    expect(err.message).toContain(`${p}:3:`);
  });

  it('a fatal problem ends the reading and is reported, not thrown', async () => {
    const p = fixture('bad/broken-quoting.csv');
    const report = await checkExport(p, settings(), offeredOn('2026-01-15'));
    expect(report.complete).toBe(false);
    expect(report.problems).toEqual([{ file: p, line: 3, message: 'broken quoting: a quoted field that starts here is never closed' }]);
    expect(report.records).toBe(1);
    expect(report.checksum).toBeNull();
  });

  it('a missing file is a problem without a line', async () => {
    const p = fixture('bad/nothing-here.csv');
    const report = await checkExport(p, settings(), offeredOn('2026-01-15'));
    expect(report.problems).toEqual([{ file: p, line: null, message: 'the file does not exist' }]);
    expect(report.records).toBe(0);
    expect(report.detected).toEqual({ format: 'csv' });
  });

  it('JSON: a bad object is reported and the next ones are read', async () => {
    const report = await checkExport(fixture('bad/invalid-json-object.ndjson'), settings({ format: 'json' }), offeredOn('2026-01-15'));
    expect(report.complete).toBe(true);
    expect(report.problems.map((x) => x.line)).toEqual([2]);
    expect(report.records).toBe(1);
  });
});
