/**
 * `exceptions import`: bulk adds and edits from CSV or JSON.
 *
 * It reads columns `user,reason,until` (headers case-insensitive; other columns are ignored, so an
 * export can be read back as it is). Every row is checked first, with the same functions as
 * `exceptions add|edit` (resolveUser, checkListable, cleanReason, checkUntil); any bad row and nothing
 * is written, and every bad row is reported with its line. Then all rows are written in one transaction.
 * A CSV is read with the export readers' delimiter sniffer and tokenizer (src/sources), which give each
 * record its physical line.
 */
import { t } from '../i18n/index.js';
import fs from 'node:fs';
import path from 'node:path';
import { BasishubError, usageError } from '../errors.js';
import type { Account, ExceptionEntry } from '../model.js';
import { sniffDelimiter } from '../sources/files.js';
import { CsvSyntaxError, CsvTokenizer } from '../sources/tokenizer.js';
import type { AppContext } from './context.js';
import { unneutralise } from './exceptions-export.js';
import { checkListable, checkUntil, cleanReason, parseDate, saveNew, updateEntry } from './exceptions.js';
import { resolveUser } from './refs.js';
import { exceptionUser, type ExceptionView } from './views.js';

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
  /** The CSV's delimiter (sniffed from the header line: comma, semicolon or tab); null for JSON. */
  delimiter: string | null;
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

function parseCsvImport(file: string, text: string): ImportFile {
  if (text.trim() === '') throw usageError(t.importEmpty({ file }), t.importHeaderHint());
  const delimiter = sniffDelimiter(Buffer.from(text, 'utf8'));
  const records: { cells: string[]; line: number }[] = [];
  const tokenizer = new CsvTokenizer(delimiter, Number.MAX_SAFE_INTEGER, (cells, line) => {
    if (cells.length > 1 || cells[0] !== '') records.push({ cells, line }); // an empty line is no row
  });
  try {
    tokenizer.push(text);
    tokenizer.end();
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    throw usageError(t.importNotCsv({ file, line: err.line, why: err.message }), t.importNotCsvHint());
  }
  const [head, ...body] = records;
  const cols = columnsOf(file, head.cells);
  const rows: ImportRow[] = [];
  for (const { cells, line } of body) {
    if (cells.every((c) => c.trim() === '')) continue; // `;;` and the like: an empty line from a spreadsheet.
    const cell = (k: number | undefined) => (k === undefined ? undefined : unneutralise(cells[k] ?? ''));
    const row: ImportRow = { line, user: cell(cols.user)!.trim(), reason: cell(cols.reason)!, until: cell(cols.until)?.trim() };
    if (cells.length > head.cells.length) {
      row.problem = t.importFieldCount({ n: cells.length, header: head.cells.length, delimiter });
    }
    rows.push(row);
  }
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

/** A row's value, or the problem with it (in `issues`); `fallback` when it has a problem. */
function attempt<T>(issues: string[], fallback: T, read: () => T): T {
  try {
    return read();
  } catch (err) {
    issues.push(messageOf(err));
    return fallback;
  }
}

/** The end date a row gives: none, keep (no until column), unchanged (even if past), or a valid new one. */
function untilOf(ctx: AppContext, row: ImportRow, entry: ExceptionEntry | undefined): string | null {
  if (row.until === undefined) return entry?.until ?? null; // no until column: keep the entry's end date
  if (row.until === '') return null;
  if (entry !== undefined && entry.until !== null && parseDate(row.until, t.importUntilLabel()) === entry.until) return entry.until;
  return checkUntil(ctx, row.until, t.importUntilLabel());
}

/**
 * Checks one row against the hub as it is now (and the rows before it: `seen`, account id → line);
 * returns what it would do, or every problem with it.
 */
function planRow(ctx: AppContext, row: ImportRow, seen: Map<number, number>, json: boolean): PlannedRow | ImportProblem {
  if (row.problem !== undefined) return { line: row.line, user: row.user, message: `${row.problem}.` };
  const issues: string[] = [];
  let entry: ExceptionEntry | undefined;
  if (row.user === '') issues.push(t.importNoUser());
  const account = attempt<Account | undefined>(issues, undefined, () => {
    if (row.user === '') return undefined;
    const a = resolveUser(ctx.store, row.user, { prefer: 'active' });
    entry = ctx.store.exception(a.id);
    if (entry === undefined) checkListable(ctx, a);
    return a;
  });
  if (account !== undefined) {
    const first = seen.get(account.id);
    if (first !== undefined) issues.push(t.importTwice({ first, json }));
    else seen.set(account.id, row.line);
  }
  const reason = attempt(issues, '', () => cleanReason(row.reason));
  const until = attempt<string | null>(issues, null, () => untilOf(ctx, row, entry));
  if (issues.length > 0 || account === undefined) {
    return { line: row.line, user: row.user, message: issues.map((m) => m.replace(/\.$/, '')).join('; ') + '.' };
  }
  const changed = entry === undefined ? [] : [...(reason !== entry.reason ? ['reason'] : []), ...(until !== entry.until ? ['until'] : [])];
  return { line: row.line, account, entry, reason, until, action: entry === undefined ? 'add' : changed.length > 0 ? 'update' : 'unchanged', changed };
}

/** Checks every row against the hub as it is now; returns the plan, or every problem. */
function planImport(ctx: AppContext, parsed: ImportFile): { planned: PlannedRow[]; problems: ImportProblem[] } {
  const planned: PlannedRow[] = [];
  const problems: ImportProblem[] = [];
  const seen = new Map<number, number>();
  for (const row of parsed.rows) {
    const r = planRow(ctx, row, seen, parsed.format === 'json');
    if ('message' in r) problems.push(r);
    else planned.push(r);
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
        user: exceptionUser(a),
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
