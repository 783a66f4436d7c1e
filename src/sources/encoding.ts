/**
 * The character encoding of an export, checked (and, for Windows-1252, converted) while it streams.
 *
 * The decoder turns the export's bytes into UTF-8 bytes, chunk by chunk, never holding the file:
 * - `utf-8` configured: bytes that are not UTF-8 make the export invalid, naming the line;
 * - `windows-1252` configured: bytes are converted (see decodeWindows1252);
 * - not configured: ASCII is both; the first byte above 0x7F decides. A valid UTF-8 sequence (or a
 *   UTF-8 BOM) makes it UTF-8; bytes that are not UTF-8 make it Windows-1252 — as long as the file
 *   holds no valid multi-byte UTF-8 sequence at all. A file that has both is broken UTF-8: invalid.
 * A BOM at the start is dropped; a BOM anywhere else, a NUL byte, a UTF-16 BOM or a zip (.xlsx)
 * signature make the export invalid.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import type { Hash } from 'node:crypto';
import { Writable } from 'node:stream';
import { invalidExport } from '../errors.js';
import { msg, type Message } from '../i18n/message.js';
import type { Encoding } from './types.js';

const EMPTY = Buffer.alloc(0);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Whether the bytes start with the UTF-8 byte order mark (EF BB BF), as Excel's "CSV UTF-8" writes. */
export function startsWithBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** Bytes at the end of `buf` that begin a UTF-8 sequence that the next chunk completes (0–3). */
function incompleteTail(buf: Buffer): number {
  const n = buf.length;
  let k = 0; // continuation bytes at the end
  while (k < 3 && k < n && (buf[n - 1 - k] & 0xc0) === 0x80) k++;
  const j = n - 1 - k;
  if (j < 0) return 0;
  const lead = buf[j];
  if (lead < 0xc0) return 0;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  return need > k + 1 ? k + 1 : 0;
}

/**
 * Windows-1252 bytes 0x80–0x9F (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ); the rest is
 * Latin-1. Not TextDecoder('windows-1252'): Node 20.18.3+ decodes these 32 bytes as Latin-1 (C1
 * controls), so a ’ typed in Excel would come out as U+0092 (nodejs/node#60888).
 */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const C1 = /[\x80-\x9f]/g;
const HAS_C1 = /[\x80-\x9f]/;

/** The bytes that Windows-1252 leaves undefined. */
const UNDEFINED_1252 = [0x81, 0x8d, 0x8f, 0x90, 0x9d] as const;

/** The offset of the first byte that has no character in Windows-1252, or -1. */
export function firstUndefined1252(buf: Buffer): number {
  let first = -1;
  for (const b of UNDEFINED_1252) {
    const i = buf.indexOf(b);
    if (i >= 0 && (first < 0 || i < first)) first = i;
  }
  return first;
}

/** Windows-1252 text (bytes it leaves undefined come out as C1 controls: see firstUndefined1252). */
export function decodeWindows1252(buf: Buffer): string {
  const s = buf.toString('latin1');
  return HAS_C1.test(s) ? s.replace(C1, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]) : s;
}

function cont(b: number | undefined): boolean {
  return b !== undefined && (b & 0xc0) === 0x80;
}

/** Length of the valid UTF-8 multi-byte sequence at `i`, or 0 when the bytes there are not UTF-8. */
function sequenceLength(buf: Buffer, i: number): number {
  const b = buf[i];
  const b1 = buf[i + 1];
  if (b >= 0xc2 && b <= 0xdf) return cont(b1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    if (b1 === undefined || !cont(b1) || !cont(buf[i + 2])) return 0;
    if (b === 0xe0 && b1 < 0xa0) return 0; // overlong
    if (b === 0xed && b1 > 0x9f) return 0; // surrogates
    return 3;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    if (b1 === undefined || !cont(b1) || !cont(buf[i + 2]) || !cont(buf[i + 3])) return 0;
    if (b === 0xf0 && b1 < 0x90) return 0; // overlong
    if (b === 0xf4 && b1 > 0x8f) return 0; // above U+10FFFF
    return 4;
  }
  return 0;
}

/** Offsets of the first byte that is not UTF-8 and of the first valid multi-byte sequence (-1: none). */
export function scanUtf8(buf: Buffer): { invalid: number; multibyte: number } {
  let invalid = -1;
  let multibyte = -1;
  const n = buf.length;
  let i = 0;
  while (i < n) {
    if (buf[i] < 0x80) {
      i++;
      continue;
    }
    const len = sequenceLength(buf, i);
    if (len === 0) {
      if (invalid < 0) invalid = i;
      i++;
    } else {
      if (multibyte < 0) multibyte = i;
      i += len;
    }
    if (invalid >= 0 && multibyte >= 0) break;
  }
  return { invalid, multibyte };
}

function countLines(buf: Buffer, end: number): number {
  let count = 0;
  let i = buf.indexOf(10);
  while (i >= 0 && i < end) {
    count++;
    i = buf.indexOf(10, i + 1);
  }
  return count;
}

/**
 * What the decoder knows of the file's encoding so far, and the evidence its messages cite:
 * - `ascii`: none configured, and every byte so far was ASCII (both encodings read it alike);
 * - `utf-8`: configured, or decided by the BOM (`since` 0) or by the first multi-byte character (its line);
 * - `windows-1252` decided by the first byte that is not UTF-8 (`since`: its line);
 * - `windows-1252` configured: whether the bytes seen so far would be UTF-8, for a warning at the end.
 */
type EncodingState =
  | { is: 'ascii' }
  | { is: 'utf-8'; configured: true }
  | { is: 'utf-8'; configured: false; since: number }
  | { is: 'windows-1252'; configured: false; since: number }
  | { is: 'windows-1252'; configured: true; sawInvalid: boolean; sawMultibyte: boolean };

function initialState(configured: Encoding | null): EncodingState {
  if (configured === 'utf-8') return { is: 'utf-8', configured: true };
  if (configured === 'windows-1252') return { is: 'windows-1252', configured: true, sawInvalid: false, sawMultibyte: false };
  return { is: 'ascii' };
}

export class ExportDecoder {
  bom = false;
  readonly warnings: Message[] = [];
  private state: EncodingState;
  /** Bytes held back: the first bytes until the BOM and signatures can be judged, or an unfinished UTF-8 sequence. */
  private carry: Buffer | null = null;
  private started = false;
  /** Lines (LF bytes) in the bytes handled before the current chunk. */
  private lines = 0;

  constructor(
    readonly file: string,
    readonly configured: Encoding | null,
  ) {
    this.state = initialState(configured);
  }

  /** The encoding decided so far: null while the file was all ASCII. */
  get encoding(): Encoding | null {
    return this.state.is === 'ascii' ? null : this.state.is;
  }

  /** The encoding to report: a file that is all ASCII is UTF-8. */
  get detected(): Encoding {
    return this.encoding ?? 'utf-8';
  }

  /** Decodes one chunk of the file; returns UTF-8 bytes (possibly empty), ending on a whole character. */
  push(chunk: Buffer): Buffer {
    return this.process(chunk, false);
  }

  /** Ends the file: returns the last bytes; an unfinished UTF-8 sequence there is invalid. */
  end(): Buffer {
    const out = this.process(EMPTY, true);
    const s = this.state;
    if (s.is === 'windows-1252' && s.configured && s.sawMultibyte && !s.sawInvalid) {
      this.warnings.push(msg('readUtf8ButWindows1252'));
    }
    return out;
  }

  private lineAt(body: Buffer, offset: number): number {
    return this.lines + countLines(body, offset) + 1;
  }

  private process(chunk: Buffer, final: boolean): Buffer {
    let buf = this.carry === null ? chunk : Buffer.concat([this.carry, chunk]);
    this.carry = null;
    if (!this.started) {
      if (buf.length < 4 && !final) {
        this.carry = Buffer.from(buf);
        return EMPTY;
      }
      this.started = true;
      buf = this.start(buf);
    }
    let body = buf;
    if (!final) {
      const tail = incompleteTail(buf);
      if (tail > 0) {
        this.carry = Buffer.from(buf.subarray(buf.length - tail));
        body = buf.subarray(0, buf.length - tail);
      }
    }
    if (body.length === 0) return EMPTY;
    this.refuseControlBytes(body);
    const is = this.state.is;
    const out = is === 'utf-8' ? this.utf8(body) : is === 'windows-1252' ? this.windows1252(body) : this.sniff(body);
    this.lines += countLines(body, body.length);
    return out;
  }

  /** A NUL byte (binary data), or an information separator (0x1E, 0x1F), which divide a stored record's fields. */
  private refuseControlBytes(body: Buffer): void {
    const nul = body.indexOf(0);
    if (nul >= 0) {
      throw invalidExport(this.file, this.lineAt(body, nul), msg('readNulByte'));
    }
    // No name or id holds one, and one inside a field would shift the fields after it (src/sources/record.ts).
    const sep = separatorAt(body);
    if (sep >= 0) {
      throw invalidExport(this.file, this.lineAt(body, sep), msg('readSeparatorByte', { byte: body[sep].toString(16).toUpperCase() }));
    }
  }

  /** The first bytes of the file: BOM and signatures of files that are not text exports. */
  private start(buf: Buffer): Buffer {
    if (startsWithBom(buf)) {
      this.bom = true;
      if (this.configured === 'windows-1252') {
        throw invalidExport(this.file, 1, msg('readBomButWindows1252'), msg('readBomButWindows1252Hint'));
      }
      if (this.state.is === 'ascii') this.state = { is: 'utf-8', configured: false, since: 0 };
      return buf.subarray(3);
    }
    if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
      throw invalidExport(this.file, 1, msg('readUtf16'));
    }
    if (buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 3 && buf[3] === 4) {
      throw invalidExport(this.file, 1, msg('readZipNotText'));
    }
    return buf;
  }

  private utf8(body: Buffer): Buffer {
    if (!isUtf8(body)) {
      const { invalid, multibyte } = scanUtf8(body);
      const at = invalid >= 0 ? invalid : 0;
      const line = this.lineAt(body, at);
      const s = this.state;
      if (s.is !== 'utf-8' || s.configured) {
        throw invalidExport(this.file, line, msg('readNotUtf8'), msg('readNotUtf8Hint'));
      }
      const utf8Line = s.since === 0 ? 0 : multibyte >= 0 && multibyte < at ? this.lineAt(body, multibyte) : s.since;
      throw invalidExport(this.file, line, msg('readBrokenUtf8', { utf8Line, badLine: line, badFirst: false }));
    }
    const bom = body.indexOf(UTF8_BOM);
    if (bom >= 0) {
      throw invalidExport(this.file, this.lineAt(body, bom), msg('readBomInMiddle'));
    }
    return body;
  }

  private windows1252(body: Buffer): Buffer {
    if (isAscii(body)) return body;
    const { invalid, multibyte } = scanUtf8(body);
    const s = this.state;
    if (s.is === 'windows-1252' && !s.configured && multibyte >= 0) {
      throw invalidExport(this.file, s.since, msg('readBrokenUtf8', { utf8Line: this.lineAt(body, multibyte), badLine: s.since, badFirst: true }));
    }
    if (s.is === 'windows-1252' && s.configured) {
      if (invalid >= 0) s.sawInvalid = true;
      if (multibyte >= 0) s.sawMultibyte = true;
    }
    const undefinedByte = firstUndefined1252(body);
    if (undefinedByte >= 0) {
      const byte = body[undefinedByte].toString(16).toUpperCase();
      throw invalidExport(this.file, this.lineAt(body, undefinedByte), msg('readUndefined1252', { byte }), msg('readUndefined1252Hint'));
    }
    return Buffer.from(decodeWindows1252(body), 'utf8');
  }

  /** Not configured, all ASCII so far: the first byte above 0x7F decides (see the top of this file). */
  private sniff(body: Buffer): Buffer {
    if (isAscii(body)) return body;
    if (isUtf8(body)) {
      this.state = { is: 'utf-8', configured: false, since: this.lineAt(body, scanUtf8(body).multibyte) };
      return this.utf8(body);
    }
    const { invalid, multibyte } = scanUtf8(body);
    if (multibyte >= 0) {
      const line = this.lineAt(body, invalid);
      throw invalidExport(this.file, line, msg('readBrokenUtf8', { utf8Line: this.lineAt(body, multibyte), badLine: line, badFirst: false }));
    }
    this.state = { is: 'windows-1252', configured: false, since: this.lineAt(body, invalid) };
    return this.windows1252(body);
  }
}

/** What reads the decoded text, chunk by chunk (the CSV tokenizer, the JSON scanner). */
export interface TextConsumer {
  push(text: string): void;
  end(): void;
}

/**
 * The end of an export's pipeline: hashes the raw bytes, decodes them (each chunk ends on a whole
 * character) and hands the text to `to`. Whatever they throw fails the pipeline.
 */
export function decodingSink(decoder: ExportDecoder, to: TextConsumer, hash?: Hash): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, callback) {
      try {
        hash?.update(chunk);
        const bytes = decoder.push(chunk);
        if (bytes.length > 0) to.push(bytes.toString('utf8'));
        callback();
      } catch (e) {
        callback(e as Error);
      }
    },
    final(callback) {
      try {
        const bytes = decoder.end();
        if (bytes.length > 0) to.push(bytes.toString('utf8'));
        to.end();
        callback();
      } catch (e) {
        callback(e as Error);
      }
    },
  });
}

/** The first 0x1E or 0x1F byte in `body`, or -1 (both are single bytes in UTF-8 and Windows-1252). */
function separatorAt(body: Buffer): number {
  const rs = body.indexOf(0x1e);
  const us = body.indexOf(0x1f);
  return rs < 0 ? us : us < 0 ? rs : Math.min(rs, us);
}
