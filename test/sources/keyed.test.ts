/**
 * The collector's compact store of records by externalId (src/sources/keyed.ts): an open-addressing
 * hash table over UTF-8 bytes. It must find every key it holds, and no other, whatever the keys look
 * like: numbers in sequence (what most exports have), accents, emoji, very long keys, keys that differ
 * only at the end, and the empty text.
 */
import { describe, expect, it } from '@jest/globals';
import { CollectedExport } from '../../src/sources/collect.js';
import { KeyedTexts, TextArena } from '../../src/sources/keyed.js';
import type { ExportRow } from '../../src/sources/types.js';

function add(t: KeyedTexts, key: string, text: string): number {
  expect(t.find(key)).toBe(-1);
  return t.insert(key, text);
}

describe('KeyedTexts', () => {
  it('finds 200,000 personnel numbers in sequence through several rehashes, in the order added', () => {
    const t = new KeyedTexts();
    const wrong: number[] = [];
    for (let i = 0; i < 200000; i++) if (t.find(String(100000 + i)) !== -1 || t.insert(String(100000 + i), `Medewerker ${i}`) !== i) wrong.push(i);
    for (let i = 0; i < 200000; i++) if (t.find(String(100000 + i)) !== i) wrong.push(i);
    expect(wrong).toEqual([]);
    expect(t.size).toBe(200000);
    for (let i = 0; i < 200000; i += 997) {
      expect(t.find(String(100000 + i))).toBe(i);
      expect(t.key(i)).toBe(String(100000 + i));
      expect(t.text(i)).toBe(`Medewerker ${i}`);
    }
    for (const missing of ['99999', '300000', '', '1000000', '100000 ', ' 100000']) expect(t.find(missing)).toBe(-1);
  });

  it('keeps keys with accents, emoji and Windows line noise apart, and their texts whole', () => {
    const t = new KeyedTexts();
    const keys = ['L-Daniëlle', 'L-Danielle', 'L-Daniëlle2', 'ZoË', 'zoë', '👩‍🏫 juf Fatma', 'Ğ', 'G', 'é'.repeat(50)];
    keys.forEach((k, i) => add(t, k, `${k}\x1fJansen\x1e${'Groep 3'.repeat(i)}`));
    keys.forEach((k, i) => {
      expect(t.find(k)).toBe(i);
      expect(t.key(i)).toBe(k);
      expect(t.text(i)).toBe(`${k}\x1fJansen\x1e${'Groep 3'.repeat(i)}`);
    });
    expect(t.find('L-Danie\u0308lle')).toBe(-1); // the same letters, decomposed: another key, as in a Map
  });

  it('stores keys of any length (one byte of length below 128 bytes, four from there on)', () => {
    const t = new KeyedTexts();
    const lengths = [0, 1, 42, 43, 127, 128, 129, 70000, 1_000_000];
    for (const n of lengths) add(t, 'k'.repeat(n) + 'é', `text of ${n}`);
    lengths.forEach((n, i) => {
      expect(t.find('k'.repeat(n) + 'é')).toBe(i);
      expect(t.key(i)).toBe('k'.repeat(n) + 'é');
      expect(t.text(i)).toBe(`text of ${n}`);
    });
    expect(t.find('k'.repeat(70000) + 'e')).toBe(-1);
  });

  it('treats a lone surrogate as its replacement character, as SQLite stores it', () => {
    const t = new KeyedTexts();
    add(t, 'L\ud800', 'a');
    expect(t.find('L\ufffd')).toBe(0);
    expect(t.key(0)).toBe('L\ufffd');
  });
});

describe('TextArena', () => {
  it('keeps texts of every size, a text larger than a block in a block of its own', () => {
    const a = new TextArena();
    const big = 'ë'.repeat(3 * 1024 * 1024);
    a.set(0, 'Groep 1');
    a.set(1, big);
    a.set(2, '');
    a.set(5000, 'Groep 8');
    expect([a.get(0), a.get(1) === big, a.get(2), a.get(5000)]).toEqual(['Groep 1', true, '', 'Groep 8']);
  });
});

describe('CollectedExport over KeyedTexts', () => {
  const row = (externalId: string, line: number, group: string): ExportRow => ({
    externalId,
    givenName: 'Fatma',
    prefix: '',
    familyName: 'Yılmaz',
    email: '',
    role: 'leerling',
    organisation: 'OBS De Regenboog',
    group,
    startDate: '',
    endDate: '',
    line,
  });

  it('groups the rows of one person met again after many others, and yields ids in the order of the export', () => {
    const c = new CollectedExport('leerlingen.csv');
    for (let i = 0; i < 5000; i++) c.add(row(`L${i}`, i + 2, 'Groep 3'));
    c.add(row('L17', 5002, 'Groep 4'));
    c.add(row(' L18 ', 5003, 'Groep 4')); // trimmed, as before
    expect(c.size).toBe(5000);
    expect([...c.ids()].slice(0, 3)).toEqual(['L0', 'L1', 'L2']);
    expect(c.idAt(4999)).toBe('L4999');
    expect(c.record('L17')!.relations.map((r) => r.group)).toEqual(['Groep 3', 'Groep 4']);
    expect(c.record('L18')!.relations.map((r) => r.group)).toEqual(['Groep 3', 'Groep 4']);
    expect(c.lineOf('L4999')).toBe(5001);
    expect([c.has('L5000'), c.slotOf('L5000'), c.packed('L5000'), c.lineOf('L5000')]).toEqual([false, -1, undefined, undefined]);
  });
});
