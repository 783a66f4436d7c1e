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
  /** A whole line, its fields already made CSV fields (csvField) and joined, with its CRLF. */
  line(text: string): void;
}

/** A row's fields as one CSV line (RFC 4180), with its CRLF. */
export function csvLine(fields: readonly string[]): string {
  let s = csvField(fields[0]);
  for (let i = 1; i < fields.length; i++) s += ',' + csvField(fields[i]);
  return s + '\r\n';
}

function storageError(target: string, err: unknown): BasishubError {
  const e = err as NodeJS.ErrnoException;
  return new BasishubError('TARGET_FAILED', `Could not write ${target}: ${e.code ?? ''} ${e.message}`.trim(), {
    hint: 'Check that the folder exists, is writable and has room. Nothing was acknowledged: the next publish writes the files again.',
  });
}

/** Characters a table gathers as text before they are encoded, in one call, and go to its file (or, for a .zip, to its parts). */
const CHUNK = 1 << 16;

/**
 * One file's lines, gathered as one string (V8 joins them without copying) and encoded as UTF-8
 * 65,536 characters at a time: no buffer write per field, no list of lines to join.
 */
class TableBuffer {
  private pending = '';
  /** Encoded bytes of a .zip's file (a folder's go to the file at once). */
  readonly parts: Buffer[] = [];
  private scratch: Buffer | null = null;

  constructor(
    readonly fd: number | null,
    readonly tmp: string,
    private readonly spill: (bytes: Buffer) => void,
  ) {}

  row(fields: readonly string[]): void {
    this.line(csvLine(fields));
  }

  line(text: string): void {
    this.pending += text;
    if (this.pending.length >= CHUNK) this.flush();
  }

  /** Encodes what was gathered and hands the bytes on. */
  flush(): void {
    const text = this.pending;
    if (text.length === 0) return;
    this.pending = '';
    if (this.fd === null) {
      this.parts.push(Buffer.from(text, 'utf8'));
      return;
    }
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    if (this.scratch === null || this.scratch.length < text.length * 3) this.scratch = Buffer.allocUnsafe(Math.max(CHUNK * 3, text.length * 3));
    const n = this.scratch.write(text, 0, 'utf8');
    this.spill(this.scratch.subarray(0, n));
  }

  /** Every byte of a .zip's file. */
  take(): Buffer {
    this.flush();
    return Buffer.concat(this.parts);
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
    const t = new TableBuffer(fd, tmp, (bytes) => this.drain(name, fd!, bytes));
    this.tables.set(name, t);
    t.row(header);
    return t;
  }

  private drain(name: string, fd: number, bytes: Buffer): void {
    try {
      fs.writeSync(fd, bytes, 0, bytes.length);
    } catch (err) {
      throw storageError(path.join(this.target, name), err);
    }
  }

  /** Puts every file in place; until then the old files stay as they were. */
  commit(at: Date): string[] {
    const names = [...this.tables.keys()];
    try {
      if (this.zip) {
        const data = zipArchive(
          names.map((n) => {
            const t = this.tables.get(n)!;
            return { name: n, data: t.take() };
          }),
          at,
        );
        replaceAtomically(tempBeside(this.target), this.target, data);
        return [this.target];
      }
      for (const n of names) {
        const t = this.tables.get(n)!;
        t.flush();
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
