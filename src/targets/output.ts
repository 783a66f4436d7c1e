/**
 * Writing a file target's set of CSV files safely: each file to a temporary file beside it, flushed to
 * disk, then renamed over the old one, so that a consumer (SDS, a OneRoster import) never reads half a
 * file; owner-only (mode 600: the files hold personal data of children and staff). A .zip is one file,
 * so a OneRoster archive is replaced whole. The temporary names, the mode and the atomic replace are
 * those of every file basishub writes (src/store/outfile.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { BasishubError } from '../errors.js';
import { OWNER_ONLY, replaceAtomically, syncFolder, tempBeside } from '../store/outfile.js';
import { zipArchive } from './zip.js';

/** A CSV field: quoted when it holds the delimiter, a quote, a line break or surrounding spaces (RFC 4180). */
export function csvField(v: string): string {
  return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvLine(fields: readonly string[]): string {
  let s = '';
  for (let i = 0; i < fields.length; i++) s += (i === 0 ? '' : ',') + csvField(fields[i]);
  return s + '\r\n';
}

export interface Table {
  row(fields: readonly string[]): void;
}

function storageError(target: string, err: unknown): BasishubError {
  const e = err as NodeJS.ErrnoException;
  return new BasishubError('TARGET_FAILED', `Could not write ${target}: ${e.code ?? ''} ${e.message}`.trim(), {
    hint: 'Check that the folder exists, is writable and has room. Nothing was acknowledged: the next publish writes the files again.',
  });
}

const CHUNK = 1 << 20;

/** Writes a set of CSV tables into a folder (each atomically) or into one .zip (atomically). */
export class OutputSet {
  private readonly tables = new Map<string, { chunks: string[]; size: number; fd: number | null; tmp: string }>();
  readonly zip: boolean;

  constructor(readonly target: string) {
    this.zip = /\.zip$/i.test(target);
    const dir = this.zip ? path.dirname(target) : target;
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      // Temporary files of a publish that was killed before it could remove them.
      for (const f of fs.readdirSync(dir)) if (/^\..+\.\d+\.tmp$/.test(f) && !f.endsWith(`.${process.pid}.tmp`)) fs.rmSync(path.join(dir, f), { force: true });
    } catch (err) {
      throw storageError(target, err);
    }
  }

  table(name: string, header: readonly string[]): Table {
    const tmp = this.zip ? '' : tempBeside(path.join(this.target, name));
    let fd: number | null = null;
    if (!this.zip) {
      try {
        fd = fs.openSync(tmp, 'w', OWNER_ONLY);
      } catch (err) {
        throw storageError(path.join(this.target, name), err);
      }
    }
    const t = { chunks: [] as string[], size: 0, fd, tmp };
    this.tables.set(name, t);
    const add = (line: string) => {
      t.chunks.push(line);
      t.size += line.length;
      if (t.fd !== null && t.size >= CHUNK) this.drain(name);
    };
    add(csvLine(header));
    return { row: (fields) => add(csvLine(fields)) };
  }

  private drain(name: string): void {
    const t = this.tables.get(name)!;
    try {
      fs.writeSync(t.fd!, t.chunks.join(''));
    } catch (err) {
      throw storageError(path.join(this.target, name), err);
    }
    t.chunks = [];
    t.size = 0;
  }

  /** Puts every file in place; until then the old files stay as they were. */
  commit(at: Date): string[] {
    const names = [...this.tables.keys()];
    try {
      if (this.zip) {
        const data = zipArchive(names.map((n) => ({ name: n, data: Buffer.from(this.tables.get(n)!.chunks.join(''), 'utf8') })), at);
        replaceAtomically(tempBeside(this.target), this.target, data);
        return [this.target];
      }
      for (const n of names) {
        this.drain(n);
        const t = this.tables.get(n)!;
        fs.fsyncSync(t.fd!);
        fs.closeSync(t.fd!);
        t.fd = null;
      }
      for (const n of names) fs.renameSync(this.tables.get(n)!.tmp, path.join(this.target, n));
      syncFolder(this.target);
      return names.map((n) => path.join(this.target, n));
    } catch (err) {
      this.abort();
      throw err instanceof BasishubError ? err : storageError(this.target, err);
    }
  }

  /** Removes the temporary files; the old files stay. */
  abort(): void {
    for (const t of this.tables.values()) {
      if (t.fd !== null) fs.closeSync(t.fd);
      t.fd = null;
      if (t.tmp !== '') fs.rmSync(t.tmp, { force: true });
    }
  }
}
