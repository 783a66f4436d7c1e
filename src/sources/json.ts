/**
 * The JSON reader (format `json`): an array of objects, or one object per line (NDJSON). Keys are
 * matched to fields like CSV columns (headers.ts). `relations: [{organisation, group, startDate?,
 * endDate?}]` may stand instead of top-level organisation/group: one row per relation, and one row
 * without a relation for an empty list. A relation that lacks a key takes the person's top-level value
 * (so `{"organisation": "OBS De Regenboog", "relations": [{"group": "7A"}, {"group": "8B"}]}` works).
 *
 * The file streams: a small scanner finds where each top-level object starts and ends (counting lines
 * as it goes), and only that object's text is given to JSON.parse. So a 200 MB export needs no more
 * memory than its largest object, and every problem names the line where its object starts.
 */
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { BasishubError, invalidExport } from '../errors.js';
import type { JsonFound } from '../i18n/en.js';
import { msg, type Message } from '../i18n/message.js';
import { exportDate } from './dates.js';
import { PROGRESS_EVERY } from './csv.js';
import { decodingSink, ExportDecoder } from './encoding.js';
import { checkFile, readError, readStable } from './files.js';
import { KeyResolver } from './headers.js';
import { findTextProblem } from './jsontext.js';
import { guard, type ProblemReader, type ReaderOptions } from './problems.js';
import { RECORD_FIELDS, type ExportInfo, type ExportRow, type ReaderSettings, type RecordField } from './types.js';

/** The largest object accepted (characters). A person with a few hundred relations is far below. */
export const MAX_OBJECT_CHARS = 1024 * 1024;

type ElementHandler = (text: string, line: number) => void;

// The characters the scanner looks at, by name (plain constants: this loop sees every character).
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const COMMA = 44;
const OPEN_ARRAY = 91; // [
const CLOSE_ARRAY = 93; // ]
const OPEN_OBJECT = 123; // {
const CLOSE_OBJECT = 125; // }

/**
 * Finds the top-level objects of a JSON text that arrives in pieces: the elements of one array, or
 * objects one after another (one per line). Checks the structure between objects; the objects
 * themselves are checked by JSON.parse.
 */
export class JsonObjectScanner {
  /** What the file is: not known yet (`start`), one array, objects one after another, or an array that ended. */
  private mode: 'start' | 'array' | 'objects' | 'done' = 'start';
  /** In an array: what may come next outside an element. */
  private expect: 'first' | 'value' | 'comma' = 'first';
  private line = 1;
  /** The element read so far, while it continues in the next piece of text. */
  private buf = '';
  private inElement = false;
  /** Open objects and arrays in the current element. */
  private depth = 0;
  private inString = false;
  /** The piece of text ended on a backslash in a string: the next character is escaped. */
  private escaped = false;
  private elementLine = 0;
  // Inside strings: the next quote, backslash and line break in the current text (-1: not looked for yet).
  private nextQuote = -1;
  private nextEscape = -1;
  private nextBreak = -1;
  /** Elements found so far. */
  count = 0;

  constructor(
    readonly file: string,
    private readonly onElement: ElementHandler,
  ) {}

  push(text: string): void {
    // An element that began in an earlier piece is continued: its text so far comes first.
    const i0 = this.inElement ? this.buf.length : 0;
    const s = this.inElement ? this.buf + text : text;
    let start = 0; // where the current element starts in s
    const n = s.length;
    let i = i0;
    if (this.escaped && i < n) {
      this.escaped = false;
      i++;
    }
    this.nextQuote = this.nextEscape = this.nextBreak = -1;
    for (; i < n; i++) {
      if (this.inString) {
        i = this.skipString(s, i);
        continue;
      }
      const c = s.charCodeAt(i);
      if (this.inElement) {
        if (c === QUOTE) this.inString = true;
        else if (c === OPEN_OBJECT || c === OPEN_ARRAY) this.depth++;
        else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && --this.depth === 0) this.endElement(s.slice(start, i + 1));
        else if (c === LF) this.line++;
        continue;
      }
      if (c === LF) this.line++;
      else if (c !== SPACE && c !== TAB && c !== CR && this.between(c, s, i)) {
        this.inElement = true;
        this.depth = 1;
        this.elementLine = this.line;
        start = i;
      }
    }
    this.buf = this.inElement ? s.slice(start) : '';
    if (this.buf.length > MAX_OBJECT_CHARS) {
      throw invalidExport(this.file, this.elementLine, msg('readJsonObjectTooLarge'));
    }
  }

  end(): void {
    if (this.inElement) {
      throw invalidExport(this.file, this.elementLine, msg('readJsonObjectNotClosed'));
    }
    if (this.mode === 'start') throw invalidExport(this.file, null, msg('readJsonEmpty'));
    if (this.mode === 'array') throw invalidExport(this.file, this.line, msg('readJsonArrayNotClosed'));
  }

  /**
   * Inside a string at `i`: jumps from quote to backslash to quote (each found with indexOf once per
   * piece of text), counting the line breaks it jumps over. Returns where the scan goes on (the loop
   * steps past it): the closing quote, the escaped character, or the end of the text.
   */
  private skipString(s: string, i: number): number {
    const n = s.length;
    if (this.nextQuote < i) this.nextQuote = find(s, '"', i);
    if (this.nextEscape < i) this.nextEscape = find(s, '\\', i);
    const stop = this.nextEscape < this.nextQuote ? this.nextEscape : this.nextQuote;
    const to = stop === Infinity ? n : stop;
    if (this.nextBreak < i) this.nextBreak = find(s, '\n', i);
    while (this.nextBreak < to) {
      this.line++;
      this.nextBreak = find(s, '\n', this.nextBreak + 1);
    }
    if (stop === Infinity) return n;
    if (stop === this.nextEscape) {
      // A backslash: the next character is escaped (maybe in the next piece of text).
      if (stop + 1 < n) return stop + 1;
      this.escaped = true;
      return n;
    }
    this.inString = false;
    return stop;
  }

  private endElement(text: string): void {
    this.inElement = false;
    this.count++;
    if (this.mode === 'array') this.expect = 'comma';
    this.onElement(text, this.elementLine);
  }

  /**
   * A character other than white space between elements: checks it against the structure so far.
   * Returns true when it opens an element (an object), false when it was structure (`[`, `,`, `]`).
   */
  private between(c: number, s: string, i: number): boolean {
    if (this.mode === 'start') {
      if (c === OPEN_ARRAY) {
        this.mode = 'array';
        return false;
      }
      if (c !== OPEN_OBJECT) {
        throw invalidExport(this.file, this.line, msg('readJsonStart', { found: describe(s, i) }));
      }
      this.mode = 'objects';
      return true;
    }
    if (this.mode === 'objects') {
      if (c !== OPEN_OBJECT) {
        throw invalidExport(this.file, this.line, msg('readJsonExpectedObject', { found: describe(s, i) }));
      }
      return true;
    }
    if (this.mode === 'done') throw invalidExport(this.file, this.line, msg('readJsonAfterEnd', { found: describe(s, i) }));
    return this.inArray(c, s, i);
  }

  /** Between the elements of the array (see `between`). */
  private inArray(c: number, s: string, i: number): boolean {
    if (this.expect === 'comma') {
      if (c === COMMA) this.expect = 'value';
      else if (c === CLOSE_ARRAY) this.mode = 'done';
      else throw invalidExport(this.file, this.line, msg('readJsonExpectedComma', { found: describe(s, i) }));
      return false;
    }
    if (c === CLOSE_ARRAY) {
      if (this.expect !== 'first') throw invalidExport(this.file, this.line, msg('readJsonCommaBeforeEnd'));
      this.mode = 'done';
      return false;
    }
    if (c !== OPEN_OBJECT) {
      throw invalidExport(this.file, this.line, msg('readJsonElementNotObject', { found: describe(s, i) }));
    }
    return true;
  }
}

/** indexOf, with Infinity for "not found". */
function find(s: string, what: string, from: number): number {
  const i = s.indexOf(what, from);
  return i < 0 ? Infinity : i;
}

/** What stands at `i`, for a message. */
function describe(s: string, i: number): JsonFound {
  const c = s[i];
  if (c === '"') return 'string';
  if (c === '[') return 'array';
  if (/[-0-9]/.test(c)) return 'number';
  if (s.startsWith('true', i) || s.startsWith('false', i)) return 'boolean';
  if (s.startsWith('null', i)) return 'null';
  return { char: c };
}

/** The line in an object's text of a JSON.parse error's position, if the message gives one. */
function errorLine(text: string, start: number, e: unknown): number {
  const m = e instanceof Error ? /position (\d+)/.exec(e.message) : null;
  if (m === null) return start;
  const pos = Math.min(Number(m[1]), text.length);
  let line = start;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The line of an offset in an object's text that starts at line `start`. */
function lineAt(text: string, start: number, offset: number): number {
  let line = start;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * A JSON value as field text: strings as they are, numbers and booleans as text, null as ''.
 * A number must say exactly what the source meant: an externalId must be a whole number that
 * JavaScript holds exactly (up to 2^53), and no number may be too large to hold at all (1e400 would be
 * "Infinity"). Such a number is refused, not kept as its source text: the same identifier written
 * once as 12345678901234567890 and once as 1.2345678901234567e19 would then be two people, and an
 * earlier run may have stored it rounded; as a string ("12345678901234567890") it is exact.
 */
function fieldText(value: unknown, key: string, field: RecordField, file: string, line: number): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw invalidExport(file, line, msg('readJsonNumberTooLarge', { key }), msg('readJsonAsString'));
    }
    if (field === 'externalId' && !Number.isSafeInteger(value)) {
      const exact = { key, value: String(value), max: Number.MAX_SAFE_INTEGER };
      throw invalidExport(file, line, msg('readJsonIdNotExact', exact), msg('readJsonIdNotExactHint'));
    }
    return String(value);
  }
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return '';
  throw invalidExport(file, line, msg('readJsonNotText', { key, list: Array.isArray(value) }));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type Values = Record<RecordField, string>;

function emptyValues(): Values {
  return { externalId: '', givenName: '', prefix: '', familyName: '', email: '', role: '', organisation: '', group: '', startDate: '', endDate: '' };
}

const RELATION_FIELDS: readonly RecordField[] = ['organisation', 'group', 'startDate', 'endDate'];
const FIELD_BIT = new Map<RecordField, number>(RECORD_FIELDS.map((f, i) => [f, 1 << i]));

/**
 * Turns the objects of one JSON export into rows: each object's keys matched to fields (KeyResolver),
 * one row per relation. Remembers what it saw for the warnings of `sources check`.
 */
class JsonRows {
  private readonly resolver: KeyResolver;
  /** Keys as written, in the order first seen (at most 200), for `detected.columns`. */
  readonly keysSeen: string[] = [];
  private readonly keySet = new Set<string>();
  /** The fields that some object gave (FIELD_BIT bits). */
  private fieldsSeen = 0;
  private rows = 0;

  constructor(
    private readonly path: string,
    private readonly settings: ReaderSettings,
    private readonly onRow: (row: ExportRow) => void,
    private readonly opts: ReaderOptions | undefined,
  ) {
    this.resolver = new KeyResolver(settings.map);
  }

  /** One top-level object's text, from its first line on: its rows, or a problem of its line. */
  readonly element: ElementHandler = (text, line) => {
    guard(this.opts, () => {
      const obj = this.parse(text, line);
      const v = emptyValues();
      const { relations, set } = this.readObject(obj, v, line, null);
      this.fieldsSeen |= set;
      if ((set & FIELD_BIT.get('externalId')!) === 0) throw this.noPerson(obj, line);
      this.emitRelations(v, line, relations);
    });
  };

  private parse(text: string, line: number): Record<string, unknown> {
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      throw invalidExport(this.path, errorLine(text, line, e), msg('readJsonInvalid', { detail: e instanceof Error ? e.message.split('\n')[0] : String(e) }));
    }
    if (!isObject(obj)) throw invalidExport(this.path, line, msg('readJsonNotPerson'));
    const bad = findTextProblem(text);
    if (bad !== null) throw invalidExport(this.path, lineAt(text, line, bad.offset), bad.problem);
    return obj;
  }

  /** An object without a key for externalId; its key that holds a list, if any, tells of a wrapped export. */
  private noPerson(obj: Record<string, unknown>, line: number): BasishubError {
    const mapped = this.settings.map.externalId ?? null;
    const wrapped = Object.keys(obj).find((k) => Array.isArray(obj[k]) && this.resolver.fieldsOf(k) !== null) ?? null;
    return invalidExport(this.path, line, msg('readJsonNoPerson', { mapped, wrapped }));
  }

  /** Reads the keys of one object into values; returns the relations value, if any, and the fields set. */
  private readObject(obj: Record<string, unknown>, v: Values, line: number, only: readonly RecordField[] | null): { relations: unknown; set: number } {
    let set = 0;
    let relations: unknown = undefined;
    for (const key in obj) {
      const fields = this.resolver.fieldsOf(key);
      if (only === null && !this.keySet.has(key) && this.keySet.size < 200) {
        this.keySet.add(key);
        this.keysSeen.push(key);
      }
      if (fields === null) {
        if (only === null) relations = obj[key];
        continue;
      }
      for (const f of fields) {
        if (only !== null && !only.includes(f)) continue;
        const bit = FIELD_BIT.get(f)!;
        if ((set & bit) !== 0) throw invalidExport(this.path, line, msg('readJsonTwoKeys', { field: f, key }));
        set |= bit;
        v[f] = fieldText(obj[key], key, f, this.path, line);
      }
    }
    return { relations, set };
  }

  /** The person's rows: one per relation; a relation that lacks a key takes the person's own value. */
  private emitRelations(v: Values, line: number, relations: unknown): void {
    if (relations === undefined || relations === null) {
      this.emit(v, line, null);
      return;
    }
    if (!Array.isArray(relations)) throw invalidExport(this.path, line, msg('readJsonRelationsNotList'));
    if (relations.length === 0) {
      this.emit(v, line, emptyValues());
      return;
    }
    for (const r of relations) {
      if (!isObject(r)) throw invalidExport(this.path, line, msg('readJsonRelationNotObject'));
      const rel = emptyValues();
      rel.organisation = v.organisation;
      rel.group = v.group;
      rel.startDate = v.startDate;
      rel.endDate = v.endDate;
      this.readObject(r, rel, line, RELATION_FIELDS);
      this.emit(v, line, rel);
    }
  }

  private emit(v: Values, line: number, rel: Values | null): void {
    const { path } = this;
    const dateFormat = this.settings.dateFormat;
    const row: ExportRow = {
      externalId: v.externalId,
      givenName: v.givenName,
      prefix: v.prefix,
      familyName: v.familyName,
      email: v.email,
      role: v.role,
      organisation: rel === null ? v.organisation : rel.organisation,
      group: rel === null ? v.group : rel.group,
      startDate: exportDate(rel === null ? v.startDate : rel.startDate, dateFormat, path, line, 'startDate'),
      endDate: exportDate(rel === null ? v.endDate : rel.endDate, dateFormat, path, line, 'endDate'),
      line,
    };
    this.onRow(row);
    if (++this.rows % PROGRESS_EVERY === 0) this.opts?.onProgress?.(this.rows);
  }

  /** Mapped keys that no object had, and keys that feed no field. */
  warnings(objects: number): Message[] {
    const warnings: Message[] = [];
    for (const field of RECORD_FIELDS) {
      const mapped = this.settings.map[field];
      if (mapped !== undefined && objects > 0 && (this.fieldsSeen & FIELD_BIT.get(field)!) === 0) {
        warnings.push(msg('readJsonKeyAbsent', { key: mapped, field }));
      }
    }
    const unused = this.resolver.unusedKeys;
    if (unused.length > 0) warnings.push(msg('readJsonKeysNotUsed', { keys: unused.slice(0, 40) }));
    return warnings;
  }
}

export const readJson: ProblemReader = async (path, settings, onRow, opts?: ReaderOptions): Promise<ExportInfo> => {
  await checkFile(path);
  const warnings: Message[] = [];
  if (settings.encoding === 'windows-1252') warnings.push(msg('readJsonEncodingIgnored'));
  const hash = createHash('sha256');
  const decoder = new ExportDecoder(path, 'utf-8');
  const rows = new JsonRows(path, settings, onRow, opts);
  const scanner = new JsonObjectScanner(path, rows.element);
  const sink = decodingSink(decoder, scanner, hash);
  try {
    await readStable(path, path, {}, (stream) => pipeline(stream, sink));
  } catch (e) {
    if (e instanceof BasishubError) throw e;
    throw readError(path, e);
  }
  warnings.push(...rows.warnings(scanner.count), ...decoder.warnings);
  return {
    path,
    checksum: hash.digest('hex'),
    detected: { format: 'json', encoding: 'utf-8', bom: decoder.bom, columns: rows.keysSeen },
    partial: false,
    warnings,
  };
};
