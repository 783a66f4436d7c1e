/**
 * Packed records (src/sources/record.ts): what the collector keeps per person and the hub stores per
 * link. Unpacking must give back exactly what was packed, whatever the names hold.
 */
import { describe, expect, it } from '@jest/globals';
import { prng } from '../../src/bench/generate.js'; // seeded, so that a failure can be replayed
import {
  canonicalPack,
  fingerprint,
  fingerprintUtf8,
  pack,
  packAttributes,
  packRelation,
  unpack,
  type Relation,
  type Role,
  type SourceRecord,
} from '../../src/sources/record.js';

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

describe('the fingerprint of a record read from its UTF-8 bytes (fingerprintUtf8)', () => {
  const bytesOf = (s: string) => Buffer.from(s, 'utf8');

  it('is the fingerprint of the text the bytes spell, whatever the names hold, split anywhere between characters', () => {
    const texts = [
      pack(
        record({
          givenName: 'Daniëlle',
          prefix: "'t",
          familyName: 'Hoen',
          relations: [{ organisation: 'IKC Ærø', group: 'Groep 1', startDate: null, endDate: null }],
        }),
      ),
      pack(record({ givenName: 'İlknur', familyName: 'ÖZTÜRK-ŁUKASZEWSKA', email: 'ilknur@école.nl' })),
      pack(record({ givenName: 'Zoë 🌷', familyName: 'Şahin', email: '' })), // a character beyond U+FFFF: two UTF-16 units
      pack(record({ givenName: 'Jan' })),
      '',
    ];
    for (const text of texts) {
      for (let cut = 0; cut <= text.length; cut++) {
        const a = text.slice(0, cut);
        const b = text.slice(cut);
        if (/[\ud800-\udbff]$/.test(a)) continue; // not between two characters
        const left = Buffer.concat([bytesOf('xx'), bytesOf(a)]); // where a range starts inside its block
        expect(fingerprintUtf8(left, 2, left.length, bytesOf(b), 0, bytesOf(b).length)).toBe(fingerprint(text));
      }
    }
  });

  it('gives up (-1) on bytes that are not UTF-8, where the caller decodes and fingerprints the string', () => {
    const bad = Buffer.from([0x4a, 0x61, 0xff, 0x6e]);
    expect(fingerprintUtf8(bad, 0, bad.length, Buffer.alloc(0), 0, 0)).toBe(-1);
    const cut = bytesOf('Zoë').subarray(0, 3); // "Zo" and the first byte of "ë"
    expect(fingerprintUtf8(cut, 0, cut.length, Buffer.alloc(0), 0, 0)).toBe(-1);
  });
});
