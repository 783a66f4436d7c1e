/** Shared by the tests of the export readers. */
import { expect } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BasishubError } from '../../src/errors.js';
import { readerFor } from '../../src/sources/index.js';
import type { ExportInfo, ExportRow, ReaderSettings } from '../../src/sources/types.js';
import { crc32 } from '../../src/sources/zip.js';

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

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'basishub-sources-'));
}

/** A zip archive with stored (uncompressed) entries, for tests of the zip reader. */
export function storedZip(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
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
