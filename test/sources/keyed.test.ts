/**
 * The collector's compact store of records by externalId (src/sources/keyed.ts): an open-addressing
 * hash table over UTF-8 bytes. It must find every key it holds, and no other, whatever the keys look
 * like: numbers in sequence (what most exports have), accents, emoji, very long keys, keys that differ
 * only at the end, and the empty text.
 */
import { describe, expect, it } from '@jest/globals';
import { CollectedExport } from '../../src/sources/collect.js';
import { KeyedTexts, TextArena } from '../../src/sources/keyed.js';
import { fingerprint, pack, type SourceRecord } from '../../src/sources/record.js';
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

  it('finds a slot from a guess only where the guess holds that very key, else by the lookup', () => {
    const c = new CollectedExport('leerlingen.csv');
    const ids = ['L100', 'L101', 'L1010', 'Zoë-7', 'ZoÃ«-7', 'L102'];
    ids.forEach((id, i) => c.add(row(id, i + 2, 'Groep 5')));
    // Right, wrong, out of range and no guess give the same slot.
    for (const [i, id] of ids.entries()) {
      expect([i, i + 1, -1, 999, undefined].map((g) => c.slotOf(id, g))).toEqual([i, i, i, i, i]);
    }
    // A key that shares a prefix, or that is a guessed key's bytes read as characters, is not it.
    expect([c.slotOf('L10', 0), c.slotOf('L1010', 1), c.slotOf('L103', 5)]).toEqual([-1, 2, -1]);
    expect(c.slotOf('ZoÃ«-7', 3)).toBe(4);
    expect(c.slotOf('Zoë-7', 4)).toBe(3);
  });

  // The end of a first row that many people share (email domain, role, relation) is kept once.
  const person = (
    externalId: string,
    givenName: string,
    prefix: string,
    familyName: string,
    email: string,
    role: string,
    organisation: string,
    group: string,
    line: number,
  ): ExportRow => ({
    externalId,
    givenName,
    prefix,
    familyName,
    email,
    role,
    organisation,
    group,
    startDate: '',
    endDate: '',
    line,
  });
  const expected = (r: Omit<SourceRecord, 'relations'>, relations: [string, string][]): string =>
    pack({ ...r, relations: relations.map(([organisation, group]) => ({ organisation, group, startDate: null, endDate: null })) });

  it('gives back every record as packed, and its fingerprint, whether its end is shared with others or not', () => {
    const c = new CollectedExport('personeel.csv');
    const people: [ExportRow, [string, string][]][] = [];
    const schools = ['CBS De Vlinder', 'OBS Het Kompas', 'SBO Dr. Schaepmanschool'];
    for (let i = 0; i < 3000; i++) {
      const r = person(
        String(100000 + i),
        i % 7 === 0 ? 'Daniëlle' : 'Jet',
        i % 3 === 0 ? 'van der' : '',
        'Bouzid',
        `jet.${i}@waterlanden.nl`,
        'medewerker',
        schools[i % 3],
        `Groep ${i % 8}`,
        i + 2,
      );
      people.push([r, [[r.organisation, r.group]]]);
    }
    // Ends that are not shared, or odd: no email, no "@", an accent after the "@", no relation, a second row.
    const odd = [
      person('A1', 'Fatma', '', 'Yılmaz', '', 'leerling', 'OBS De Regenboog', 'Groep 3', 9001),
      person('A2', 'Kees', 'el', 'Idrissi', 'kees-zonder-apenstaartje', 'staff', 'CBS De Vlinder', 'Groep 4', 9002),
      person('A3', 'Noël', '', 'Çelik', 'noel@école.nl', 'staff', 'Brede School Zuid', 'Groep 1', 9003),
      person('A4', 'Sem', 'de', 'Vries', 'sem@a@b.nl', 'staff', '', '', 9004),
      person('A5', 'Eva', '', 'Jansen', 'eva@waterlanden.nl', 'staff', 'CBS De Vlinder', 'Groep 7', 9005),
      person('A6', 'Lars', '', 'Bakker', 'lars@waterlanden.nl', 'staff', 'x'.repeat(300), 'Groep 1', 9006), // too long to share
    ];
    for (const r of odd) people.push([r, r.organisation === '' ? [] : [[r.organisation, r.group]]]);
    for (const [r] of people) c.add(r);
    c.add(person('A5', 'Eva', '', 'Jansen', 'eva@waterlanden.nl', 'staff', 'OBS Het Kompas', 'Groep 8', 9007));
    people.find(([r]) => r.externalId === 'A5')![1].push(['OBS Het Kompas', 'Groep 8']);

    const wrong: string[] = [];
    for (const [r, relations] of people) {
      const role = r.role === 'leerling' ? 'student' : 'staff';
      const want = expected({ externalId: r.externalId, givenName: r.givenName, prefix: r.prefix, familyName: r.familyName, email: r.email, role }, relations);
      const slot = c.slotOf(r.externalId);
      if (c.packedAt(slot) !== want || c.fingerprintAt(slot) !== fingerprint(want)) wrong.push(r.externalId);
    }
    expect(wrong).toEqual([]);
    expect(c.record('A3')!.email).toBe('noel@école.nl');
  });

  it('still tells a second row with other details from the first, with its end shared', () => {
    const c = new CollectedExport('personeel.csv');
    c.add(person('100002', 'Jet', '', 'Bouzid', 'jet@waterlanden.nl', 'staff', 'CBS De Vlinder', 'Groep 7', 2));
    c.add(person('100003', 'Kees', '', 'Bouzid', 'kees@waterlanden.nl', 'staff', 'CBS De Vlinder', 'Groep 7', 3));
    expect(() => c.add(person('100002', 'Jet', '', 'Bouzid', 'jet@waterlanden.com', 'staff', 'CBS De Vlinder', 'Groep 7', 4))).toThrow(/line 2/);
  });
});
