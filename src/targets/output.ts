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
import { writeDigits } from './digits.js';
import { zipArchive } from './zip.js';

/** A CSV field: quoted when it holds the delimiter, a quote, a line break or surrounding spaces (RFC 4180). */
export function csvField(v: string): string {
  return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export interface Table {
  row(fields: readonly string[]): void;
  /** A whole line, its fields already made CSV fields (csvField) and joined, with its CRLF. */
  line(text: string): void;
  /** Text that needs no quoting (sourcedIds, roles, separators), as it is. */
  raw(text: string): Table;
  /** A field, quoted as csvField quotes it. */
  field(value: string): Table;
  /** A whole number (an id) in decimal. */
  int(n: number): Table;
  /** Ends the line (CRLF). */
  end(): void;
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

/** Bytes a table gathers before they go to its file (or, for a .zip, to its parts) in one piece. */
const BYTE_CHUNK = 1 << 18;

/** An ASCII whitespace character, as `\s` matches one (the others are not ASCII). */
function asciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * One file's lines, written straight into a buffer as UTF-8 bytes, field by field, that goes to the
 * file when full (a write per 256 KiB): no string is made of a line, nor of a chunk of lines. ASCII text
 * (nearly all of it) is copied a character at a time while csvField's test is made on the way; text with
 * another character takes csvField and Buffer.write, so the bytes are always those of csvField's rules.
 */
class TableBuffer implements Table {
  /** Encoded bytes of a .zip's file (a folder's go to the file at once). */
  readonly parts: Buffer[] = [];
  private buf = Buffer.allocUnsafe(BYTE_CHUNK + (1 << 16));
  private used = 0;

  constructor(
    public fd: number | null,
    public tmp: string,
    private readonly spill: (bytes: Buffer) => void,
  ) {}

  row(fields: readonly string[]): void {
    this.line(csvLine(fields));
  }

  line(text: string): void {
    this.utf8(text);
    if (this.used >= BYTE_CHUNK) this.flush();
  }

  /** Room for `bytes` more bytes. */
  private room(bytes: number): void {
    if (this.used + bytes <= this.buf.length) return;
    this.flush();
    if (bytes > this.buf.length) this.buf = Buffer.allocUnsafe(bytes);
  }

  private utf8(text: string): void {
    this.room(text.length * 3);
    this.used += this.buf.write(text, this.used, 'utf8');
  }

  raw(text: string): this {
    const n = text.length;
    this.room(n * 3);
    const b = this.buf;
    let u = this.used;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) {
        this.utf8(text);
        return this;
      }
      b[u++] = c;
    }
    this.used = u;
    return this;
  }

  field(value: string): this {
    const n = value.length;
    // csvField at most doubles a character (a quote: one byte more) and adds two quotes.
    this.room(n * 4 + 2);
    const b = this.buf;
    let u = this.used;
    let plain = n === 0 || (!asciiSpace(value.charCodeAt(0)) && !asciiSpace(value.charCodeAt(n - 1)));
    for (let i = 0; plain && i < n; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80 || c === 0x22 || c === 0x2c || c === 0x0d || c === 0x0a) plain = false;
      else b[u++] = c;
    }
    if (plain) this.used = u;
    else this.utf8(csvField(value));
    return this;
  }

  int(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) return this.raw(String(n));
    this.room(16);
    this.used = writeDigits(this.buf, this.used, n, 10);
    return this;
  }

  end(): void {
    this.room(2);
    this.buf[this.used++] = 0x0d;
    this.buf[this.used++] = 0x0a;
    if (this.used >= BYTE_CHUNK) this.flush();
  }

  /** Hands every byte gathered on: to the file, or to a .zip's parts. */
  flush(): void {
    if (this.used === 0) return;
    const bytes = this.buf.subarray(0, this.used);
    if (this.fd === null) {
      this.parts.push(Buffer.from(bytes));
    } else this.spill(bytes);
    this.used = 0;
  }

  /** Bytes already encoded (a part's rows), after those gathered so far; `owned`: kept as they are, not copied (a .zip's). */
  put(bytes: Buffer, owned = false): void {
    this.flush();
    if (this.fd === null) this.parts.push(owned ? bytes : Buffer.from(bytes));
    else this.spill(bytes);
  }

  /** Every byte of a .zip's file (gathered since the last take). */
  take(): Buffer {
    this.flush();
    const all = Buffer.concat(this.parts);
    this.parts.length = 0;
    return all;
  }
}

/** A part set's rows of one table (OutputSet.handOver): in a file of its own, or as bytes (a .zip's). */
export type TablePart = { file: string } | { bytes: Uint8Array };

/** Writes a set of CSV tables into a folder (each atomically) or into one .zip (atomically). */
export class OutputSet {
  private readonly tables = new Map<string, TableBuffer>();
  /** Tables whose file is closed. */
  private readonly closed = new Set<string>();
  readonly zip: boolean;
  /** How many times a part set was handed over and went on (its files' names count them). */
  private handedOver = 0;

  /**
   * `part`: the set holds a part of the target's rows (a range of accounts, written by a second thread):
   * no headers, handed over (handOver) to the set that writes the target, which appends them (append).
   * It keeps its rows in memory, handed over as bytes (which a thread can move to another without a
   * copy), until it has handed over `memoryBytes` of them; then in files beside the target's own
   * temporary ones.
   */
  constructor(
    readonly target: string,
    private readonly part = false,
    private memoryBytes = 0,
  ) {
    this.zip = /\.zip$/i.test(target);
    if (part) return;
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
    const [fd, tmp] = this.open(name);
    const t = new TableBuffer(fd, tmp, (bytes) => this.drain(name, t.fd!, bytes));
    this.tables.set(name, t);
    if (!this.part) t.row(header);
    return t;
  }

  /** A table's temporary file (a part set's counts its hand-overs), open for writing; none for a .zip or rows kept in memory. */
  private open(name: string): [number | null, string] {
    if (this.zip || (this.part && this.memoryBytes > 0)) return [null, ''];
    const tmp = tempBeside(path.join(this.target, this.part ? `${name}.part${this.handedOver}` : name));
    try {
      return [fs.openSync(tmp, 'w', OWNER_ONLY), tmp];
    } catch (err) {
      throw storageError(path.join(this.target, name), err);
    }
  }

  /**
   * A part set's rows, table by table (see the constructor): its files are closed, or its bytes taken.
   * With `more`, later rows go on (a second thread hands over each slice of accounts it wrote): in
   * memory while the set may keep more there, else in new files.
   */
  handOver(more = false): Record<string, TablePart> {
    const parts: Record<string, TablePart> = {};
    if (more) this.handedOver++;
    for (const [n, t] of this.tables) {
      if (t.fd === null) {
        const bytes = t.take();
        this.memoryBytes -= bytes.length;
        parts[n] = { bytes };
      } else {
        t.flush();
        fs.closeSync(t.fd);
        this.closed.add(n);
        parts[n] = { file: t.tmp };
      }
    }
    if (more)
      for (const [n, t] of this.tables) {
        if (t.fd === null && (this.zip || this.memoryBytes > 0)) continue;
        [t.fd, t.tmp] = this.open(n);
        this.closed.delete(n);
      }
    return parts;
  }

  /** Removes what a part set of this process left beside the target (a second thread that failed). */
  removeParts(): void {
    const dir = this.zip ? path.dirname(this.target) : this.target;
    const mine = new RegExp(`^\\..+\\.part\\d+\\.${process.pid}\\.tmp$`);
    for (const f of fs.readdirSync(dir)) if (mine.test(f)) fs.rmSync(path.join(dir, f), { force: true });
  }

  /** Appends the rows of a part set's table (handOver) to the table of that name; a part's file is removed, whatever happens. */
  append(name: string, part: TablePart): void {
    const t = this.tables.get(name);
    if (t === undefined) throw new Error(`append: no table ${name}`);
    if ('bytes' in part) {
      t.put(Buffer.from(part.bytes.buffer, part.bytes.byteOffset, part.bytes.byteLength), true);
      return;
    }
    try {
      const fd = fs.openSync(part.file, 'r');
      try {
        const chunk = Buffer.allocUnsafe(1 << 20);
        for (let n; (n = fs.readSync(fd, chunk, 0, chunk.length, null)) > 0;) t.put(chunk.subarray(0, n));
      } finally {
        fs.closeSync(fd);
      }
    } catch (err) {
      throw storageError(path.join(this.target, name), err);
    } finally {
      fs.rmSync(part.file, { force: true });
    }
  }

  private drain(name: string, fd: number, bytes: Buffer): void {
    try {
      fs.writeSync(fd, bytes, 0, bytes.length);
    } catch (err) {
      throw storageError(path.join(this.target, name), err);
    }
  }

  /**
   * Flushes the rows so far to disk in the background (the system's threads), while this thread goes
   * on: commit's own flush then has only what came after. It never fails (commit's flush tells); it
   * must be awaited before commit or abort close the files.
   */
  syncSoFar(): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const t of this.tables.values()) {
      if (t.fd === null) continue;
      t.flush();
      const fd = t.fd;
      pending.push(new Promise((resolve) => fs.fsync(fd, () => resolve())));
    }
    return Promise.all(pending).then(() => undefined);
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
