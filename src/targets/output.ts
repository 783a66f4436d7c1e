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

/**
 * Characters a table gathers as text before they are encoded in one call: few enough that the lines
 * waiting are seldom still alive when the garbage collector looks (they would be copied, then kept).
 */
const TEXT_CHUNK = 1 << 14;
/** Bytes a folder's table gathers before they go to its file in one write. */
const BYTE_CHUNK = 1 << 18;

/**
 * One file's lines, gathered as one string (V8 joins them without copying), encoded as UTF-8 16,384
 * characters at a time into a buffer that goes to the file when full: no buffer write per field, no
 * list of lines to join, a write to the file per 256 KiB.
 */
class TableBuffer {
  private pending = '';
  /** Encoded bytes of a .zip's file (a folder's go to the file at once). */
  readonly parts: Buffer[] = [];
  private buf = Buffer.allocUnsafe(BYTE_CHUNK + TEXT_CHUNK * 3);
  private used = 0;

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
    if (this.pending.length >= TEXT_CHUNK) this.encode();
  }

  /** Encodes what was gathered (a UTF-16 unit is at most 3 bytes of UTF-8). */
  private encode(): void {
    const text = this.pending;
    this.pending = '';
    if (this.used + text.length * 3 > this.buf.length) {
      this.flush();
      if (text.length * 3 > this.buf.length) this.buf = Buffer.allocUnsafe(text.length * 3);
    }
    this.used += this.buf.write(text, this.used, 'utf8');
    if (this.used >= BYTE_CHUNK) this.flush();
  }

  /** Hands every byte gathered on: to the file, or to a .zip's parts. */
  flush(): void {
    if (this.pending.length > 0) this.encode();
    if (this.used === 0) return;
    const bytes = this.buf.subarray(0, this.used);
    if (this.fd === null) {
      this.parts.push(Buffer.from(bytes));
    } else this.spill(bytes);
    this.used = 0;
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
