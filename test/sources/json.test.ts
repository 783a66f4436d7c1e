import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readExport } from '../../src/sources/index.js';
import { JsonObjectScanner, readJson } from '../../src/sources/json.js';
import { expectWhere, fixture, invalid, readRows, settings, tempDir } from './helpers.js';

const json = settings({ format: 'json' });

const EXPECTED = [
  ['20001', 'OBS De Regenboog', 'Groep 3', '2025-08-01', ''],
  ['20001', 'CBS Het Kompas', 'Groep 4', '2025-08-01', '2026-07-31'],
  ['20002', '', '', '', ''],
  ['20003', 'IKC De Vlinder', 'Kleuters', '', ''],
  ['20004', 'IKC De Vlinder', 'Groep 1/2A', '', ''],
  ['20004', 'IKC De Vlinder', 'Groep 1/2B', '', '2026-01-31'],
];

describe('JSON reader', () => {
  it('reads an array of objects: one row per relation, at the line where the object starts', async () => {
    const path = fixture('formats/personen.json');
    const { info, rows } = await readRows(path, json);
    expect(rows.map((r) => [r.externalId, r.organisation, r.group, r.startDate, r.endDate])).toEqual(EXPECTED);
    expect(rows.map((r) => r.line)).toEqual([2, 2, 14, 23, 33, 33]);
    expect(rows[0]).toMatchObject({ givenName: 'Sanne', familyName: 'Visser', role: 'staff', email: 'sanne.visser@stichting-primair.nl' });
    expect(rows[4]).toMatchObject({ givenName: 'Zoë', prefix: "van 't", familyName: 'Hek', email: '' });
    expect(info.detected).toMatchObject({ format: 'json', encoding: 'utf-8', bom: false });
    expect(info.checksum).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
  });

  it('reads one object per line (NDJSON) the same, with physical lines (blank lines skipped)', async () => {
    const { rows } = await readRows(fixture('formats/personen.ndjson'), json);
    expect(rows.map((r) => [r.externalId, r.organisation, r.group, r.startDate, r.endDate])).toEqual(EXPECTED);
    expect(rows.map((r) => r.line)).toEqual([1, 1, 2, 4, 5, 5]);
  });

  it('numbers as ids become text; an empty relations list is a record without a relation', async () => {
    const { records } = await readExport(fixture('formats/personen.json'), json);
    expect(records.size).toBe(4);
    expect(records.has('20001')).toBe(true);
    expect(records.record('20002')!.relations).toEqual([]);
    expect(records.record('20001')!.relations).toHaveLength(2);
  });

  it('maps keys like CSV columns (map, case, spaces, brackets), BOM at the start allowed', async () => {
    const dir = tempDir();
    const p = join(dir, 'mapped.json');
    writeFileSync(p, '\uFEFF[{"[Leerlingnummer]": 7, " ROEPNAAM ": "Fleur", "Achternaam": "Bosch", "School": "OBS A", "extra": 1}]');
    const map = { externalId: 'leerlingnummer', givenName: 'roepnaam', familyName: 'achternaam', organisation: 'school', email: 'mail' };
    const { info, rows } = await readRows(p, settings({ format: 'json', map }));
    expect(rows).toEqual([
      {
        externalId: '7',
        givenName: 'Fleur',
        prefix: '',
        familyName: 'Bosch',
        email: '',
        role: '',
        organisation: 'OBS A',
        group: '',
        startDate: '',
        endDate: '',
        line: 1,
      },
    ]);
    expect(info.detected.bom).toBe(true);
    expect(info.warnings.map(String)).toContain('no object has the key "mail" (mapped to email)');
    expect(info.warnings.map(String)).toContain('keys not used: extra');
  });

  it('an empty array is no rows', async () => {
    const dir = tempDir();
    const p = join(dir, 'none.json');
    writeFileSync(p, ' [ ] \n');
    const { rows } = await readRows(p, json);
    expect(rows).toEqual([]);
  });

  it('strings with braces, brackets, quotes and escapes do not confuse the scanner', async () => {
    const dir = tempDir();
    const p = join(dir, 'tricky.json');
    writeFileSync(p, '[\n{"externalId": "a}]\\"{[", "givenName": "x\\\\"},\n{"externalId": "b\\n", "familyName": "\\u00d3 Br\\u00edain"}\n]');
    const { rows } = await readRows(p, json);
    expect(rows.map((r) => [r.externalId, r.givenName, r.familyName, r.line])).toEqual([
      ['a}]"{[', 'x\\', '', 2],
      ['b\n', '', 'Ó Bríain', 3],
    ]);
  });

  it('objects split over many small chunks are found whole', () => {
    const found: [string, number][] = [];
    const scanner = new JsonObjectScanner('x.json', (text, line) => found.push([text, line]));
    const text = '[\n {"a": "\\"}"},\n {"b": [1, {"c": 2}]}\n]\n';
    for (const ch of text) scanner.push(ch);
    scanner.end();
    expect(found).toEqual([
      ['{"a": "\\"}"}', 2],
      ['{"b": [1, {"c": 2}]}', 3],
    ]);
  });

  it('relations must be a list of objects; values must not be objects', async () => {
    const dir = tempDir();
    const p1 = join(dir, 'rel.ndjson');
    writeFileSync(p1, '{"externalId": "1"}\n{"externalId": "2", "relations": {"organisation": "A"}}\n');
    expectWhere(await invalid(readRows(p1, json)), p1, 2);
    const p2 = join(dir, 'value.ndjson');
    writeFileSync(p2, '{"externalId": "1", "givenName": {"first": "Jan"}}\n');
    const err = await invalid(readRows(p2, json));
    expectWhere(err, p2, 1);
    expect(err.message).toContain('"givenName" holds an object');
  });

  it('two keys that mean the same field are invalid', async () => {
    const dir = tempDir();
    const p = join(dir, 'twice.ndjson');
    writeFileSync(p, '{"externalId": "1", "Email": "a@x.nl", "email": "b@x.nl"}\n');
    expect((await invalid(readRows(p, json))).message).toContain('two keys of the object give email');
  });

  it('text after the end of the array is invalid', async () => {
    const dir = tempDir();
    const p = join(dir, 'after.json');
    writeFileSync(p, '[{"externalId": "1"}]\n[{"externalId": "2"}]\n');
    expectWhere(await invalid(readRows(p, json)), p, 2);
  });

  it('relation dates are validated at the object line', async () => {
    const dir = tempDir();
    const p = join(dir, 'dates.ndjson');
    writeFileSync(p, '{"externalId": "1", "relations": [{"organisation": "A", "startDate": "2026-02-30"}]}\n');
    const err = await invalid(readRows(p, json));
    expectWhere(err, p, 1);
    expect(err.message).toContain('startDate "2026-02-30"');
  });

  it('a raw line break inside a string is invalid JSON; later objects keep their lines (reading on)', async () => {
    const dir = tempDir();
    const p = join(dir, 'break.ndjson');
    writeFileSync(p, '{"externalId": "1", "givenName": "Jan\nPiet"}\n{"externalId": "2"}\n\n{"externalId": "3"}\n');
    const problems: string[] = [];
    const rows: [string, number][] = [];
    await readJson(p, json, (r) => rows.push([r.externalId, r.line]), { onProblem: (e) => problems.push(e.message) });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${p}:1: invalid JSON`);
    expect(rows).toEqual([
      ['2', 3],
      ['3', 5],
    ]);
  });
});
