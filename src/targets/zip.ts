/**
 * A small zip writer for OneRoster archives: deflated entries, CRC-32, a central directory. No ZIP64
 * (entries and archive under 4 GiB, fewer than 65,535 entries), as the project's reader
 * (src/sources/zip.ts) expects. node:zlib does the compression; nothing else is needed.
 */
import { deflateRawSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** DOS date and time of a moment (zip's own format, local fields as UTC). */
function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/**
 * The fields a local header and its central directory entry share, from `at` on: version needed,
 * flags (UTF-8 names), method (deflate), time, date, CRC-32, sizes, the name's length (and, in the
 * local header, an empty extra field: what follows is 0 in both when the buffer is fresh).
 */
function entryFields(b: Buffer, at: number, f: { time: number; date: number; crc: number; packed: number; size: number; name: number }): void {
  b.writeUInt16LE(20, at); // version needed
  b.writeUInt16LE(0x0800, at + 2); // UTF-8 names
  b.writeUInt16LE(8, at + 4); // deflate
  b.writeUInt16LE(f.time, at + 6);
  b.writeUInt16LE(f.date, at + 8);
  b.writeUInt32LE(f.crc, at + 10);
  b.writeUInt32LE(f.packed, at + 14);
  b.writeUInt32LE(f.size, at + 18);
  b.writeUInt16LE(f.name, at + 22);
}

/** The bytes of a zip archive holding `files` (name → content), in the order given. */
export function zipArchive(files: { name: string; data: Buffer }[], at: Date): Buffer {
  const { time, date } = dosTime(at);
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const packed = deflateRawSync(f.data);
    const crc = crc32(f.data);
    if (f.data.length >= 0xffffffff || offset >= 0xffffffff)
      throw new Error(`${f.name} is too large for a zip archive without ZIP64; publish to a folder instead`);
    const fields = { time, date, crc, packed: packed.length, size: f.data.length, name: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    entryFields(local, 4, fields);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(0x0314, 4); // made by: Unix, 2.0
    entryFields(entry, 6, fields);
    entry.writeUInt32LE((0o100600 << 16) >>> 0, 38); // external attributes: a regular file, mode 600
    entry.writeUInt32LE(offset, 42);
    parts.push(local, name, packed);
    central.push(entry, name);
    offset += 30 + name.length + packed.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}
