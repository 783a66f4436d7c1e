/**
 * The streaming core of every CSV reader: bytes -> (checksum, encoding check/conversion) -> csv-parse
 * -> header and records, each with the physical line where it starts. Used by csv.ts for a source's
 * export and by sds.ts and oneroster.ts for the files of a roster export.
 *
 * Records are handled synchronously, the moment csv-parse produces them, so that the line counter is
 * exact and nothing piles up in between: RowParser receives each record in `push` instead of queueing
 * it. Errors (of csv-parse, of the decoder, of the handler) travel through the stream pipeline to the
 * caller.
 */
import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable, Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, Parser, type Options } from 'csv-parse';
import { BasishubError, invalidExport } from '../errors.js';
import { ExportDecoder } from './encoding.js';
import { readError } from './files.js';
import { guard, report, type ReaderOptions } from './problems.js';
import type { Encoding } from './types.js';

/** The largest row accepted: a field this large is not a name (and the quoting is probably broken). */
export const MAX_ROW_BYTES = 1024 * 1024;

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
  warnings: string[];
}

type RecordHandler = (fields: string[], endLine: number) => void;

/** csv-parse's stream parser, handing each record to `handle` at once with csv-parse's line count. */
class RowParser extends Parser {
  private failure: unknown = undefined;

  constructor(
    options: Options,
    private readonly handle: RecordHandler,
  ) {
    super(options);
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null, encoding);
    if (this.failure === undefined) {
      try {
        this.handle(chunk as string[], this.info.lines);
      } catch (e) {
        this.failure = e;
      }
    }
    return true;
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.failure !== undefined) {
      callback(this.failure as Error);
      return;
    }
    super._transform(chunk, encoding, (err?: Error | null) => callback(err ?? (this.failure as Error | undefined)));
  }

  override _flush(callback: TransformCallback): void {
    if (this.failure !== undefined) {
      callback(this.failure as Error);
      return;
    }
    super._flush((err?: Error | null) => callback(err ?? (this.failure as Error | undefined)));
  }
}

/** Line breaks inside the fields of a record (a quoted field may span lines). */
function breaksIn(fields: readonly string[]): number {
  let n = 0;
  for (const f of fields) {
    for (let i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) n++;
    for (let i = f.indexOf('\r'); i >= 0; i = f.indexOf('\r', i + 1)) if (f.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}

function isBlank(fields: readonly string[]): boolean {
  return fields.length === 1 && fields[0]!.trim() === '';
}

function csvProblem(e: CsvError): string {
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'broken quoting: a quoted field that starts here is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'broken quoting: a closing quote is followed by something other than a delimiter or the end of the line';
    case 'INVALID_OPENING_QUOTE':
      return 'broken quoting: a quote (") inside a field that does not start with one';
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'broken quoting: text after a closing quote';
    case 'CSV_MAX_RECORD_SIZE':
      return `the row is larger than ${MAX_ROW_BYTES / 1024 / 1024} MB (is the quoting broken?)`;
    default:
      return `cannot be parsed as CSV: ${e.message}`;
  }
}

/**
 * Reads one CSV table. `onHeader` gets the header (the first line that is not blank) and may throw to
 * reject it; `onRecord` gets each later record with its start line. A record with another number of
 * fields than the header is a problem of that line (see problems.ts); blank lines are skipped. A file
 * without a header is invalid ("no header"); a header alone is fine (0 records).
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
  const hash = settings.hash;
  let header: string[] | null = null;
  let headerLine = 0;
  let width = 0;
  let records = 0;
  let next = 1; // the physical line where the next record starts
  let prevEnd = 0; // csv-parse's line count at the end of the previous record

  const handle: RecordHandler = (fields, endLine) => {
    const line = next;
    // csv-parse counts a CRLF inside quotes twice: only trust that no break was inside when it says so.
    next = endLine - prevEnd === 1 ? line + 1 : line + 1 + breaksIn(fields);
    prevEnd = endLine;
    if (isBlank(fields)) return;
    if (header === null) {
      header = fields.map((f) => f.trim());
      headerLine = line;
      width = fields.length;
      onHeader(fields, line);
      return;
    }
    if (fields.length !== width) {
      report(opts, invalidExport(file, line, `the row has ${fields.length} fields where the header has ${width}`));
      return;
    }
    records++;
    guard(opts, () => onRecord(fields, line));
  };

  const decode = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      try {
        hash?.update(chunk);
        const out = decoder.push(chunk);
        if (out.length > 0) this.push(out);
        callback();
      } catch (e) {
        callback(e as Error);
      }
    },
    flush(callback) {
      try {
        const out = decoder.end();
        if (out.length > 0) this.push(out);
        callback();
      } catch (e) {
        callback(e as Error);
      }
    },
  });
  const parser = new RowParser(
    {
      delimiter: settings.delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      max_record_size: MAX_ROW_BYTES,
    },
    handle,
  );
  const sink = new Writable({
    objectMode: true,
    write(_chunk, _enc, callback) {
      callback();
    },
  });
  const empty = source.start !== undefined && source.end !== undefined && source.end < source.start;
  const raw = empty ? Readable.from([]) : createReadStream(source.path, { start: source.start, end: source.end, highWaterMark: 256 * 1024 });
  try {
    await pipeline([raw, ...(source.transforms?.() ?? []), decode, parser, sink]);
  } catch (e) {
    if (e instanceof BasishubError) throw e;
    if (e instanceof CsvError) throw invalidExport(file, next, csvProblem(e));
    throw readError(file, e);
  }
  if (header === null) throw invalidExport(file, null, 'the file is empty: no header line');
  return {
    encoding: decoder.detected,
    bom: decoder.bom,
    columns: header,
    headerLine,
    records,
    warnings: decoder.warnings,
  };
}
