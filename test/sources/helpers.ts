/** Shared by the tests of the export readers. */
import { expect } from '@jest/globals';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { BasishubError } from '../../src/errors.js';
import { readerFor } from '../../src/sources/index.js';
import type { ExportInfo, ExportRow, ReaderSettings } from '../../src/sources/types.js';
import { crc32 } from '../../src/sources/zip.js';
import { tempDir as makeTempDir } from '../helpers/tmp.js';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = resolve(here, '../../fixtures');
/** Microsoft's SDS sample exports (MIT), copied into fixtures/microsoft-sds so that any clone can run the tests. */
export const SAMPLES = resolve(here, '../../fixtures');

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

export function settings(over: Partial<ReaderSettings> = {}): ReaderSettings {
  return { name: 'test', format: 'csv', map: {}, delimiter: null, encoding: null, dateFormat: null, ...over };
}

/** The Dutch HR export's mapping (fixtures/formats/personeel-*.csv). */
export const DUTCH_MAP: ReaderSettings['map'] = {
  externalId: 'Personeelsnummer',
  givenName: 'Voornaam',
  prefix: 'Tussenvoegsel',
  familyName: 'Achternaam',
  email: 'E-mailadres',
  organisation: 'School',
  group: 'Team',
};

/** Reads an export with the reader of its format, keeping every row. */
export async function readRows(path: string, s: ReaderSettings): Promise<{ info: ExportInfo; rows: ExportRow[] }> {
  const rows: ExportRow[] = [];
  const info = await readerFor(s.format)(path, s, (r) => rows.push(r));
  return { info, rows };
}

/** Awaits a promise that must fail with INVALID_EXPORT; returns the error. */
export async function invalid(p: Promise<unknown>): Promise<BasishubError> {
  let result: unknown;
  try {
    result = await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BasishubError);
    const err = e as BasishubError;
    expect(err.code).toBe('INVALID_EXPORT');
    return err;
  }
  throw new Error(`expected INVALID_EXPORT, got a result: ${JSON.stringify(result)?.slice(0, 200)}`);
}

/** Asserts the error names `file` and (when given) `:<line>`. */
export function expectWhere(err: BasishubError, file: string, line: number | null): void {
  expect(err.message).toContain(file);
  expect(err.details?.file).toBe(file);
  expect(err.details?.line).toBe(line);
  if (line !== null) expect(err.message).toContain(`${file}:${line}:`);
}

/** A temporary folder for one test's exports, removed after the test file. */
export function tempDir(): string {
  return makeTempDir('basishub-sources-');
}

/** One entry of a zip made by zipOf: deflated unless `stored`; `size` may lie about the inflated size. */
export interface TestZipEntry {
  name: string;
  data: Buffer;
  stored?: boolean;
  size?: number;
  /** The entry's compressed bytes and CRC-32 as given (data is then not used for them). */
  body?: Buffer;
  crc?: number;
}

/** A zip archive with stored (uncompressed) entries, for tests of the zip reader. */
export function storedZip(entries: { name: string; data: Buffer }[]): Buffer {
  return zipOf(entries.map((e) => ({ ...e, stored: true })));
}

/** A zip archive of deflated (or stored) entries, written by hand so that tests can make it lie. */
export function zipOf(entries: TestZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const crc = e.crc ?? crc32(e.data);
    const method = e.stored === true ? 0 : 8;
    const body = e.body ?? (method === 8 ? deflateRawSync(e.data, { level: 9 }) : e.data);
    const size = e.size ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}
