/**
 * Packed records (src/sources/record.ts): what the collector keeps per person and the hub stores per
 * link. Unpacking must give back exactly what was packed, whatever the names hold.
 */
import { describe, expect, it } from '@jest/globals';
import { prng } from '../../src/bench/generate.js'; // seeded, so that a failure can be replayed
import { canonicalPack, pack, packAttributes, packRelation, unpack, type Relation, type Role, type SourceRecord } from '../../src/sources/record.js';

const record = (r: Partial<SourceRecord>): SourceRecord => ({
  externalId: '10234',
  givenName: 'Jan',
  prefix: 'de',
  familyName: 'Vries',
  email: 'jan.devries@waterlanden.nl',
  role: 'staff',
  relations: [],
  ...r,
});

describe('packed records', () => {
  it('gives back a person with several relations, dates and tussenvoegsels', () => {
    const r = record({
      givenName: 'Zoë',
      prefix: "van 't",
      familyName: 'Hoff-Yılmaz',
      relations: [
        { organisation: 'OBS De Regenboog', group: 'Groep 1/2', startDate: '2025-08-01', endDate: null },
        { organisation: 'SBO De Wissel', group: '', startDate: null, endDate: '2026-12-31' },
      ],
    });
    const back = unpack('10234', pack(r));
    expect(back).toEqual({ ...r, relations: [...r.relations].sort((a, b) => (packRelation(a) < packRelation(b) ? -1 : 1)) });
  });

  it('gives back empty fields as empty, absent dates as null, and no relations as none', () => {
    const r = record({ givenName: '', prefix: '', familyName: '', email: '', role: '' });
    expect(unpack('10234', pack(r))).toEqual(r);
    const oneEmpty = record({ relations: [{ organisation: '', group: '', startDate: null, endDate: null }] });
    expect(unpack('10234', pack(oneEmpty))).toEqual(oneEmpty);
  });

  it('unpacks 2,000 random records to what was packed (names with any character but the separators)', () => {
    const rnd = prng(20261129);
    const alphabet = ['a', 'Z', ' ', "'", '-', 'é', 'ı', '/', ';', '"', '\n', '😀'];
    const text = (max: number) => {
      let s = '';
      const n = Math.floor(rnd() * (max + 1));
      for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      return s;
    };
    const date = () => (rnd() < 0.5 ? null : `20${10 + Math.floor(rnd() * 20)}-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 10)}`);
    const roles: Role[] = ['', 'staff', 'student'];
    for (let i = 0; i < 2000; i++) {
      const relations: Relation[] = [];
      const k = Math.floor(rnd() * 4);
      for (let j = 0; j < k; j++) relations.push({ organisation: text(12), group: text(6), startDate: date(), endDate: date() });
      const r = record({ givenName: text(8), prefix: text(4), familyName: text(10), email: text(12), role: roles[i % 3]!, relations });
      const packed = canonicalPack(packAttributes(r), relations.map(packRelation));
      const back = unpack(r.externalId, packed);
      expect(pack(back)).toBe(packed);
      expect({ ...back, relations: [] }).toEqual({ ...r, relations: [] });
      expect(back.relations).toHaveLength(new Set(relations.map(packRelation)).size);
    }
  });
});
