import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsv } from '../../src/sources/csv.js';
import { readExport } from '../../src/sources/index.js';
import type { ExportRow } from '../../src/sources/types.js';
import { DUTCH_MAP, expectWhere, fixture, invalid, readRows, settings, tempDir } from './helpers.js';

const PEOPLE = ['10234', '10234', '10317', '10452', '10533', '10618', '10702', '10811', '10925'];

describe('CSV reader: the Dutch HR export (semicolon, BOM, CRLF)', () => {
  const path = fixture('formats/personeel-semicolon-bom.csv');

  it('detects delimiter, encoding and BOM, and maps the Dutch columns', async () => {
    const { info, rows } = await readRows(path, settings({ map: DUTCH_MAP }));
    expect(info.detected).toEqual({
      format: 'csv',
      delimiter: ';',
      encoding: 'utf-8',
      bom: true,
      columns: ['Personeelsnummer', 'Voornaam', 'Tussenvoegsel', 'Achternaam', 'E-mailadres', 'School', 'Team'],
    });
    expect(info.partial).toBe(false);
    expect(info.warnings.map(String)).toContain('delimiter detected: semicolon');
    expect(rows.map((r) => r.externalId)).toEqual(PEOPLE);
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(rows[0]).toEqual({
      externalId: '10234',
      givenName: 'Jan',
      prefix: 'de',
      familyName: 'Vries',
      email: 'jan.devries@stichting-primair.nl',
      role: '',
      organisation: 'OBS De Regenboog',
      group: 'Bovenbouw',
      startDate: '',
      endDate: '',
      line: 2,
    });
    expect(rows[2]).toMatchObject({ givenName: 'Ingrid', prefix: 'van der', familyName: 'Berg' });
    expect(rows[3]).toMatchObject({ givenName: 'Thijs', prefix: "van 't", familyName: 'Hek', group: 'Middenbouw; groep 4/5' });
    expect(rows[4]).toMatchObject({ givenName: 'Eline', prefix: '', familyName: 'Ó Bríain' });
    expect(rows[5]!.givenName).toBe('Zoë');
    expect(rows[6]!.givenName).toBe('René');
    expect(rows[7]).toMatchObject({ givenName: 'Anaïs', organisation: 'OBS De Regenboog', group: '' });
    expect(rows[8]).toMatchObject({ givenName: 'Noor', organisation: '', group: '' });
  });

  it('computes the sha256 of the file bytes', async () => {
    const { info } = await readRows(path, settings({ map: DUTCH_MAP }));
    expect(info.checksum).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
  });

  it('collects into records: two rows of one person are one record with two relations', async () => {
    const { info, records } = await readExport(path, settings({ map: DUTCH_MAP }));
    expect(records.size).toBe(8);
    expect(records.rows).toBe(9);
    expect(records.record('10234')!.relations.map((r) => r.group)).toEqual(['Bovenbouw', 'ICT-werkgroep']);
    expect(records.record('10925')!.relations).toEqual([]);
    expect(info.detected.encoding).toBe('utf-8');
  });

  it('with the delimiter and encoding configured, warns of neither', async () => {
    const { info, rows } = await readRows(path, settings({ map: DUTCH_MAP, delimiter: ';', encoding: 'utf-8' }));
    expect(rows).toHaveLength(9);
    expect(info.warnings).toEqual([]);
  });

  it('matches mapped columns regardless of case, spaces and brackets', async () => {
    const map = { externalId: ' [PERSONEELSNUMMER] ', givenName: 'voornaam', familyName: '[achternaam]' };
    const { info, rows } = await readRows(path, settings({ map }));
    expect(rows[0]).toMatchObject({ externalId: '10234', givenName: 'Jan', familyName: 'Vries', email: '' });
    expect(info.warnings.map(String)).toContain('columns not used: Tussenvoegsel, E-mailadres, School, Team');
  });
});

describe('CSV reader: Windows-1252', () => {
  const path = fixture('formats/personeel-windows-1252.csv');
  const utf8 = fixture('formats/personeel-semicolon-bom.csv');

  it('detects Windows-1252 and gives the same rows as the UTF-8 file', async () => {
    const a = await readRows(path, settings({ map: DUTCH_MAP }));
    const b = await readRows(utf8, settings({ map: DUTCH_MAP }));
    expect(a.info.detected.encoding).toBe('windows-1252');
    expect(a.info.detected.bom).toBe(false);
    expect(a.rows).toEqual(b.rows);
    expect(a.rows.map((r) => r.givenName)).toEqual(['Jan', 'Jan', 'Ingrid', 'Thijs', 'Eline', 'Zoë', 'René', 'Anaïs', 'Noor']);
    expect(a.rows[4]!.familyName).toBe('Ó Bríain');
  });

  it('decodes when windows-1252 is configured', async () => {
    const { info, rows } = await readRows(path, settings({ map: DUTCH_MAP, encoding: 'windows-1252' }));
    expect(info.detected.encoding).toBe('windows-1252');
    expect(rows[6]!.givenName).toBe('René');
  });

  it('is INVALID_EXPORT with utf-8 configured, naming the first line that is not UTF-8', async () => {
    const err = await invalid(readRows(path, settings({ map: DUTCH_MAP, encoding: 'utf-8' })));
    expectWhere(err, path, 6); // Ó Bríain
    expect(err.message).toContain('not valid UTF-8');
  });

  it('Windows-1252 quotes and euro signs (bytes 0x80–0x9F) come out right', async () => {
    const dir = tempDir();
    const p = join(dir, 'smart.csv');
    writeFileSync(
      p,
      Buffer.concat([
        Buffer.from('externalId;givenName;prefix;familyName\r\n1;Thijs;van '),
        Buffer.from([0x92]),
        Buffer.from('t;Hek\r\n2;Ana;;'),
        Buffer.from([0x8a, 0x69, 0x6d, 0x69, 0xe6]),
        Buffer.from('\r\n'),
      ]),
    );
    const { info, rows } = await readRows(p, settings());
    expect(info.detected.encoding).toBe('windows-1252');
    expect(rows.map((r) => [r.prefix, r.familyName])).toEqual([
      ['van ’t', 'Hek'],
      ['', 'Šimiæ'],
    ]);
  });

  it('a UTF-8 file read as windows-1252 warns that it looks like UTF-8', async () => {
    const dir = tempDir();
    const p = join(dir, 'utf8.csv');
    writeFileSync(p, 'externalId,givenName\n1,Zoë\n');
    const { info, rows } = await readRows(p, settings({ encoding: 'windows-1252' }));
    expect(rows[0]!.givenName).toBe('ZoÃ«');
    expect(info.warnings.some((w) => String(w).includes('valid UTF-8 but windows-1252 is configured'))).toBe(true);
  });
});

describe('CSV reader: tab-separated, bracketed headers', () => {
  it('reads the pupils export and skips blank lines, keeping physical line numbers', async () => {
    const map = {
      externalId: 'Leerlingnummer',
      givenName: 'Roepnaam',
      prefix: 'Tussenvoegsel',
      familyName: 'Achternaam',
      role: 'Rol',
      organisation: 'School',
      group: 'Groep',
    };
    const { info, rows } = await readRows(fixture('formats/leerlingen-tab.tsv'), settings({ map }));
    expect(info.detected.delimiter).toBe('\t');
    expect(info.detected.columns![0]).toBe('[Leerlingnummer]');
    expect(rows.map((r) => [r.externalId, r.line])).toEqual([
      ['L-4711', 2],
      ['L-4712', 3],
      ['L-4713', 4],
      ['L-4714', 6],
    ]);
    expect(rows[3]).toMatchObject({ givenName: 'Sem', familyName: 'Yılmaz', role: 'leerling', group: 'Groep 8' });
  });
});

describe('CSV reader: fields and lines', () => {
  it('fields are looked up by the canonical names without a map', async () => {
    const { rows } = await readRows(fixture('formats/dates.csv'), settings());
    expect(rows[0]).toMatchObject({ externalId: '30001', givenName: 'Femke', organisation: 'OBS De Regenboog', group: 'Groep 6' });
  });

  it('normalises dates in all three formats (and with a time part)', async () => {
    const { rows } = await readRows(fixture('formats/dates.csv'), settings());
    expect(rows.map((r) => [r.startDate, r.endDate])).toEqual([
      ['2025-08-01', '2026-07-31'],
      ['2025-08-01', '2026-07-31'],
      ['2025-08-01', '2026-07-31'],
      ['2025-08-01', ''],
      ['2025-08-01', '2026-07-31'],
    ]);
  });

  it('a configured date format is applied, and other forms are then invalid', async () => {
    const dir = tempDir();
    const p = join(dir, 'us.csv');
    writeFileSync(p, 'externalId,organisation,startDate\n1,OBS A,08/01/2025\n2,OBS A,2025-08-01\n');
    const err = await invalid(readRows(p, settings({ dateFormat: 'MM/dd/yyyy' })));
    expectWhere(err, p, 3);
    const ok = join(dir, 'us-ok.csv');
    writeFileSync(ok, 'externalId,organisation,startDate\n1,OBS A,08/01/2025\n');
    const { rows } = await readRows(ok, settings({ dateFormat: 'MM/dd/yyyy' }));
    expect(rows[0]!.startDate).toBe('2025-08-01');
  });

  it('quoted fields may hold delimiters, quotes and line breaks; lines stay physical', async () => {
    const dir = tempDir();
    const p = join(dir, 'quoted.csv');
    writeFileSync(
      p,
      'externalId,givenName,familyName,group\r\n' +
        '1,"Jan, Piet","de ""Vries""",A\r\n' +
        '2,Anna,"Smit\r\nJansen",B\r\n' +
        '3,Kees,"a\nb\nc",C\r\n' +
        '\r\n' +
        '4,Els,Bos,D\r\n',
    );
    const { rows } = await readRows(p, settings());
    expect(rows.map((r) => [r.externalId, r.line])).toEqual([
      ['1', 2],
      ['2', 3],
      ['3', 5],
      ['4', 9],
    ]);
    expect(rows[0]).toMatchObject({ givenName: 'Jan, Piet', familyName: 'de "Vries"' });
    expect(rows[1]!.familyName).toBe('Smit\r\nJansen');
    expect(rows[2]!.familyName).toBe('a\nb\nc');
  });

  it('LF and CRLF files give the same rows', async () => {
    const dir = tempDir();
    const lf = join(dir, 'lf.csv');
    const crlf = join(dir, 'crlf.csv');
    const lines = ['externalId,givenName', '1,Jan', '2,Anna', '3,Piet'];
    writeFileSync(lf, lines.join('\n') + '\n');
    writeFileSync(crlf, lines.join('\r\n') + '\r\n');
    const a = await readRows(lf, settings());
    const b = await readRows(crlf, settings());
    expect(a.rows).toEqual(b.rows);
    expect(a.rows.map((r) => r.line)).toEqual([2, 3, 4]);
  });

  it('a row with another number of fields is INVALID_EXPORT naming its start line', async () => {
    const dir = tempDir();
    const p = join(dir, 'width.csv');
    writeFileSync(p, 'externalId,givenName\n1,"multi\nline"\n2,Anna,extra\n');
    const err = await invalid(readRows(p, settings()));
    expectWhere(err, p, 4);
    expect(err.message).toContain('3 fields where the header has 2');
  });

  it('a header alone gives no rows (not an error)', async () => {
    const { info, rows } = await readRows(fixture('bad/header-only.csv'), settings());
    expect(rows).toEqual([]);
    expect(info.detected.columns).toEqual(['externalId', 'givenName', 'familyName', 'organisation', 'group']);
  });

  it('reports progress every 10000 rows', async () => {
    const dir = tempDir();
    const p = join(dir, 'many.csv');
    const lines = ['externalId,givenName,organisation'];
    for (let i = 0; i < 25000; i++) lines.push(`${i},P${i},OBS A`);
    writeFileSync(p, lines.join('\n') + '\n');
    const seen: number[] = [];
    let count = 0;
    let last: ExportRow | undefined;
    await readCsv(
      p,
      settings(),
      (r) => {
        count++;
        last = r;
      },
      { onProgress: (n) => seen.push(n) },
    );
    expect(count).toBe(25000);
    expect(seen).toEqual([10000, 20000]);
    expect(last).toMatchObject({ externalId: '24999', line: 25001 });
  });

  it('a UTF-8 letter split across read chunks is decoded whole', async () => {
    const dir = tempDir();
    const p = join(dir, 'big-utf8.csv');
    const lines = ['externalId,givenName'];
    for (let i = 0; i < 60000; i++) lines.push(`${i},Zoë Ó Bríain ${'é'.repeat(i % 7)}`);
    writeFileSync(p, lines.join('\n') + '\n');
    const rows: ExportRow[] = [];
    const info = await readCsv(p, settings(), (r) => rows.push(r));
    expect(info.detected.encoding).toBe('utf-8');
    expect(rows).toHaveLength(60000);
    expect(rows.every((r, i) => r.givenName === `Zoë Ó Bríain ${'é'.repeat(i % 7)}`)).toBe(true);
  });
});
