/**
 * Reading source exports: the reader of each format, reading an export into records (for a sync), and
 * checking one (for `sources check`).
 */
import { BasishubError, invalidExport } from '../errors.js';
import { CollectedExport, type ReadExport } from './collect.js';
import { readCsv } from './csv.js';
import { checkUnchanged, exportState, readError } from './files.js';
import { readJson } from './json.js';
import { readOneRoster } from './oneroster.js';
import type { ProblemReader, ReaderOptions } from './problems.js';
import type { SourceRecord } from './record.js';
import { readSdsV1, readSdsV21 } from './sds.js';
import type { ExportInfo, ExportReader, ReaderSettings, ReadOptions, SourceFormat } from './types.js';

export type { ReadExport } from './collect.js';

const READERS: Record<SourceFormat, ProblemReader> = {
  csv: readCsv,
  json: readJson,
  'sds-v1': readSdsV1,
  'sds-v2.1': readSdsV21,
  'oneroster-1.1': readOneRoster,
};

export function readerFor(format: SourceFormat): ExportReader {
  return problemReaderFor(format);
}

/**
 * The reader of a format, which can also read on past problems (see problems.ts). It refuses an
 * export that changed while it was read: each read checks its own file (files.ts, readStable), and
 * the export's state before and after the whole reading is compared here (a zip's directory and its
 * entries, or the files of a folder, are read at different moments).
 */
export function problemReaderFor(format: SourceFormat): ProblemReader {
  const reader = READERS[format];
  if (reader === undefined) throw new BasishubError('USAGE', `unknown export format "${String(format)}"`);
  return async (path, settings, onRow, opts) => {
    const before = await exportState(path);
    const info = await reader(path, settings, onRow, opts);
    checkUnchanged(path, before, await exportState(path));
    return info;
  };
}

/**
 * Whatever a reader throws that is not a BasishubError (an engine limit such as a string too long for
 * V8, a stream error without a code) is a failure to read this export: INVALID_EXPORT, never INTERNAL.
 */
export function asReadFailure(path: string, e: unknown): unknown {
  if (e instanceof BasishubError) return e;
  const found = readError(path, e);
  if (found instanceof BasishubError) return found;
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return invalidExport(path, null, `the export could not be read (${what})`);
}

/** Reads an export and groups its rows into records. Throws INVALID_EXPORT at the first problem. */
export async function readExport(path: string, settings: ReaderSettings, opts?: ReadOptions): Promise<ReadExport> {
  const records = new CollectedExport(path);
  const reader = readerFor(settings.format);
  try {
    const info = await reader(path, settings, (row) => records.add(row), opts);
    return { info, records };
  } catch (e) {
    throw asReadFailure(path, e);
  }
}

export interface CheckProblem {
  file: string;
  line: number | null;
  message: string;
}

/** What `sources check` reports about one export. */
export interface CheckReport {
  path: string;
  /** False when a problem stopped the reading: the counts cover the part read before it. */
  complete: boolean;
  checksum: string | null;
  partial: boolean;
  /** Records (people) and rows read. */
  records: number;
  rows: number;
  /** Organisation name -> number of records with a relation to it ('' for relations with a group only). */
  organisations: Record<string, number>;
  /** Records with no current relation on `today` (R2): a sync would not offer their accounts. */
  notOffered: number;
  /** Some of those, by externalId (at most 20). */
  notOfferedSample: string[];
  detected: ExportInfo['detected'];
  warnings: string[];
  /** Every problem found, each with its file and line (at most MAX_PROBLEMS, then a summary). */
  problems: CheckProblem[];
}

export const MAX_PROBLEMS = 100;

function problemOf(e: BasishubError, path: string): CheckProblem {
  const file = typeof e.details?.file === 'string' ? e.details.file : path;
  const line = typeof e.details?.line === 'number' ? e.details.line : null;
  const prefix = line === null ? `${file}: ` : `${file}:${line}: `;
  return { file, line, message: e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message };
}

/**
 * Reads an export as a sync would, without stopping at a problem in one row: each is reported with
 * its file and line, and the reading goes on. A problem that leaves the rest unreadable (a missing
 * file, broken quoting or encoding, a bad header) ends the reading, and is reported the same way.
 */
export async function checkExport(path: string, settings: ReaderSettings, offered: (r: SourceRecord) => boolean): Promise<CheckReport> {
  const problems: CheckProblem[] = [];
  let dropped = 0;
  const onProblem = (e: BasishubError): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(problemOf(e, path));
    else dropped++;
  };
  const records = new CollectedExport(path);
  const opts: ReaderOptions = { onProblem };
  let info: ExportInfo | null = null;
  let complete = true;
  try {
    info = await problemReaderFor(settings.format)(
      path,
      settings,
      (row) => {
        try {
          records.add(row);
        } catch (e) {
          if (e instanceof BasishubError) onProblem(e);
          else throw e;
        }
      },
      opts,
    );
  } catch (caught) {
    const e = asReadFailure(path, caught);
    if (!(e instanceof BasishubError) || e.code !== 'INVALID_EXPORT') throw e;
    complete = false;
    onProblem(e);
  }
  if (dropped > 0) problems.push({ file: path, line: null, message: `… and ${dropped} more problems` });

  const perOrganisation = new Map<string, number>();
  let notOffered = 0;
  const notOfferedSample: string[] = [];
  for (const r of records.records()) {
    const orgs = new Set(r.relations.map((rel) => rel.organisation));
    for (const o of orgs) perOrganisation.set(o, (perOrganisation.get(o) ?? 0) + 1);
    if (!offered(r)) {
      notOffered++;
      if (notOfferedSample.length < 20) notOfferedSample.push(r.externalId);
    }
  }
  return {
    path,
    complete,
    checksum: info?.checksum ?? null,
    partial: info?.partial ?? false,
    records: records.size,
    rows: records.rows,
    organisations: Object.fromEntries(perOrganisation),
    notOffered,
    notOfferedSample,
    detected: info?.detected ?? { format: settings.format },
    warnings: info?.warnings ?? [],
    problems,
  };
}
