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

export interface Table {
  row(fields: readonly string[]): void;
}

function storageError(target: string, err: unknown): BasishubError {
  const e = err as NodeJS.ErrnoException;
  return new BasishubError('TARGET_FAILED', `Could not write ${target}: ${e.code ?? ''} ${e.message}`.trim(), {
    hint: 'Check that the folder exists, is writable and has room. Nothing was acknowledged: the next publish writes the files again.',
  });
}

/** Bytes a table gathers before they go to its file (or, for a .zip, to its list of parts). */
const CHUNK = 1 << 16;
const COMMA = 0x2c;

/**
 * One file's rows, encoded as they come into a buffer of CHUNK bytes: no string per line and no list of
 * lines to join, so a million rows leave nothing behind for the garbage collector but their fields.
 */
class TableBuffer {
  buf = Buffer.allocUnsafe(CHUNK);
  used = 0;
  /** Full buffers of a .zip's file (a folder's go to the file at once). */
  readonly parts: Buffer[] = [];

  constructor(
    readonly fd: number | null,
    readonly tmp: string,
    private readonly spill: (t: TableBuffer) => void,
  ) {}

  row(fields: readonly string[]): void {
    for (let i = 0; i < fields.length; i++) {
      const v = fields[i];
      // A UTF-16 unit is at most 3 bytes of UTF-8; a quoted field at most twice as long, plus quotes, comma and CRLF.
      if (this.used + v.length * 6 + 5 > this.buf.length) this.grow(v.length * 6 + 5);
      if (i > 0) this.buf[this.used++] = COMMA;
      if (v.length === 0) continue;
      this.used += this.buf.write(csvField(v), this.used, 'utf8');
    }
    if (this.used + 2 > this.buf.length) this.grow(2);
    this.buf[this.used++] = 0x0d;
    this.buf[this.used++] = 0x0a;
  }

  /** Hands the full part on, and makes room for at least `need` bytes. */
  private grow(need: number): void {
    this.spill(this);
    if (this.buf.length - this.used < need) this.buf = Buffer.allocUnsafe(Math.max(CHUNK, need));
  }

  /** The bytes gathered (a copy's worth of the buffer), emptying it. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.used);
    this.buf = Buffer.allocUnsafe(CHUNK);
    this.used = 0;
    return out;
  }
}

/** Writes a set of CSV tables into a folder (each atomically) or into one .zip (atomically). */
export class OutputSet {
  private readonly tables = new Map<string, TableBuffer>();
  /** Tables whose file is closed. */
  private readonly closed = new Set<string>();
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
    const t = new TableBuffer(fd, tmp, (full) => this.drain(name, full));
    this.tables.set(name, t);
    t.row(header);
    return t;
  }

  private drain(name: string, t: TableBuffer): void {
    if (t.used === 0) return;
    if (t.fd === null) {
      t.parts.push(t.take());
      return;
    }
    try {
      fs.writeSync(t.fd, t.buf, 0, t.used);
    } catch (err) {
      throw storageError(path.join(this.target, name), err);
    }
    t.used = 0;
  }

  /** Puts every file in place; until then the old files stay as they were. */
  commit(at: Date): string[] {
    const names = [...this.tables.keys()];
    try {
      if (this.zip) {
        const data = zipArchive(
          names.map((n) => {
            const t = this.tables.get(n)!;
            return { name: n, data: Buffer.concat([...t.parts, t.take()]) };
          }),
          at,
        );
        replaceAtomically(tempBeside(this.target), this.target, data);
        return [this.target];
      }
      for (const n of names) {
        const t = this.tables.get(n)!;
        this.drain(n, t);
        fs.fsyncSync(t.fd!);
        fs.closeSync(t.fd!);
        this.closed.add(n);
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
    for (const [n, t] of this.tables) {
      if (t.fd !== null && !this.closed.has(n)) fs.closeSync(t.fd);
      this.closed.add(n);
      if (t.tmp !== '') fs.rmSync(t.tmp, { force: true });
    }
  }
}
