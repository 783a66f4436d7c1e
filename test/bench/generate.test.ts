/**
 * The benchmark's synthetic exports (src/bench/generate.ts), at a small N: their shape, their
 * proportions, and that basishub's own reader accepts them. No timing here: that is `npm run bench`.
 */
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { HR_HEADER, HR_MAP, NARROW_HEADER, generateExports, type GeneratedExports } from '../../src/bench/generate.js';
import { parseMap } from '../../src/app/sources.js';
import { readExport } from '../../src/sources/index.js';
import { removeTempDir, tempDir } from '../helpers/tmp.js';

const N = 200;
let dir: string;
let gen: GeneratedExports;

interface Row {
  pnr: string;
  given: string;
  prefix: string;
  family: string;
  email: string;
  school: string;
  team: string;
}

function rowsOf(file: string): { raw: Buffer; lines: string[]; rows: Row[] } {
  const raw = fs.readFileSync(file);
  const text = raw.toString('utf8');
  const lines = text.split('\r\n');
  expect(lines.pop()).toBe(''); // the last line ends with CRLF too
  const rows = lines.slice(1).map((l) => {
    const f = l.split(';');
    expect(f).toHaveLength(7);
    return { pnr: f[0]!, given: f[1]!, prefix: f[2]!, family: f[3]!, email: f[4]!, school: f[5]!, team: f[6]! };
  });
  return { raw, lines, rows };
}

function people(rows: Row[]): Map<string, Row[]> {
  const m = new Map<string, Row[]>();
  for (const r of rows) m.set(r.pnr, [...(m.get(r.pnr) ?? []), r]);
  return m;
}

beforeAll(() => {
  dir = tempDir('basishub-gen-');
  gen = generateExports({ dir, n: N });
});

describe('generateExports', () => {
  it('writes a semicolon CSV with a UTF-8 BOM, CRLF and the Dutch HR header', () => {
    const { raw, lines } = rowsOf(gen.base);
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(lines[0]).toBe('\uFEFF' + HR_HEADER.join(';'));
    expect(raw.includes('\n\n')).toBe(false);
  });

  it('has N people, 3% of them on two rows at two schools with the same details', () => {
    const { rows } = rowsOf(gen.base);
    const byPnr = people(rows);
    expect(byPnr.size).toBe(N);
    const two = [...byPnr.values()].filter((r) => r.length === 2);
    expect(two).toHaveLength(Math.floor(N * 0.03));
    expect([...byPnr.values()].every((r) => r.length <= 2)).toBe(true);
    for (const [a, b] of two as [Row, Row][]) {
      expect(a.school).not.toBe(b.school);
      expect({ ...a, school: '', team: '' }).toEqual({ ...b, school: '', team: '' });
    }
    expect(rows).toHaveLength(N + two.length);
    expect(gen.baseStats).toMatchObject({ people: N, rows: N + two.length, twoRowPeople: two.length, bytes: fs.statSync(gen.base).size });
  });

  it('looks Dutch: tussenvoegsels, schools named like "OBS De Regenboog 0412", unique emails', () => {
    const { rows } = rowsOf(gen.base);
    expect(rows.some((r) => r.prefix !== '')).toBe(true);
    expect(rows.some((r) => r.prefix === '')).toBe(true);
    for (const r of rows) {
      expect(r.school).toMatch(/^[A-Za-z]+ .+ \d{4}$/);
      expect(r.email).toMatch(/^[a-z0-9.-]+@waterlanden\.nl$/);
    }
    const emails = new Set([...people(rows).values()].map((r) => r[0]!.email));
    expect(emails.size).toBe(N);
  });

  it('makes a churn variant: 1% gone, 1% renamed (family name, same email), 1% new', () => {
    const before = people(rowsOf(gen.base).rows);
    const after = people(rowsOf(gen.churn).rows);
    const k = Math.round(N * 0.01);
    const gone = [...before.keys()].filter((p) => !after.has(p));
    const added = [...after.keys()].filter((p) => !before.has(p));
    const renamed = [...before.keys()].filter((p) => after.has(p) && JSON.stringify(after.get(p)) !== JSON.stringify(before.get(p)));
    expect(gone).toHaveLength(k);
    expect(added).toHaveLength(k);
    expect(renamed).toHaveLength(k);
    for (const p of renamed) {
      const [b, a] = [before.get(p)!, after.get(p)!];
      expect(`${a[0]!.prefix} ${a[0]!.family}`).not.toBe(`${b[0]!.prefix} ${b[0]!.family}`);
      expect(a.map((r) => ({ ...r, prefix: '', family: '' }))).toEqual(b.map((r) => ({ ...r, prefix: '', family: '' })));
    }
    const highest = Math.max(...[...before.keys()].map(Number));
    expect(added.every((p) => Number(p) > highest)).toBe(true);
    expect(gen.churnStats).toMatchObject({ people: N, gone: k, renamed: k, added: k });
  });

  it('is deterministic', () => {
    const again = tempDir('basishub-gen-');
    try {
      const g = generateExports({ dir: again, n: N });
      expect(fs.readFileSync(g.base)).toEqual(fs.readFileSync(gen.base));
      expect(fs.readFileSync(g.churn)).toEqual(fs.readFileSync(gen.churn));
    } finally {
      removeTempDir(again);
    }
  });

  it('is an export that basishub reads with the bench mapping', async () => {
    const settings = { name: 'hr', format: 'csv' as const, map: parseMap(HR_MAP), delimiter: null, encoding: null, dateFormat: null };
    const read = await readExport(gen.base, settings);
    expect(read.records.size).toBe(N);
    expect(read.records.rows).toBe(gen.baseStats.rows);
    expect(read.info.detected).toMatchObject({ delimiter: ';', encoding: 'utf-8', bom: true });
    const churn = await readExport(gen.churn, settings);
    expect(churn.records.size).toBe(N);
  });

  it('writes the same people as a narrow export: 8 columns, comma, no BOM, LF, read without a mapping', async () => {
    const raw = fs.readFileSync(gen.narrow);
    expect(raw.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    const text = raw.toString('utf8');
    expect(text).not.toContain('\r');
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe(NARROW_HEADER.join(','));
    for (const l of lines) expect(l.split(',')).toHaveLength(8);
    const wide = rowsOf(gen.base).rows;
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(wide.map((r) => r.pnr));
    const settings = { name: 'hr', format: 'csv' as const, map: {}, delimiter: null, encoding: null, dateFormat: null };
    const read = await readExport(gen.narrow, settings);
    expect(read.records.size).toBe(N);
    expect(read.info.detected).toMatchObject({ delimiter: ',', bom: false });
    expect((await readExport(gen.narrowChurn, settings)).records.size).toBe(gen.churnStats.people);
  });
});
