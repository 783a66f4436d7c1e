import type { Message } from '../i18n/message.js';

/**
 * What the readers of source exports produce. A reader turns one export (a file, or a folder for the
 * multi-file formats) into rows; src/sources/collect.ts groups rows into records (one per externalId).
 */

/** Canonical record fields (the command-line contract, "Source exports"), plus relation dates. */
export const RECORD_FIELDS = ['externalId', 'givenName', 'prefix', 'familyName', 'email', 'role', 'organisation', 'group', 'startDate', 'endDate'] as const;
export type RecordField = (typeof RECORD_FIELDS)[number];

export const SOURCE_FORMATS = ['csv', 'json', 'sds-v1', 'sds-v2.1', 'oneroster-1.1'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

export const SOURCE_KINDS = ['hr', 'las', 'basispoort', 'other'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const ENCODINGS = ['utf-8', 'windows-1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** What a reader needs to know about a source. `null` means "detect it". */
export interface ReaderSettings {
  /** The source's name, for messages. */
  name: string;
  format: SourceFormat;
  /** field -> column name in the export (matched regardless of case, spaces and [brackets]). */
  map: Partial<Record<RecordField, string>>;
  delimiter: string | null;
  encoding: Encoding | null;
  /** A date format for startDate/endDate such as `dd-MM-yyyy`; null accepts ISO, dd-mm-yyyy and yyyyMMdd. */
  dateFormat: string | null;
}

/**
 * One row of an export: one person with at most one relation. Absent values are ''. Dates are
 * normalised to YYYY-MM-DD by the reader. A row with neither organisation nor group carries no relation.
 */
export interface ExportRow {
  externalId: string;
  givenName: string;
  prefix: string;
  familyName: string;
  email: string;
  role: string;
  organisation: string;
  group: string;
  startDate: string;
  endDate: string;
  /** 1-based line of the row in its file (the physical line where the row starts). */
  line: number;
  /** The file the row came from, where an export has several files; else undefined. */
  file?: string;
}

/** What a reader found out about an export besides its rows. */
export interface ExportInfo {
  /** The path as given. */
  path: string;
  /** sha256 (hex) of the export's bytes (of all its files, in a fixed order, for folders). */
  checksum: string;
  /** Settings detected or used, for `sources show` and `sources check`. */
  detected: {
    format: SourceFormat;
    delimiter?: string;
    encoding?: Encoding;
    bom?: boolean;
    columns?: string[];
    files?: string[];
  };
  /**
   * A partial (delta) export: records that are absent keep their state. Records it marks as deleted are
   * delivered as rows without a relation (not offered).
   */
  partial: boolean;
  /** Non-fatal remarks (ignored columns, a detected delimiter) for `sources check`, in the run's language as text, in English as JSON. */
  warnings: Message[];
}

export interface ReadOptions {
  /** Called now and then with the number of rows read so far (for progress on a TTY). */
  onProgress?: (rows: number) => void;
  /**
   * Accept CSV files whose last line has no line break (else taken as cut off: INVALID_EXPORT). For
   * exporters that write such files; `sync run --accept-unterminated <source>` sets it for one run.
   */
  acceptUnterminated?: boolean;
}

/**
 * Reads one export, calling onRow for each row in file order. Throws BasishubError INVALID_EXPORT
 * (src/errors.ts, `invalidExport`) naming the file and line for anything unreadable or invalid.
 * `O` lets a reader take more options (problems.ts: reading on past problems).
 */
export type ExportReader<O extends ReadOptions = ReadOptions> = (
  path: string,
  settings: ReaderSettings,
  onRow: (row: ExportRow) => void,
  opts?: O,
) => Promise<ExportInfo>;
