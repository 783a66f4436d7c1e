/**
 * Hostile and broken exports are INVALID_EXPORT naming file and line, never INTERNAL, with memory that
 * grows with the input and no more: a person's rows repeated, one JSON record with thousands of
 * relations, a row of endless empty fields, zip bombs and damaged zips, and what JSON.parse and a
 * Windows-1252 decoder let through. (test/e2e/hostile.test.ts replays them through the CLI and
 * measures the memory each takes.)
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CollectedExport, MAX_RELATIONS } from '../../src/sources/collect.js';
import { MAX_FIELDS } from '../../src/sources/csvtable.js';
import { readExport } from '../../src/sources/index.js';
import { findTextProblem } from '../../src/sources/jsontext.js';
import type { ExportRow } from '../../src/sources/types.js';
import { MAX_INFLATED_BYTES, MAX_RATIO } from '../../src/sources/zip.js';
import { expectWhere, fixture, invalid, settings, tempDir, zipOf, type TestZipEntry } from './helpers.js';

function row(line: number, group: string, over: Partial<ExportRow> = {}): ExportRow {
  return {
    externalId: '10234',
    givenName: 'Jan',
    prefix: 'de',
    familyName: 'Vries',
    email: 'jan.devries@stichting-primair.nl',
    role: 'staff',
    organisation: 'OBS De Regenboog',
    group,
    startDate: '',
    endDate: '',
    line,
    ...over,
  };
}

function write(name: string, data: string | Buffer): string {
  const p = join(tempDir(), name);
  writeFileSync(p, data);
  return p;
}

describe("grouping a person's rows (R2: one person, several relations)", () => {
  it('10,000 repeats of one row are one relation, and cost no more than the rows', () => {
    const c = new CollectedExport('personeel.csv');
    for (let i = 0; i < 10000; i++) c.add(row(i + 2, 'Groep 1'));
    expect(c.record('10234')!.relations).toEqual([{ organisation: 'OBS De Regenboog', group: 'Groep 1', startDate: null, endDate: null }]);
    expect(c.rows).toBe(10000);
  });

  it('repeats that are not next to each other are dropped when the record is packed', () => {
    const c = new CollectedExport('personeel.csv');
    const groups = ['Groep 1', 'Groep 2', 'Groep 1', 'ICT-werkgroep', 'Groep 2'];
    groups.forEach((g, i) => c.add(row(i + 2, g)));
    expect(c.record('10234')!.relations.map((r) => r.group)).toEqual(['Groep 1', 'Groep 2', 'ICT-werkgroep']);
    expect(c.packed('10234')).toBe(
      'Jan\x1fde\x1fVries\x1fjan.devries@stichting-primair.nl\x1fstaff' +
        '\x1eOBS De Regenboog\x1fGroep 1\x1f\x1f\x1eOBS De Regenboog\x1fGroep 2\x1f\x1f\x1eOBS De Regenboog\x1fICT-werkgroep\x1f\x1f',
    );
  });

  it('a first row without a relation and later rows with one', () => {
    const c = new CollectedExport('personeel.csv');
    c.add(row(2, '', { organisation: '' }));
    c.add(row(3, 'Groep 1'));
    c.add(row(4, 'Groep 2'));
    expect(c.record('10234')!.relations.map((r) => r.group)).toEqual(['Groep 1', 'Groep 2']);
  });

  it(`more than ${MAX_RELATIONS} relations for one person are refused at the row that passes the limit`, () => {
    const c = new CollectedExport('personeel.csv');
    for (let i = 0; i < MAX_RELATIONS; i++) c.add(row(i + 2, `Groep ${i}`));
    expect(() => c.add(row(MAX_RELATIONS + 2, 'Groep X'))).toThrow(
      `personeel.csv:${MAX_RELATIONS + 2}: externalId 10234 has more than ${MAX_RELATIONS} relations (organisations and groups): is the export broken?`,
    );
  });

  it('one JSON record with 8,000 relations is refused, naming its line', async () => {
    const relations = Array.from({ length: 8000 }, (_, i) => ({ organisation: 'OBS De Regenboog', group: `Groep ${i}` }));
    const p = write('leerlingen.json', `[\n${JSON.stringify({ externalId: 'L100234', givenName: 'Daan', familyName: 'Visser', relations })}\n]\n`);
    const err = await invalid(readExport(p, settings({ format: 'json' })));
    expectWhere(err, p, 2);
    expect(err.message).toContain(`more than ${MAX_RELATIONS} relations`);
  });
});

describe('rows too wide', () => {
  it(`a row of more than ${MAX_FIELDS} fields (a line of commas) is refused at its line`, async () => {
    const p = write('personeel.csv', 'externalId,givenName,organisation\r\n10234,Jan,OBS De Regenboog\r\n' + ','.repeat(5_000_000) + '\r\n');
    const err = await invalid(readExport(p, settings({ delimiter: ',' })));
    expectWhere(err, p, 3);
    expect(err.message).toContain(`more than ${MAX_FIELDS} fields`);
  });

  it('a row of millions of empty quoted fields too', async () => {
    const p = write('personeel.csv', 'externalId,givenName\r\n' + '"",'.repeat(1_000_000) + '""\r\n');
    const err = await invalid(readExport(p, settings({ delimiter: ',' })));
    expectWhere(err, p, 2);
  });

  it('a header that wide is refused as well', async () => {
    const p = write('personeel.csv', ';'.repeat(MAX_FIELDS + 1) + '\n');
    const err = await invalid(readExport(p, settings({ delimiter: ';' })));
    expectWhere(err, p, 1);
  });
});

/** The OneRoster sample as zip entries, with some files replaced. */
function oneRosterZip(replace: Record<string, Partial<TestZipEntry>>): Buffer {
  const dir = fixture('oneroster/bulk');
  return zipOf(readdirSync(dir).map((name) => ({ name: `export/${name}`, data: readFileSync(join(dir, name)), ...replace[name] })));
}

const oneroster = settings({ format: 'oneroster-1.1' });

describe('zip archives', () => {
  it('the sample, deflated, reads', async () => {
    const p = write('oneroster.zip', oneRosterZip({}));
    expect((await readExport(p, oneroster)).records.size).toBeGreaterThan(3);
  });

  it(`an entry that inflates more than ${MAX_RATIO} times is refused before inflating (a zip bomb)`, async () => {
    const commas = Buffer.alloc(8 * 1024 * 1024, ',');
    const p = write('oneroster.zip', oneRosterZip({ 'enrollments.csv': { data: commas } }));
    const err = await invalid(readExport(p, oneroster));
    expect(err.message).toMatch(/export\/enrollments\.csv in the zip archive would inflate \d+ times/);
  });

  it('an entry that holds more than its declared size is stopped while inflating', async () => {
    const enrollments = readFileSync(fixture('oneroster/bulk/enrollments.csv'));
    const big = Buffer.concat([enrollments, Buffer.alloc(4 * 1024 * 1024, 'x')]);
    const p = write('oneroster.zip', oneRosterZip({ 'enrollments.csv': { data: big, size: enrollments.length } }));
    const err = await invalid(readExport(p, oneroster));
    expect(err.message).toContain('export/enrollments.csv: the entry holds more bytes than the zip directory says');
  });

  it(`entries declaring more than ${MAX_INFLATED_BYTES / 1024 / 1024} MB together are refused`, async () => {
    const p = write('oneroster.zip', oneRosterZip({ 'enrollments.csv': { stored: true, size: MAX_INFLATED_BYTES + 1 } }));
    const err = await invalid(readExport(p, oneroster));
    expect(err.message).toMatch(/more than 256 MB together|would inflate/);
  });

  it('one corrupted deflate byte is INVALID_EXPORT (damaged data), not INTERNAL', async () => {
    const zip = oneRosterZip({});
    // Flip bytes in the deflate data of users.csv (its local header's name is the first occurrence).
    const start = zip.indexOf('export/users.csv') + 'export/users.csv'.length;
    for (let k = 0; k < 8; k++) zip[start + 2 + k]! ^= 0xff;
    const p = write('oneroster.zip', zip);
    const err = await invalid(readExport(p, oneroster));
    expect(err.message).toMatch(/damaged/);
  });

  it('a zip cut short (still downloading) is refused', async () => {
    const zip = oneRosterZip({});
    const p = write('oneroster.zip', zip.subarray(0, zip.length - 40));
    const err = await invalid(readExport(p, oneroster));
    expect(err.message).toMatch(/no end of central directory|damaged|truncated/);
  });
});

describe('JSON: what JSON.parse lets through', () => {
  const json = settings({ format: 'json' });

  it('\\u0000 in a string is refused, as the CSV readers refuse a NUL', async () => {
    const p = write('leerlingen.ndjson', '{"externalId":"L1001","givenName":"Daan","familyName":"Vis\\u0000ser","group":"Groep 3"}\n');
    const err = await invalid(readExport(p, json));
    expectWhere(err, p, 1);
    expect(err.message).toContain('\\u0000');
  });

  it('an escaped backslash before u0000 is text, not a NUL', async () => {
    const p = write('leerlingen.ndjson', '{"externalId":"L1001","givenName":"Daan","familyName":"Visser","group":"Groep \\\\u0000"}\n');
    expect((await readExport(p, json)).records.record('L1001')!.relations[0]!.group).toBe('Groep \\u0000');
  });

  it('a key twice in one object is refused, not the last value kept', async () => {
    const p = write('leerlingen.json', '[\n{"externalId": "L1001", "givenName": "Daan",\n "group": "Groep 3", "group": "Groep 4"}\n]\n');
    const err = await invalid(readExport(p, json));
    expectWhere(err, p, 3);
    expect(err.message).toContain('the key "group" appears twice in one object');
  });

  it('also inside a relation, and also when written with an escape', async () => {
    const p = write('leerlingen.json', '[{"externalId": "L1001", "relations": [{"group": "Groep 3", "gr\\u006fup": "Groep 4"}]}]\n');
    const err = await invalid(readExport(p, json));
    expect(err.message).toContain('the key "group" appears twice');
  });

  it.each([
    ['above 2^53', '12345678901234567890', /not a whole number that can be read exactly/],
    ['1e400', '1e400', /too large to be read exactly/],
    ['a fraction', '10234.5', /not a whole number/],
  ])('a numeric externalId %s is refused (a string keeps it exact)', async (_name, number, message) => {
    const p = write('leerlingen.ndjson', `{"externalId":${number},"givenName":"Daan","familyName":"Visser","group":"Groep 3"}\n`);
    const err = await invalid(readExport(p, json));
    expect(err.message).toMatch(message);
    expect(err.hint).toMatch(/string/);
  });

  it('a numeric externalId up to 2^53 is read as its digits', async () => {
    const p = write(
      'leerlingen.ndjson',
      '{"externalId":9007199254740991,"givenName":"Daan","group":"Groep 3"}\n{"externalId":"12345678901234567890","group":"Groep 3"}\n',
    );
    const read = await readExport(p, json);
    expect([...read.records.ids()]).toEqual(['9007199254740991', '12345678901234567890']);
  });

  it('findTextProblem: nested objects each have their own keys', () => {
    expect(findTextProblem('{"a":{"a":1,"b":[{"a":2},{"a":3}]},"b":"x"}')).toBeNull();
    const found = findTextProblem('{"a":{"b":1,"b":2}}');
    expect({ offset: found?.offset, problem: String(found?.problem) }).toEqual({
      offset: 12,
      problem: 'the key "b" appears twice in one object (which value is meant?)',
    });
  });
});

describe('the separators of a stored record (0x1E, 0x1F) inside a field', () => {
  // A stored record divides its fields with 0x1F and its relations with 0x1E: one inside a name would
  // shift every field after it (a name "Jan\x1fX" once became the email "Vries" and the role "\x1f").
  it('a CSV that holds one is refused, naming the line', async () => {
    const p = write(
      'medewerkers.csv',
      'Personeelsnummer;Voornaam;Achternaam;School\r\n10234;Jan\x1fX;de Vries;OBS De Regenboog\r\n10257;Anouk\x1e;de Graaf;OBS De Regenboog\r\n',
    );
    const err = await invalid(
      readExport(
        p,
        settings({ delimiter: ';', map: { externalId: 'Personeelsnummer', givenName: 'Voornaam', familyName: 'Achternaam', organisation: 'School' } }),
      ),
    );
    expectWhere(err, p, 2);
    expect(err.message).toContain('0x1F');
  });

  it('a JSON string that holds one as an escape is refused, in either case', async () => {
    for (const escape of ['\\u001f', '\\u001E']) {
      const p = write('leerlingen.ndjson', `{"externalId":"L1001","givenName":"Daan","familyName":"Vis${escape}ser","group":"Groep 3"}\n`);
      const err = await invalid(readExport(p, settings({ format: 'json' })));
      expectWhere(err, p, 1);
      expect(err.message).toContain('information separator');
    }
  });
});

describe('Windows-1252: bytes that have no character', () => {
  it.each([
    ['81', 0x81],
    ['8D', 0x8d],
    ['8F', 0x8f],
    ['90', 0x90],
    ['9D', 0x9d],
  ])('byte 0x%s is refused, not turned into an invisible control character', async (_hex, b) => {
    const p = write(
      'personeel.csv',
      Buffer.concat([
        Buffer.from('Personeelsnummer;Voornaam;Achternaam;School\r\n10702;Ren\xe9;van Dijk;IKC De Vlinder\r\n10811;Ana', 'latin1'),
        Buffer.from([b]),
        Buffer.from('s;Bakker;OBS De Regenboog\r\n'),
      ]),
    );
    for (const encoding of ['windows-1252', null] as const) {
      const err = await invalid(
        readExport(p, settings({ encoding, map: { externalId: 'Personeelsnummer', givenName: 'Voornaam', familyName: 'Achternaam', organisation: 'School' } })),
      );
      expectWhere(err, p, 3);
      expect(err.message).toContain(`byte 0x${b.toString(16).toUpperCase()} has no character in Windows-1252`);
    }
  });

  it('the other bytes of 0x80–0x9F are the letters and signs Excel writes', async () => {
    const p = write('personeel.csv', Buffer.from('externalId;givenName;organisation\r\n10702;\x80\x8a\x92\x9f;IKC De Vlinder\r\n', 'latin1'));
    expect((await readExport(p, settings({ encoding: 'windows-1252' }))).records.record('10702')!.givenName).toBe('€Š’Ÿ');
  });
});
