/**
 * The CSV reader of a source's export (format `csv`): one row a line, columns found by name (see
 * headers.ts), delimiter and encoding configured or detected (see files.ts, encoding.ts).
 */
import { createHash } from 'node:crypto';
import { msg, type Message } from '../i18n/message.js';
import { exportDate } from './dates.js';
import { readCsvTable } from './csvtable.js';
import { checkFile, readHead, sniffDelimiter } from './files.js';
import { resolveColumns, type FieldColumns } from './headers.js';
import type { ProblemReader, ReaderOptions } from './problems.js';
import type { ExportInfo, ExportRow } from './types.js';

/** How often (in rows) onProgress is called. */
export const PROGRESS_EVERY = 10000;

const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/** The delimiter's name as `sources show` and `sources edit` print it (settings, as for scripts). */
export function delimiterName(d: string): string {
  return DELIMITER_NAMES[d] ?? JSON.stringify(d);
}

export const readCsv: ProblemReader = async (path, settings, onRow, opts?: ReaderOptions): Promise<ExportInfo> => {
  await checkFile(path);
  const warnings: Message[] = [];
  let delimiter = settings.delimiter;
  if (delimiter === null) {
    delimiter = sniffDelimiter(await readHead(path, 64 * 1024));
    warnings.push(msg('readDelimiterDetected', { delimiter }));
  }
  const hash = createHash('sha256');
  const dateFormat = settings.dateFormat;
  let cols: FieldColumns | null = null;
  let rows = 0;
  const onProgress = opts?.onProgress;

  const table = await readCsvTable(
    { file: path, path },
    { delimiter, encoding: settings.encoding, hash, source: settings.name },
    (header, line) => {
      const resolved = resolveColumns(header, settings.map, path, line);
      cols = resolved.columns;
      if (resolved.unused.length > 0) warnings.push(msg('readColumnsNotUsed', { columns: resolved.unused }));
    },
    (fields, line) => {
      const c = cols!;
      const startDate = c.startDate < 0 ? '' : exportDate(fields[c.startDate], dateFormat, path, line, 'startDate');
      const endDate = c.endDate < 0 ? '' : exportDate(fields[c.endDate], dateFormat, path, line, 'endDate');
      const row: ExportRow = {
        externalId: fields[c.externalId],
        givenName: c.givenName < 0 ? '' : fields[c.givenName],
        prefix: c.prefix < 0 ? '' : fields[c.prefix],
        familyName: c.familyName < 0 ? '' : fields[c.familyName],
        email: c.email < 0 ? '' : fields[c.email],
        role: c.role < 0 ? '' : fields[c.role],
        organisation: c.organisation < 0 ? '' : fields[c.organisation],
        group: c.group < 0 ? '' : fields[c.group],
        startDate,
        endDate,
        line,
      };
      onRow(row);
      if (++rows % PROGRESS_EVERY === 0) onProgress?.(rows);
    },
    opts,
  );
  if (settings.encoding === null) warnings.push(msg('readEncodingDetected', { encoding: table.encoding, bom: table.bom }));
  warnings.push(...table.warnings);
  return {
    path,
    checksum: hash.digest('hex'),
    detected: {
      format: 'csv',
      delimiter,
      encoding: table.encoding,
      bom: table.bom,
      columns: table.columns,
    },
    partial: false,
    warnings,
  };
};
