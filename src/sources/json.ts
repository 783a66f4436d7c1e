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
import { exportDate } from './dates.js';
import { PROGRESS_EVERY } from './csv.js';
import { decodingSink, ExportDecoder } from './encoding.js';
import { checkFile, readError, readStable } from './files.js';
import { KeyResolver } from './headers.js';
import { findTextProblem } from './jsontext.js';
import { guard, type ProblemReader, type ReaderOptions } from './problems.js';
import { RECORD_FIELDS, type ExportInfo, type ExportRow, type RecordField } from './types.js';

/** The largest object accepted (characters). A person with a few hundred relations is far below. */
export const MAX_OBJECT_CHARS = 1024 * 1024;

type ElementHandler = (text: string, line: number) => void;

/**
 * Finds the top-level objects of a JSON text that arrives in pieces: the elements of one array, or
 * objects one after another (one per line). Checks the structure between objects; the objects
 * themselves are checked by JSON.parse.
 */
export class JsonObjectScanner {
  private mode: 'start' | 'array' | 'objects' | 'done' = 'start';
  /** In an array: what may come next outside an element. */
  private expect: 'first' | 'value' | 'comma' = 'first';
  private line = 1;
  private buf = '';
  private inElement = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private elementLine = 0;
  /** Elements found so far. */
  count = 0;

  constructor(
    readonly file: string,
    private readonly onElement: ElementHandler,
  ) {}

  push(text: string): void {
    let s: string;
    let i: number;
    if (this.inElement) {
      i = this.buf.length;
      s = this.buf + text;
    } else {
      i = 0;
      s = text;
    }
    let start = 0; // where the current element starts in s
    const n = s.length;
    if (this.escaped && i < n) {
      this.escaped = false;
      i++;
    }
    // Inside strings the scanner jumps from quote to backslash to quote (found with indexOf, each
    // position looked up once per piece of text), and counts the line breaks it jumps over.
    let nextQuote = -1;
    let nextEscape = -1;
    let nextBreak = -1;
    for (; i < n; i++) {
      if (this.inString) {
        if (nextQuote < i) nextQuote = find(s, '"', i);
        if (nextEscape < i) nextEscape = find(s, '\\', i);
        const stop = nextEscape < nextQuote ? nextEscape : nextQuote;
        const to = stop === Infinity ? n : stop;
        if (nextBreak < i) nextBreak = find(s, '\n', i);
        while (nextBreak < to) {
          this.line++;
          nextBreak = find(s, '\n', nextBreak + 1);
        }
        if (stop === Infinity) {
          i = n;
          break;
        }
        if (stop === nextEscape) {
          // a backslash: the next character is escaped (maybe in the next piece of text)
          if (stop + 1 < n) i = stop + 1;
          else {
            this.escaped = true;
            i = n;
            break;
          }
          continue;
        }
        i = stop;
        this.inString = false;
        continue;
      }
      const c = s.charCodeAt(i);
      if (this.inElement) {
        if (c === 34) this.inString = true;
        else if (c === 123 /* { */ || c === 91 /* [ */) this.depth++;
        else if (c === 125 /* } */ || c === 93 /* ] */) {
          if (--this.depth === 0) {
            this.inElement = false;
            this.count++;
            if (this.mode === 'array') this.expect = 'comma';
            this.onElement(s.slice(start, i + 1), this.elementLine);
          }
        } else if (c === 10) this.line++;
        continue;
      }
      if (c === 10) {
        this.line++;
        continue;
      }
      if (c === 32 || c === 9 || c === 13) continue;
      if (this.mode === 'start') {
        if (c === 91) {
          this.mode = 'array';
          continue;
        }
        if (c === 123) {
          this.mode = 'objects';
        } else {
          throw invalidExport(
            this.file,
            this.line,
            `neither a JSON array nor JSON objects one per line: the file starts with ${describe(s, i)}`,
          );
        }
      } else if (this.mode === 'array') {
        if (this.expect === 'comma') {
          if (c === 44 /* , */) {
            this.expect = 'value';
            continue;
          }
          if (c === 93) {
            this.mode = 'done';
            continue;
          }
          throw invalidExport(this.file, this.line, `invalid JSON: expected "," or "]" after the object, found ${describe(s, i)}`);
        }
        if (c === 93) {
          if (this.expect === 'first') {
            this.mode = 'done';
            continue;
          }
          throw invalidExport(this.file, this.line, 'invalid JSON: a comma before "]"');
        }
        if (c !== 123) {
          throw invalidExport(this.file, this.line, `an element of the array is not an object (a person): it is ${describe(s, i)}`);
        }
      } else if (this.mode === 'objects') {
        if (c !== 123) {
          throw invalidExport(this.file, this.line, `expected an object ({…}) at the start of the line, found ${describe(s, i)}`);
        }
      } else {
        throw invalidExport(this.file, this.line, `invalid JSON: ${describe(s, i)} after the end of the array`);
      }
      // c is "{": an element starts
      this.inElement = true;
      this.depth = 1;
      this.elementLine = this.line;
      start = i;
    }
    if (this.inElement) {
      this.buf = s.slice(start);
      if (this.buf.length > MAX_OBJECT_CHARS) {
        throw invalidExport(this.file, this.elementLine, `the object that starts here is larger than 1 MB (is the JSON broken?)`);
      }
    } else {
      this.buf = '';
    }
  }

  end(): void {
    if (this.inElement) {
      throw invalidExport(this.file, this.elementLine, 'truncated JSON: the object that starts here is not closed');
    }
    if (this.mode === 'start') throw invalidExport(this.file, null, 'the file is empty: expected a JSON array or objects one per line');
    if (this.mode === 'array') throw invalidExport(this.file, this.line, 'truncated JSON: the array is not closed with "]"');
  }
}

/** indexOf, with Infinity for "not found". */
function find(s: string, what: string, from: number): number {
  const i = s.indexOf(what, from);
  return i < 0 ? Infinity : i;
}

function describe(s: string, i: number): string {
  const c = s[i];
  if (c === '"') return 'a string';
  if (c === '[') return 'an array';
  if (/[-0-9]/.test(c)) return 'a number';
  if (s.startsWith('true', i) || s.startsWith('false', i)) return 'true/false';
  if (s.startsWith('null', i)) return 'null';
  return `"${c}"`;
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
      throw invalidExport(file, line, `"${key}" holds a number too large to be read exactly`, 'Write it as a string ("…"). Nothing was changed.');
    }
    if (field === 'externalId' && !Number.isSafeInteger(value)) {
      throw invalidExport(
        file,
        line,
        `"${key}" holds the number ${value}, which is not a whole number that can be read exactly (at most ${Number.MAX_SAFE_INTEGER})`,
        'Identifiers this large must be written as strings ("12345678901234567890"), else digits are lost. Nothing was changed.',
      );
    }
    return String(value);
  }
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return '';
  throw invalidExport(file, line, `"${key}" holds ${Array.isArray(value) ? 'a list' : 'an object'}, where text was expected`);
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

export const readJson: ProblemReader = async (path, settings, onRow, opts?: ReaderOptions): Promise<ExportInfo> => {
  await checkFile(path);
  const warnings: string[] = [];
  if (settings.encoding === 'windows-1252') warnings.push('encoding windows-1252 is ignored: JSON is read as UTF-8');
  const hash = createHash('sha256');
  const decoder = new ExportDecoder(path, 'utf-8');
  const resolver = new KeyResolver(settings.map);
  const dateFormat = settings.dateFormat;
  const keysSeen: string[] = [];
  const keySet = new Set<string>();
  let fieldsSeen = 0;
  let rows = 0;
  const onProgress = opts?.onProgress;

  const emit = (v: Values, line: number, rel: Values | null): void => {
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
    onRow(row);
    if (++rows % PROGRESS_EVERY === 0) onProgress?.(rows);
  };

  /** Reads the keys of one object into values; returns the relations value, if any. */
  const readObject = (obj: Record<string, unknown>, v: Values, line: number, only: readonly RecordField[] | null): { relations: unknown; set: number } => {
    let set = 0;
    let relations: unknown = undefined;
    for (const key in obj) {
      const fields = resolver.fieldsOf(key);
      if (only === null && !keySet.has(key) && keySet.size < 200) {
        keySet.add(key);
        keysSeen.push(key);
      }
      if (fields === null) {
        if (only === null) relations = obj[key];
        continue;
      }
      for (const f of fields) {
        if (only !== null && !only.includes(f)) continue;
        const bit = FIELD_BIT.get(f)!;
        if ((set & bit) !== 0) throw invalidExport(path, line, `two keys of the object give ${f} (one of them is "${key}")`);
        set |= bit;
        v[f] = fieldText(obj[key], key, f, path, line);
      }
    }
    return { relations, set };
  };

  const onElement: ElementHandler = (text, line) => {
    guard(opts, () => {
      let obj: unknown;
      try {
        obj = JSON.parse(text);
      } catch (e) {
        throw invalidExport(path, errorLine(text, line, e), `invalid JSON: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      }
      if (!isObject(obj)) throw invalidExport(path, line, 'the element is not an object (a person)');
      const bad = findTextProblem(text);
      if (bad !== null) throw invalidExport(path, lineAt(text, line, bad.offset), bad.problem);
      const v = emptyValues();
      const { relations, set } = readObject(obj, v, line, null);
      fieldsSeen |= set;
      if ((set & FIELD_BIT.get('externalId')!) === 0) {
        const wrapped = Object.keys(obj).find((k) => Array.isArray(obj[k]) && resolver.fieldsOf(k) !== null);
        throw invalidExport(
          path,
          line,
          `the object holds no person: it has no key for externalId${settings.map.externalId ? ` ("${settings.map.externalId}")` : ''}` +
            (wrapped ? `; its "${wrapped}" holds a list: an export must be the list itself` : ''),
        );
      }
      if (relations === undefined || relations === null) {
        emit(v, line, null);
        return;
      }
      if (!Array.isArray(relations)) throw invalidExport(path, line, '"relations" is not a list');
      if (relations.length === 0) {
        const none = emptyValues();
        emit(v, line, none);
        return;
      }
      for (const r of relations) {
        if (!isObject(r)) throw invalidExport(path, line, 'an element of "relations" is not an object');
        const rel = emptyValues();
        rel.organisation = v.organisation;
        rel.group = v.group;
        rel.startDate = v.startDate;
        rel.endDate = v.endDate;
        readObject(r, rel, line, RELATION_FIELDS);
        emit(v, line, rel);
      }
    });
  };

  const scanner = new JsonObjectScanner(path, onElement);
  const sink = decodingSink(decoder, scanner, hash);
  try {
    await readStable(path, path, {}, (stream) => pipeline(stream, sink));
  } catch (e) {
    if (e instanceof BasishubError) throw e;
    throw readError(path, e);
  }

  for (const field of RECORD_FIELDS) {
    const mapped = settings.map[field];
    if (mapped !== undefined && scanner.count > 0 && (fieldsSeen & FIELD_BIT.get(field)!) === 0) {
      warnings.push(`no object has the key "${mapped}" (mapped to ${field})`);
    }
  }
  if (resolver.unusedKeys.length > 0) warnings.push(`keys not used: ${resolver.unusedKeys.slice(0, 40).join(', ')}`);
  warnings.push(...decoder.warnings);
  return {
    path,
    checksum: hash.digest('hex'),
    detected: { format: 'json', encoding: 'utf-8', bom: decoder.bom, columns: keysSeen },
    partial: false,
    warnings,
  };
};
