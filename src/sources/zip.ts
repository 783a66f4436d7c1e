/**
 * A small reader of zip archives (for OneRoster exports delivered as one .zip): the central directory,
 * and each entry's bytes as a stream (stored or deflated), checked against its CRC-32 and size.
 * No ZIP64, no encryption: such an archive is INVALID_EXPORT with a clear message.
 *
 * A zip bomb cannot get far: an entry's declared size is checked against an absolute limit and against
 * its compressed size (a ratio limit) before anything is inflated, the sum of all entries against the
 * absolute limit, and while inflating each entry may not grow past its declared size (so the limits
 * hold for the bytes actually produced, stopped at the first chunk too many). Damaged deflate data
 * is INVALID_EXPORT like any other damage.
 */
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { invalidExport } from '../errors.js';
import { msg } from '../i18n/message.js';
import { readError } from './files.js';
import type { TableSource } from './csvtable.js';

export interface ZipEntry {
  /** The name as stored, with folders (`export/users.csv`). */
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Where the entry's data begins (after its local header). */
  dataStart: number;
}

/** The most bytes all entries of an archive may inflate to, together. */
export const MAX_INFLATED_BYTES = 256 * 1024 * 1024;
/** The largest inflated/compressed ratio of an entry above 1 MiB (CSV compresses 5 to 20 times). */
export const MAX_RATIO = 100;

const MiB = 1024 * 1024;

function checkSizes(path: string, entries: readonly ZipEntry[]): void {
  let total = 0;
  for (const e of entries) {
    if (e.size > MiB && e.size > e.compressedSize * MAX_RATIO) {
      const ratio = Math.round(e.size / Math.max(1, e.compressedSize));
      throw invalidExport(path, null, msg('readZipBomb', { name: e.name, ratio, compressed: e.compressedSize, size: e.size, max: MAX_RATIO }));
    }
    total += e.size;
    if (total > MAX_INFLATED_BYTES) {
      throw invalidExport(path, null, msg('readZipTooLarge', { mb: MAX_INFLATED_BYTES / MiB }));
    }
  }
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The entries (files, not folders) of a zip archive. */
export async function readZipDirectory(path: string): Promise<ZipEntry[]> {
  try {
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      const tailSize = Math.min(size, 22 + 0xffff);
      const tail = Buffer.alloc(tailSize);
      await fh.read(tail, 0, tailSize, size - tailSize);
      let eocd = -1;
      for (let i = tailSize - 22; i >= 0; i--) {
        if (tail.readUInt32LE(i) === EOCD) {
          eocd = i;
          break;
        }
      }
      if (eocd < 0) throw invalidExport(path, null, msg('readZipNoEnd'));
      const count = tail.readUInt16LE(eocd + 10);
      const cdSize = tail.readUInt32LE(eocd + 12);
      const cdOffset = tail.readUInt32LE(eocd + 16);
      if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
        throw invalidExport(path, null, msg('readZip64'));
      }
      if (cdOffset + cdSize > size) throw invalidExport(path, null, msg('readZipTruncated', { name: null }));
      const cd = Buffer.alloc(cdSize);
      await fh.read(cd, 0, cdSize, cdOffset);
      const entries: ZipEntry[] = [];
      let p = 0;
      for (let k = 0; k < count; k++) {
        if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) throw invalidExport(path, null, msg('readZipDamaged', { name: null }));
        const flags = cd.readUInt16LE(p + 8);
        const method = cd.readUInt16LE(p + 10);
        const crc = cd.readUInt32LE(p + 16);
        const compressedSize = cd.readUInt32LE(p + 20);
        const uncompressed = cd.readUInt32LE(p + 24);
        const nameLen = cd.readUInt16LE(p + 28);
        const extraLen = cd.readUInt16LE(p + 30);
        const commentLen = cd.readUInt16LE(p + 32);
        const localOffset = cd.readUInt32LE(p + 42);
        const name = cd.toString((flags & 0x800) !== 0 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen);
        p += 46 + nameLen + extraLen + commentLen;
        if (name.endsWith('/')) continue;
        if ((flags & 1) !== 0) throw invalidExport(path, null, msg('readZipEncrypted', { name }));
        if (method !== 0 && method !== 8) throw invalidExport(path, null, msg('readZipMethod', { name, method }));
        const local = Buffer.alloc(30);
        await fh.read(local, 0, 30, localOffset);
        if (local.readUInt32LE(0) !== LOCAL) throw invalidExport(path, null, msg('readZipDamaged', { name }));
        const dataStart = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
        if (dataStart + compressedSize > size) throw invalidExport(path, null, msg('readZipTruncated', { name }));
        entries.push({ name, method, crc, compressedSize, size: uncompressed, dataStart });
      }
      checkSizes(path, entries);
      return entries;
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw readError(path, e);
  }
}

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

export function crc32(buf: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** Checks the bytes of an entry against the size and CRC-32 of the directory. */
function checker(zip: string, entry: ZipEntry): Transform {
  let crc = 0;
  let size = 0;
  const file = `${zip}/${entry.name}`;
  return new Transform({
    transform(chunk: Buffer, _enc, callback) {
      size += chunk.length;
      if (size > entry.size) {
        callback(invalidExport(file, null, msg('readZipEntryTooLong')));
        return;
      }
      crc = crc32(chunk, crc);
      callback(null, chunk);
    },
    flush(callback) {
      if (size !== entry.size || crc !== entry.crc) callback(invalidExport(file, null, msg('readZipEntryDamaged')));
      else callback();
    },
  });
}

/** A zip entry as a table source for csvtable.ts, named `<zip>/<entry>` in messages. */
export function entrySource(zip: string, entry: ZipEntry): TableSource {
  return {
    file: `${zip}/${entry.name}`,
    path: zip,
    start: entry.dataStart,
    end: entry.dataStart + entry.compressedSize - 1,
    transforms: () => (entry.method === 8 ? [createInflateRaw(), checker(zip, entry)] : [checker(zip, entry)]),
  };
}
