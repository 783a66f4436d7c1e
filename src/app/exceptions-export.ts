/**
 * `exceptions export`: the whole list out to CSV or JSON.
 *
 * The CSV opens right in Excel (UTF-8 with BOM, CRLF, quoting, `;` for Dutch Excel), with cells that
 * Excel would take as a formula neutralised by a leading `'`; import (exceptions-import.ts) strips exactly
 * that quote again, so export → import changes nothing.
 */
import type { AppContext } from './context.js';
import { writeOutputFile } from '../store/outfile.js';
import { listExceptions } from './exceptions.js';
import type { ExceptionView } from './views.js';

// ---- formula neutralising ------------------------------------------------------------------------------

/** A cell that Excel (or LibreOffice) would run as a formula: it starts with = + - @, a tab or a CR. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A cell that export prefixed with one quote: quotes, then a formula character. */
const NEUTRALISED = /^'+[=+\-@\t\r]/;

/**
 * Prefixes a single quote to a cell that a spreadsheet would take as a formula. A cell that already
 * starts with quotes before such a character gets one more, so that `unneutralise` is its exact inverse.
 */
export function neutralise(cell: string): string {
  return FORMULA_START.test(cell) || NEUTRALISED.test(cell) ? `'${cell}` : cell;
}

/** The inverse of `neutralise`: strips the one quote that export put before a formula character. */
export function unneutralise(cell: string): string {
  return NEUTRALISED.test(cell) ? cell.slice(1) : cell;
}

// ---- export --------------------------------------------------------------------------------------------

export const EXPORT_COLUMNS = ['user', 'reason', 'until', 'email', 'displayName', 'createdAt', 'createdBy', 'daysListed', 'offered'] as const;
export type ExportFormat = 'csv' | 'json';
export type ExportDelimiter = ',' | ';';
export const BOM = '\ufeff';

function csvCell(value: string, delimiter: string): string {
  const v = neutralise(value);
  return v.includes(delimiter) || /["\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * How an export names each account: a reference that another hub built from the same sources resolves
 * too, `source:externalId`, else the email address, else the id.
 */
export function exportReferences(ctx: AppContext, list: ExceptionView[]): Map<number, string> {
  const refs = new Map<number, string>();
  const priority = new Map(ctx.store.sources().map((s) => [s.name, s.priority]));
  const rank = (source: string) => priority.get(source) ?? -Infinity;
  for (const v of list) {
    // An active link first, of the source with the highest priority (HR's number rather than an ECK iD).
    const links = ctx.store.linksOf(v.user.id).sort((a, b) => Number(b.active) - Number(a.active) || rank(b.source) - rank(a.source));
    const link = links[0];
    refs.set(v.user.id, link ? `${link.source}:${link.externalId}` : v.user.email || String(v.user.id));
  }
  return refs;
}

/** The list as CSV: BOM, header, one CRLF-terminated line per entry; `refs` name the accounts. */
export function exceptionsCsv(list: ExceptionView[], refs: ReadonlyMap<number, string>, delimiter: ExportDelimiter = ','): string {
  const lines = [EXPORT_COLUMNS.join(delimiter)];
  for (const v of list) {
    const cells = [
      refs.get(v.user.id) ?? String(v.user.id),
      v.reason,
      v.until ?? '',
      v.user.email,
      v.user.displayName,
      v.createdAt,
      v.createdBy,
      String(v.daysListed),
      v.offered ? 'yes' : 'no',
    ];
    lines.push(cells.map((c) => csvCell(c, delimiter)).join(delimiter));
  }
  return BOM + lines.join('\r\n') + '\r\n';
}

export interface ExportResult {
  format: ExportFormat;
  delimiter: ExportDelimiter | null;
  entries: number;
  list: ExceptionView[];
  /** The file's content (CSV with BOM, or the JSON array). */
  content: string;
}

export function exportExceptions(ctx: AppContext, opts: { format: ExportFormat; delimiter?: ExportDelimiter }): ExportResult {
  const refs = exportReferences(ctx, listExceptions(ctx));
  const list = listExceptions(ctx).map((v) => ({ ...v, user: { ...v.user, reference: refs.get(v.user.id)! } }));
  if (opts.format === 'json') return { format: 'json', delimiter: null, entries: list.length, list, content: JSON.stringify(list, null, 2) + '\n' };
  const delimiter = opts.delimiter ?? ',';
  return { format: 'csv', delimiter, entries: list.length, list, content: exceptionsCsv(list, refs, delimiter) };
}

/**
 * Writes an export file: readable by its owner only (it holds personal data), never over the hub or a
 * file in use, never half (src/store/outfile.ts).
 */
export function writePrivateFile(ctx: AppContext, file: string, content: string): string {
  return writeOutputFile(file, content, { hub: ctx.dbPath, db: ctx.store.db, what: 'the export', flag: '--output' });
}
