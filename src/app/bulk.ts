/**
 * `exceptions import` and `exceptions export`: the whole list out to CSV or JSON, and bulk
 * adds and edits back in.
 *
 * Import reads columns `user,reason,until` (headers case-insensitive; other columns are ignored, so an
 * export can be read back as it is). Every row is checked first, with the same functions as
 * `exceptions add|edit` (resolveUser, checkListable, cleanReason, checkUntil); any bad row and nothing
 * is written, and every bad row is reported with its line. Then all rows are written in one transaction.
 *
 * Export writes a CSV that opens right in Excel (UTF-8 with BOM, CRLF, quoting, `;` for Dutch Excel),
 * with cells that Excel would take as a formula neutralised by a leading `'`; import strips exactly that
 * quote again, so export → import changes nothing.
 */
import { t } from '../i18n/index.js';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Options as CsvOptions } from 'csv-parse/sync';
import { BasishubError, usageError } from '../errors.js';
import { displayName, type Account, type ExceptionEntry } from '../model.js';
import type { AppContext } from './context.js';
import { writeOutputFile } from '../store/outfile.js';
import { checkListable, checkUntil, cleanReason, listExceptions, parseDate, saveNew, updateEntry } from './exceptions.js';
import { resolveUser } from './refs.js';
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
export function exceptionsCsv(list: ExceptionView[], refs: ReadonlyMap<number, string>, delimiter: ',' | ';' = ','): string {
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

export function parseDelimiter(value: string | undefined): ',' | ';' {
  if (value === undefined) return ',';
  const v = value.trim().toLowerCase();
  if (v === ',' || v === 'comma') return ',';
  if (v === ';' || v === 'semicolon') return ';';
  throw usageError(t.exportDelimiterBad({ value }), t.exportDelimiterBadHint());
}

export function parseFormat(value: string | undefined, output: string | undefined, json: boolean): ExportFormat {
  if (value !== undefined) {
    const v = value.trim().toLowerCase();
    if (v === 'csv' || v === 'json') return v;
    throw usageError(t.exportFormatBad({ value }));
  }
  if (output !== undefined) return path.extname(output).toLowerCase() === '.json' ? 'json' : 'csv';
  return json ? 'json' : 'csv';
}

export interface ExportResult {
  format: ExportFormat;
  delimiter: ',' | ';' | null;
  entries: number;
  list: ExceptionView[];
  /** The file's content (CSV with BOM, or the JSON array). */
  content: string;
}

export function exportExceptions(ctx: AppContext, opts: { format: ExportFormat; delimiter?: ',' | ';' }): ExportResult {
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

// ---- reading an import file ----------------------------------------------------------------------------

export interface ImportRow {
  /** The physical line in a CSV file where the row starts; in a JSON file the element's number (index + 1). */
  line: number;
  user: string;
  reason: string;
  /** A date, '' for "no end date", or undefined where the file has no `until` column (keep the entry's). */
  until: string | undefined;
  /** A problem found while reading the row (a wrong type, too many fields). */
  problem?: string;
}

export interface ImportFile {
  format: 'csv' | 'json';
  delimiter: ',' | ';' | null;
  rows: ImportRow[];
}

export interface ImportProblem {
  line: number;
  user: string;
  message: string;
}

function decodeUtf8(file: string, bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw usageError(t.importNotUtf8({ file }), t.importNotUtf8Hint());
  }
}

/** Reads and parses an import file; a file that cannot be read as a whole is a usage error. */
export function readImportFile(file: string): ImportFile {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw usageError(t.importNoFile({ file, code: code ?? '', why: (err as Error).message }));
  }
  return parseImport(file, bytes);
}

export function parseImport(file: string, bytes: Buffer): ImportFile {
  const text = decodeUtf8(file, bytes).replace(/^\ufeff/, '');
  const first = text.trimStart().charAt(0);
  if (first === '[' || first === '{' || path.extname(file).toLowerCase() === '.json') return parseJsonImport(file, text);
  return parseCsvImport(file, text);
}

/** The delimiter of the header line: ';' or ',', whichever occurs more often outside quotes. */
export function detectDelimiter(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

function columnsOf(file: string, header: string[]): { user: number; reason: number; until: number | undefined } {
  const names = header.map((h) => h.trim().toLowerCase());
  const index = (name: string): number | undefined => {
    const at = names.flatMap((n, i) => (n === name ? [i] : []));
    if (at.length > 1) throw usageError(t.importColumnTwice({ file, name, n: at.length }));
    return at[0];
  };
  const user = index('user');
  const reason = index('reason');
  const until = index('until');
  const missing = [user === undefined ? 'user' : null, reason === undefined ? 'reason' : null].filter((x) => x !== null);
  if (user === undefined || reason === undefined) {
    throw usageError(t.importColumnsMissing({ file, missing, found: header }), t.importColumnsHint());
  }
  return { user, reason, until };
}

/** csv-parse, loaded by an import only: `exceptions list` and `export` never need it. */
function parseCsv(input: Buffer | string, options: CsvOptions): unknown {
  return (createRequire(import.meta.url)('csv-parse/sync') as { parse: (input: Buffer | string, options: CsvOptions) => unknown }).parse(input, options);
}

function parseCsvImport(file: string, text: string): ImportFile {
  if (text.trim() === '') throw usageError(t.importEmpty({ file }), t.importHeaderHint());
  const delimiter = detectDelimiter(text);
  // Parse the Buffer: info.bytes is then a byte offset, from which the physical line is counted (csv-parse's
  // own line count is off for quoted values with CRLF inside).
  const buf = Buffer.from(text, 'utf8');
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parseCsv(buf, { delimiter, info: true, relax_column_count: true, skip_empty_lines: true }) as typeof records;
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw usageError(t.importNotCsv({ file, line: e.lines ?? null, why: e.message }), t.importNotCsvHint());
  }
  const lineStarts: number[] = [];
  const lf = buf.includes(0x0a) ? 0x0a : 0x0d;
  let from = 0;
  let line = 1;
  let counted = 0;
  for (const r of records) {
    let start = from;
    while (start < buf.length && (buf[start] === 0x0d || buf[start] === 0x0a)) start++;
    for (let i = counted; i < start; i++) if (buf[i] === lf) line++;
    counted = start;
    lineStarts.push(line);
    from = r.info.bytes;
  }
  const [head, ...body] = records;
  const cols = columnsOf(file, head.record);
  const rows: ImportRow[] = [];
  body.forEach((r, i) => {
    const cells = r.record;
    if (cells.every((c) => c.trim() === '')) return; // `;;` and the like: an empty line from a spreadsheet.
    const cell = (k: number | undefined) => (k === undefined ? undefined : unneutralise(cells[k] ?? ''));
    const row: ImportRow = { line: lineStarts[i + 1], user: cell(cols.user)!.trim(), reason: cell(cols.reason)!, until: cell(cols.until)?.trim() };
    if (cells.length > head.record.length) {
      row.problem = t.importFieldCount({ n: cells.length, header: head.record.length, delimiter });
    }
    rows.push(row);
  });
  return { format: 'csv', delimiter, rows };
}

function parseJsonImport(file: string, text: string): ImportFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw usageError(t.importNotJson({ file, why: (err as Error).message }), t.importNotJsonHint());
  }
  if (!Array.isArray(data)) throw usageError(t.importNotArray({ file }));
  const rows: ImportRow[] = data.map((item, i) => {
    const row: ImportRow = { line: i + 1, user: '', reason: '', until: undefined };
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      row.problem = t.importNotObject();
      return row;
    }
    const fields = new Map(Object.entries(item as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
    const problems: string[] = [];
    const user = fields.get('user');
    // An exported entry has user: {reference, id, …}: read it back by its reference (which another hub
    // resolves too), by its id in exports that have none.
    const asObject = user !== null && typeof user === 'object' && !Array.isArray(user) ? (user as Record<string, unknown>) : null;
    const userValue = asObject === null ? user : typeof asObject.reference === 'string' ? asObject.reference : asObject.id;
    if (typeof userValue === 'string') row.user = userValue.trim();
    else if (typeof userValue === 'number' && Number.isInteger(userValue)) row.user = String(userValue);
    else if (userValue !== undefined && userValue !== null) problems.push(t.importUserType());
    const reason = fields.get('reason');
    if (typeof reason === 'string') row.reason = reason;
    else if (reason !== undefined && reason !== null) problems.push(t.importReasonType());
    if (fields.has('until')) {
      const until = fields.get('until');
      if (until === null || until === '') row.until = '';
      else if (typeof until === 'string') row.until = until.trim();
      else problems.push(t.importUntilType());
    }
    if (problems.length > 0) row.problem = problems.join('; ');
    return row;
  });
  return { format: 'json', delimiter: null, rows };
}

// ---- import --------------------------------------------------------------------------------------------

export type ImportAction = 'add' | 'update' | 'unchanged';

export interface ImportRowResult {
  line: number;
  user: ExceptionView['user'];
  action: ImportAction;
  /** Extension: for an update, which of reason and until change. */
  changed?: string[];
}

export interface ImportResult {
  dryRun: boolean;
  added: number;
  updated: number;
  unchanged: number;
  rows: ImportRowResult[];
  /** Extensions. */
  file: string;
  format: 'csv' | 'json';
}

interface PlannedRow {
  line: number;
  account: Account;
  entry: ExceptionEntry | undefined;
  reason: string;
  until: string | null;
  action: ImportAction;
  changed: string[];
}

function messageOf(err: unknown): string {
  if (err instanceof BasishubError) return err.message;
  throw err;
}

/** Checks every row against the hub as it is now; returns the plan, or every problem. */
function planImport(ctx: AppContext, parsed: ImportFile): { planned: PlannedRow[]; problems: ImportProblem[] } {
  const planned: PlannedRow[] = [];
  const problems: ImportProblem[] = [];
  const seen = new Map<number, number>();
  for (const row of parsed.rows) {
    const issues: string[] = [];
    if (row.problem !== undefined) {
      problems.push({ line: row.line, user: row.user, message: `${row.problem}.` });
      continue;
    }
    let account: Account | undefined;
    let entry: ExceptionEntry | undefined;
    if (row.user === '') issues.push(t.importNoUser());
    else {
      try {
        account = resolveUser(ctx.store, row.user, { prefer: 'active' });
        entry = ctx.store.exception(account.id);
        if (entry === undefined) checkListable(ctx, account);
      } catch (err) {
        issues.push(messageOf(err));
        account = undefined;
      }
    }
    if (account !== undefined) {
      const first = seen.get(account.id);
      if (first !== undefined) issues.push(t.importTwice({ first }));
      else seen.set(account.id, row.line);
    }
    let reason = '';
    try {
      reason = cleanReason(row.reason);
    } catch (err) {
      issues.push(messageOf(err));
    }
    let until: string | null = null;
    try {
      if (row.until === undefined) until = entry?.until ?? null; // no until column: keep the entry's end date
      else if (row.until === '') until = null;
      else if (entry !== undefined && entry.until !== null && parseDate(row.until, t.importUntilLabel()) === entry.until) until = entry.until; // unchanged, even if past
      else until = checkUntil(ctx, row.until, t.importUntilLabel());
    } catch (err) {
      issues.push(messageOf(err));
    }
    if (issues.length > 0 || account === undefined) {
      problems.push({ line: row.line, user: row.user, message: issues.map((m) => m.replace(/\.$/, '')).join('; ') + '.' });
      continue;
    }
    const changed = entry === undefined ? [] : [...(reason !== entry.reason ? ['reason'] : []), ...(until !== entry.until ? ['until'] : [])];
    planned.push({ line: row.line, account, entry, reason, until, action: entry === undefined ? 'add' : changed.length > 0 ? 'update' : 'unchanged', changed });
  }
  return { planned, problems };
}

function importError(file: string, format: 'csv' | 'json', problems: ImportProblem[]): BasishubError {
  const lines = problems.map((p) => `${t.importWhere({ json: format === 'json', line: p.line, user: p.user })}: ${p.message}`);
  return new BasishubError('USAGE', t.importRowsRefused({ file, n: problems.length, lines: lines.join('\n') }), {
    hint: t.importRowsRefusedHint(),
    details: { file, problems },
  });
}

/**
 * `exceptions import <file> [--dry-run]`: all rows valid, then all written in one transaction; or
 * nothing written and every bad row reported (USAGE, details.problems).
 */
export function importExceptions(ctx: AppContext, file: string, opts: { dryRun?: boolean } = {}): ImportResult {
  const parsed = readImportFile(file);
  const dryRun = opts.dryRun === true;
  const note = `exceptions import ${path.basename(file)}`;
  const run = (): ImportResult => {
    const { planned, problems } = planImport(ctx, parsed);
    if (problems.length > 0) throw importError(file, parsed.format, problems);
    const rows: ImportRowResult[] = [];
    for (const p of planned) {
      if (!dryRun && p.action === 'add') saveNew(ctx, p.account, p.reason, p.until, note);
      if (!dryRun && p.action === 'update') updateEntry(ctx, p.account, p.entry!, p.reason, p.until, note);
      const a = p.account;
      rows.push({
        line: p.line,
        user: { id: a.id, email: a.email, displayName: displayName(a), status: a.status, owner: a.owner },
        action: p.action,
        ...(p.action === 'update' ? { changed: p.changed } : {}),
      });
    }
    const count = (k: ImportAction) => rows.filter((r) => r.action === k).length;
    return { dryRun, added: count('add'), updated: count('update'), unchanged: count('unchanged'), rows, file, format: parsed.format };
  };
  // Checked and written in one (immediate) transaction, so no other command changes the hub in between.
  return dryRun ? run() : ctx.store.transaction(run);
}
