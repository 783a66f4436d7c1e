import { describe, expect, it } from '@jest/globals';
import { thrown as failure } from '../helpers/errors.js';
import { decodeWindows1252, ExportDecoder, scanUtf8 } from '../../src/sources/encoding.js';

function decodeInPieces(bytes: Buffer, configured: 'utf-8' | 'windows-1252' | null, size: number): { text: string; decoder: ExportDecoder } {
  const d = new ExportDecoder('f.csv', configured);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(d.push(bytes.subarray(i, i + size)));
  out.push(d.end());
  return { text: Buffer.concat(out).toString('utf8'), decoder: d };
}

describe('ExportDecoder', () => {
  const text = 'naam\nZoë\nÓ Bríain\n€ 5\n😀\n';

  it.each([1, 2, 3, 5, 64])('UTF-8 in chunks of %i bytes comes out whole', (size) => {
    const { text: out, decoder } = decodeInPieces(Buffer.from(text, 'utf8'), null, size);
    expect(out).toBe(text);
    expect(decoder.detected).toBe('utf-8');
  });

  it('drops a leading BOM and reports it', () => {
    const { text: out, decoder } = decodeInPieces(Buffer.from('\uFEFFabc', 'utf8'), null, 2);
    expect(out).toBe('abc');
    expect(decoder.bom).toBe(true);
  });

  it('detects Windows-1252 and converts it (€ is 0x80)', () => {
    const bytes = Buffer.from([0x52, 0x65, 0x6e, 0xe9, 0x0a, 0x80, 0x20, 0x35, 0x0a, 0xd3]);
    const { text: out, decoder } = decodeInPieces(bytes, null, 3);
    expect(out).toBe('René\n€ 5\nÓ');
    expect(decoder.detected).toBe('windows-1252');
  });

  it('ASCII only is reported as UTF-8', () => {
    const { decoder } = decodeInPieces(Buffer.from('abc\n'), null, 2);
    expect(decoder.encoding).toBeNull();
    expect(decoder.detected).toBe('utf-8');
  });

  it('a truncated UTF-8 sequence at the end is invalid, naming its line', () => {
    const bytes = Buffer.concat([Buffer.from('a\nZo\u00eb\nb'), Buffer.from([0xc3])]);
    const err = failure(() => decodeInPieces(bytes, 'utf-8', 4));
    expect(err.message).toBe('f.csv:3: the file is not valid UTF-8');
  });

  it('mixed UTF-8 and Windows-1252 across chunks is broken UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from('Zoë\n'.repeat(3)), Buffer.from('Ren'), Buffer.from([0xe9])]);
    const err = failure(() => decodeInPieces(bytes, null, 5));
    expect(err.message).toContain('f.csv:4: broken UTF-8');
    expect(err.message).toContain('line 1');
  });

  it('scanUtf8 finds invalid bytes and multi-byte sequences (overlong, surrogates rejected)', () => {
    expect(scanUtf8(Buffer.from('abc'))).toEqual({ invalid: -1, multibyte: -1 });
    expect(scanUtf8(Buffer.from('aë'))).toEqual({ invalid: -1, multibyte: 1 });
    expect(scanUtf8(Buffer.from([0x61, 0xc0, 0x80]))).toEqual({ invalid: 1, multibyte: -1 });
    expect(scanUtf8(Buffer.from([0xed, 0xa0, 0x80])).invalid).toBe(0);
    expect(scanUtf8(Buffer.from([0xf0, 0x9f, 0x98, 0x80]))).toEqual({ invalid: -1, multibyte: 0 });
  });
});

describe('decodeWindows1252', () => {
  it('maps 0x80–0x9F as Windows-1252 does (not as Latin-1 C1 controls)', () => {
    const bytes = Buffer.from([0x80, 0x82, 0x84, 0x85, 0x8a, 0x8c, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0x99, 0x9a, 0x9c, 0x9f, 0x81]);
    expect(decodeWindows1252(bytes)).toBe('€‚„…ŠŒ‘’“”–—™šœŸ\u0081');
    expect(decodeWindows1252(Buffer.from([0x52, 0x65, 0x6e, 0xe9, 0x20, 0xd3, 0xeb, 0xef]))).toBe('René Óëï');
    // twice in a row: no state left behind between calls
    expect(decodeWindows1252(Buffer.from([0x92]))).toBe('’');
    expect(decodeWindows1252(Buffer.from([0x41, 0x92]))).toBe('A’');
  });
});
