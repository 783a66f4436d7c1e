/** The corpus of bad exports (fixtures/bad/README.md): each is INVALID_EXPORT naming file and line. */
import { describe, expect, it } from '@jest/globals';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readExport } from '../../src/sources/index.js';
import { expectWhere, fixture, invalid, readRows, settings, tempDir } from './helpers.js';

const csv = settings();
const json = settings({ format: 'json' });

describe('bad exports: files that cannot be read', () => {
  it('a missing file', async () => {
    const p = fixture('bad/does-not-exist.csv');
    const err = await invalid(readRows(p, csv));
    expectWhere(err, p, null);
    expect(err.message).toContain('does not exist');
  });

  it('a missing JSON file', async () => {
    const p = fixture('bad/does-not-exist.json');
    expectWhere(await invalid(readRows(p, json)), p, null);
  });

  it('a folder where a file is expected is unreadable', async () => {
    const p = fixture('bad');
    const err = await invalid(readRows(p, csv));
    expectWhere(err, p, null);
    expect(err.message).toContain('is a folder');
    expectWhere(await invalid(readRows(p, json)), p, null);
  });

  const asRoot = process.getuid?.() === 0;
  (asRoot ? it.skip : it)('a file without read permission (chmod 000; root reads anything, so skipped as root)', async () => {
    const dir = tempDir();
    const p = join(dir, 'locked.csv');
    writeFileSync(p, 'externalId\n1\n');
    chmodSync(p, 0o000);
    const err = await invalid(readRows(p, csv));
    expectWhere(err, p, null);
    expect(err.message).toContain('cannot be read');
  });

  it('an empty file (0 bytes) has no header', async () => {
    const p = fixture('bad/empty.csv');
    const err = await invalid(readRows(p, csv));
    expectWhere(err, p, null);
    expect(err.message).toContain('no header');
  });

  it('a file of only a BOM and blank lines has no header', async () => {
    const p = fixture('bad/bom-only.csv');
    const err = await invalid(readRows(p, csv));
    expectWhere(err, p, null);
    expect(err.message).toContain('no header');
  });

  it('an empty JSON file', async () => {
    const dir = tempDir();
    const p = join(dir, 'empty.json');
    writeFileSync(p, '  \n');
    const err = await invalid(readRows(p, json));
    expectWhere(err, p, null);
    expect(err.message).toContain('empty');
  });
});

describe('bad exports: header problems', () => {
  it('header only is valid: 0 rows, 0 records', async () => {
    const { records } = await readExport(fixture('bad/header-only.csv'), csv);
    expect(records.size).toBe(0);
    expect(records.rows).toBe(0);
  });

  it('no externalId column: names line 1 and the columns that are there', async () => {
    const p = fixture('bad/missing-externalid.csv');
    const err = await invalid(readRows(p, csv));
    expectWhere(err, p, 1);
    expect(err.message).toContain('no externalId column');
    expect(err.message).toContain('Naam, Achternaam, School');
  });

  it('a mapped externalId column that is absent', async () => {
    const p = fixture('bad/missing-externalid.csv');
    const err = await invalid(readRows(p, settings({ map: { externalId: 'Leerlingnummer' } })));
    expectWhere(err, p, 1);
    expect(err.message).toContain('"Leerlingnummer" (mapped to externalId)');
  });

  it('a mapped column that is absent: names it and the columns that are there', async () => {
    const p = fixture('bad/missing-mapped-column.csv');
    const err = await invalid(readRows(p, settings({ map: { email: 'E-mailadres' } })));
    expectWhere(err, p, 1);
    expect(err.message).toContain('no column "E-mailadres" (mapped to email)');
    expect(err.message).toContain('externalId, givenName, familyName, organisation');
  });

  it('a duplicate header (two columns with the same name, case and spaces aside)', async () => {
    const p = fixture('bad/duplicate-header.csv');
    const err = await invalid(readRows(p, csv));
    expectWhere(err, p, 1);
    expect(err.message).toContain('duplicate column');
    expect(err.message).toContain('"Email" (column 2)');
  });
});

describe('bad exports: rows', () => {
  it('conflicting rows for one person: names both lines', async () => {
    const p = fixture('bad/conflicting-rows.csv');
    const err = await invalid(readExport(p, csv));
    expectWhere(err, p, 4);
    expect(err.message).toContain('externalId 10001');
    expect(err.message).toContain('line 2');
  });

  it('broken quoting: a quote that is never closed', async () => {
    const p = fixture('bad/broken-quoting.csv');
    const err = await invalid(readRows(p, csv));
    expectWhere(err, p, 3);
    expect(err.message).toContain('broken quoting');
  });

  it('broken quoting: text after a closing quote', async () => {
    const p = fixture('bad/broken-quoting-closing.csv');
    const err = await invalid(readRows(p, csv));
    expectWhere(err, p, 3);
    expect(err.message).toContain('broken quoting');
  });

  it('a role that is no role, also one that names a property of every JavaScript object', async () => {
    const dir = tempDir();
    for (const role of ['directeur', 'constructor', '__proto__', 'toString']) {
      const p = join(dir, `role-${role}.csv`);
      writeFileSync(p, `externalId,givenName,familyName,role\n10001,Jan,Jansen,Staff\n10002,Anouk,Bakker,${role}\n`);
      const err = await invalid(readExport(p, csv));
      expectWhere(err, p, 3);
      expect(err.message).toContain(`role "${role}" is neither staff nor student`);
    }
  });

  it('a row with too many fields', async () => {
    const p = fixture('bad/wrong-field-count.csv');
    const err = await invalid(readRows(p, csv));
    expectWhere(err, p, 3);
  });

  it('a date that does not exist (31-02-2026)', async () => {
    const p = fixture('bad/invalid-date.csv');
    const err = await invalid(readRows(p, csv));
    expectWhere(err, p, 3);
    expect(err.message).toContain('"31-02-2026" is not a valid date');
  });

  it('a 10 MB field is refused at its line, without reading it all into memory', async () => {
    const dir = tempDir();
    const p = join(dir, 'huge.csv');
    const huge = 'x'.repeat(10 * 1024 * 1024);
    writeFileSync(p, `externalId,givenName,familyName\n1,Jan,Jansen\n2,"${huge}",Smit\n3,Piet,Bakker\n`);
    const err = await invalid(readRows(p, csv));
    expectWhere(err, p, 3);
    expect(err.message).toContain('larger than 1 MB');
    const unquoted = join(dir, 'huge-unquoted.csv');
    writeFileSync(unquoted, `externalId,givenName\n1,Jan\n2,${huge}\n`);
    expectWhere(await invalid(readRows(unquoted, csv)), unquoted, 3);
  });
});

describe('bad exports: encoding', () => {
  it('mixed UTF-8 and bytes that are not UTF-8, with the encoding detected', async () => {
    const p = fixture('bad/invalid-utf8.csv');
    const err = await invalid(readRows(p, csv));
    expectWhere(err, p, 4);
    expect(err.message).toContain('broken UTF-8');
    expect(err.message).toContain('line 3');
  });

  it('the same with utf-8 configured', async () => {
    const p = fixture('bad/invalid-utf8.csv');
    const err = await invalid(readRows(p, settings({ encoding: 'utf-8' })));
    expectWhere(err, p, 4);
    expect(err.message).toContain('not valid UTF-8');
  });

  it('broken UTF-8 is found when the invalid byte comes first and UTF-8 later', async () => {
    const dir = tempDir();
    const p = join(dir, 'later.csv');
    writeFileSync(p, Buffer.concat([Buffer.from('externalId,givenName\n1,Ren'), Buffer.from([0xe9]), Buffer.from('\n2,Jan\n3,Zoë\n')]));
    const err = await invalid(readRows(p, csv));
    expectWhere(err, p, 2);
    expect(err.message).toContain('line 4');
  });

  it('a BOM in the middle of the file', async () => {
    const p = fixture('bad/bom-in-middle.csv');
    const err = await invalid(readRows(p, csv));
    expectWhere(err, p, 4);
    expect(err.message).toContain('byte order mark');
  });

  it('a UTF-8 BOM with windows-1252 configured', async () => {
    const p = fixture('formats/personeel-semicolon-bom.csv');
    const err = await invalid(readRows(p, settings({ encoding: 'windows-1252' })));
    expectWhere(err, p, 1);
  });

  it('UTF-16 and .xlsx files are named for what they are', async () => {
    const dir = tempDir();
    const utf16 = join(dir, 'unicode.txt');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('externalId\n1\n', 'utf16le')]));
    expect((await invalid(readRows(utf16, csv))).message).toContain('UTF-16');
    const xlsx = join(dir, 'export.xlsx');
    writeFileSync(xlsx, Buffer.from('PK\x03\x04rest of a workbook', 'latin1'));
    expect((await invalid(readRows(xlsx, csv))).message).toContain('zip archive');
  });

  it('a NUL byte', async () => {
    const dir = tempDir();
    const p = join(dir, 'nul.csv');
    writeFileSync(p, 'externalId,givenName\n1,Jan\n2,A\0nna\n');
    expectWhere(await invalid(readRows(p, csv)), p, 3);
  });
});

describe('bad exports: JSON', () => {
  it('truncated JSON: names the object that is not closed', async () => {
    const p = fixture('bad/truncated.json');
    const err = await invalid(readRows(p, json));
    expectWhere(err, p, 3);
    expect(err.message).toContain('truncated JSON');
  });

  it('an array that is not closed', async () => {
    const dir = tempDir();
    const p = join(dir, 'open.json');
    writeFileSync(p, '[\n  {"externalId": "1"},\n  {"externalId": "2"}\n');
    const err = await invalid(readRows(p, json));
    expectWhere(err, p, 4);
    expect(err.message).toContain('not closed');
  });

  it('a bare string', async () => {
    const p = fixture('bad/bare-string.json');
    const err = await invalid(readRows(p, json));
    expectWhere(err, p, 1);
    expect(err.message).toContain('neither a JSON array nor JSON objects one per line');
  });

  it('a bare number', async () => {
    const p = fixture('bad/bare-number.json');
    expectWhere(await invalid(readRows(p, json)), p, 1);
  });

  it('an object that holds no person (a wrapper around the list)', async () => {
    const p = fixture('bad/wrapped-object.json');
    const err = await invalid(readRows(p, json));
    expectWhere(err, p, 1);
    expect(err.message).toContain('holds no person');
    expect(err.message).toContain('"users"');
  });

  it('an array element that is not an object', async () => {
    const p = fixture('bad/array-of-strings.json');
    const err = await invalid(readRows(p, json));
    expectWhere(err, p, 2);
    expect(err.message).toContain('not an object');
  });

  it('an object line with invalid JSON', async () => {
    const p = fixture('bad/invalid-json-object.ndjson');
    const err = await invalid(readRows(p, json));
    expectWhere(err, p, 2);
    expect(err.message).toContain('invalid JSON');
  });

  it('invalid UTF-8 in JSON', async () => {
    const dir = tempDir();
    const p = join(dir, 'latin.ndjson');
    writeFileSync(p, Buffer.concat([Buffer.from('{"externalId": "1"}\n{"externalId": "2", "givenName": "Ren'), Buffer.from([0xe9]), Buffer.from('"}\n')]));
    const err = await invalid(readRows(p, json));
    expectWhere(err, p, 2);
    expect(err.message).toContain('not valid UTF-8');
  });

  it('the README lists every file of the corpus', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const readme = readFileSync(fixture('bad/README.md'), 'utf8');
    for (const f of readdirSync(fixture('bad'))) if (f !== 'README.md') expect(readme).toContain(f);
  });
});
