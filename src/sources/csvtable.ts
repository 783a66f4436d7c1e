/**
 * The streaming core of every CSV reader: bytes -> (checksum, encoding check/conversion) -> tokenizer
 * -> header and records, each with the physical line where it starts. Used by csv.ts for a source's
 * export and by sds.ts and oneroster.ts for the files of a roster export.
 *
 * The tokenizer (tokenizer.ts) replaced csv-parse here for speed (csv-parse alone took longer
 * than all the rest of a no-change resync); its tests hold it to csv-parse's behaviour with these
 * options. Records are handled synchronously, as the tokenizer finds them, so nothing piles up in
 * between. Errors (of the tokenizer, of the decoder, of the handler) travel through the stream
 * pipeline to the caller.
 */
import type { Hash } from 'node:crypto';
import { Readable, type Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BasishubError, invalidExport } from '../errors.js';
import { msg, type Message } from '../i18n/message.js';
import { decodingSink, ExportDecoder, type TextConsumer } from './encoding.js';
import { readError, readStable } from './files.js';
import { guard, report, type ReaderOptions } from './problems.js';
import { CsvSyntaxError, CsvTokenizer, type CsvErrorKind } from './tokenizer.js';
import type { Encoding } from './types.js';

/** The largest row accepted: a field this large is not a name (and the quoting is probably broken). */
export const MAX_ROW_BYTES = 1024 * 1024;

/** The most fields a row may have: exports have tens of columns; a line of commas is not a row. */
export const MAX_FIELDS = 2000;

/** Where a table's bytes are: a file, or a byte range of one (a zip entry), with transforms on the way. */
export interface TableSource {
  /** The name in messages and in ExportRow.file. */
  file: string;
  path: string;
  start?: number;
  end?: number;
  /** Transforms between the raw bytes and the decoder (inflating a zip entry, checking its CRC). */
  transforms?: () => Transform[];
}

export interface TableSettings {
  delimiter: string;
  encoding: Encoding | null;
  /** Updated with the raw bytes. */
  hash?: Hash;
  /** The source's name, for the hint of a refusal. */
  source?: string;
}

/**
 * A file whose last line has no line break is taken as cut off (a download or copy not yet finished),
 * unless the run accepts it for this source (see ReadOptions.acceptUnterminated).
 */
function unterminated(file: string, source: string | undefined, line: number): BasishubError {
  return invalidExport(file, line, msg('readUnterminated'), msg('readUnterminatedHint', { source: source ?? '<source>' }));
}

export interface TableInfo {
  encoding: Encoding;
  bom: boolean;
  /** The header as written (trimmed). */
  columns: string[];
  /** The line of the header (1 unless blank lines come first). */
  headerLine: number;
  /** Records after the header (blank lines not counted). */
  records: number;
  warnings: Message[];
}

function isBlank(fields: readonly string[]): boolean {
  return fields.length === 1 && fields[0].trim() === '';
}

function csvProblem(kind: CsvErrorKind): Message {
  switch (kind) {
    case 'quote-not-closed':
      return msg('readQuoteNotClosed');
    case 'invalid-closing-quote':
      return msg('readBadClosingQuote');
    case 'invalid-opening-quote':
      return msg('readBadOpeningQuote');
    case 'record-too-large':
      return msg('readRowTooLarge', { mb: MAX_ROW_BYTES / 1024 / 1024 });
    case 'too-many-fields':
      return msg('readTooManyFields', { max: MAX_FIELDS });
  }
}

/** The header, width and counts of a table, as its records are handed on. */
class TableRecords {
  header: string[] | null = null;
  headerLine = 0;
  records = 0;
  /** The line of the last record seen (blank ones too), for a refused last line. */
  lastLine = 1;

  constructor(
    private readonly file: string,
    private readonly onHeader: (header: string[], line: number) => void,
    private readonly onRecord: (fields: string[], line: number) => void,
    private readonly opts: ReaderOptions | undefined,
  ) {}

  readonly handle = (fields: string[], line: number): void => {
    this.lastLine = line;
    if (isBlank(fields)) return;
    if (this.header === null) {
      this.header = fields.map((f) => f.trim());
      this.headerLine = line;
      this.onHeader(fields, line);
      return;
    }
    if (fields.length !== this.header.length) {
      report(this.opts, invalidExport(this.file, line, msg('readFieldCount', { n: fields.length, width: this.header.length })));
      return;
    }
    this.records++;
    guard(this.opts, () => this.onRecord(fields, line));
  };
}

/** Hands decoded text to the tokenizer, remembering the last character (does the file end in a line break?). */
class LastCharacter implements TextConsumer {
  last = -1;

  constructor(private readonly tokenizer: CsvTokenizer) {}

  push(text: string): void {
    if (text.length > 0) this.last = text.charCodeAt(text.length - 1);
    this.tokenizer.push(text);
  }

  end(): void {
    this.tokenizer.end();
  }

  get endsInLineBreak(): boolean {
    return this.last === 10 || this.last === 13;
  }
}

/** Streams the table's bytes into `sink`; what goes wrong on the way is INVALID_EXPORT naming the file. */
async function pump(source: TableSource, sink: Writable): Promise<void> {
  const { file } = source;
  const empty = source.start !== undefined && source.end !== undefined && source.end < source.start;
  const run = (raw: Readable): Promise<void> => pipeline([raw, ...(source.transforms?.() ?? []), sink]);
  try {
    if (empty) await run(Readable.from([]));
    else await readStable(file, source.path, { start: source.start, end: source.end }, run);
  } catch (e) {
    if (e instanceof BasishubError) throw e;
    if (e instanceof CsvSyntaxError) throw invalidExport(file, e.line, csvProblem(e.kind));
    throw readError(file, e);
  }
}

/**
 * Reads one CSV table. `onHeader` gets the header (the first line that is not blank) and may throw to
 * reject it; `onRecord` gets each later record with its start line. A record with another number of
 * fields than the header is a problem of that line (see problems.ts); blank lines are skipped. A file
 * without a header is invalid ("no header"); a header alone is fine (0 records). A file whose last line
 * has no line break is taken as cut off (see `unterminated`), unless `opts.acceptUnterminated`.
 */
export async function readCsvTable(
  source: TableSource,
  settings: TableSettings,
  onHeader: (header: string[], line: number) => void,
  onRecord: (fields: string[], line: number) => void,
  opts?: ReaderOptions,
): Promise<TableInfo> {
  const { file } = source;
  const decoder = new ExportDecoder(file, settings.encoding);
  const table = new TableRecords(file, onHeader, onRecord, opts);
  const text = new LastCharacter(new CsvTokenizer(settings.delimiter, MAX_ROW_BYTES, table.handle, MAX_FIELDS));
  await pump(source, decodingSink(decoder, text, settings.hash));
  if (table.header === null) throw invalidExport(file, null, msg('readNoHeader'));
  if (!text.endsInLineBreak && opts?.acceptUnterminated !== true) {
    report(opts, unterminated(file, settings.source, table.lastLine));
  }
  return {
    encoding: decoder.detected,
    bom: decoder.bom,
    columns: table.header,
    headerLine: table.headerLine,
    records: table.records,
    warnings: decoder.warnings,
  };
}
