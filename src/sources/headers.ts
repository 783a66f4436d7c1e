/**
 * Column and key names: how a header in an export is matched to a canonical field. Shared by every
 * reader (csv, json, sds, oneroster), so that `[Personeelsnummer]`, ` personeelsnummer ` and
 * `PERSONEELSNUMMER` mean the same column everywhere.
 */
import { invalidExport } from '../errors.js';
import { msg } from '../i18n/message.js';
import { RECORD_FIELDS, type RecordField } from './types.js';

/** A header or key as it is compared: no surrounding spaces or [brackets], lower case. */
export function normaliseName(name: string): string {
  let s = name.trim();
  if (s.length >= 2 && s.charCodeAt(0) === 91 /* [ */ && s.charCodeAt(s.length - 1) === 93 /* ] */) {
    s = s.slice(1, -1).trim();
  }
  return s.toLowerCase();
}

/**
 * Index of a header: normalised name -> column index. Two columns whose names normalise to the same
 * name make the export invalid (which one would count?). Empty names are allowed (never looked up).
 */
export function indexHeader(header: readonly string[], file: string, line: number): Map<string, number> {
  const index = new Map<string, number>();
  for (let i = 0; i < header.length; i++) {
    const name = normaliseName(header[i]);
    if (name === '') continue;
    const seen = index.get(name);
    if (seen !== undefined) {
      const duplicate = { column: header[seen].trim(), at: seen + 1, other: header[i].trim(), otherAt: i + 1 };
      throw invalidExport(file, line, msg('readDuplicateColumn', duplicate));
    }
    index.set(name, i);
  }
  return index;
}

/** Column index per canonical field (-1: not in the export). */
export type FieldColumns = Record<RecordField, number>;

export interface ResolvedColumns {
  columns: FieldColumns;
  /** Header names that no field uses. */
  unused: string[];
}

/**
 * Finds the column of each canonical field: the column named in `map`, else a column with the field's
 * own name. A mapped column that is absent, or no externalId column, makes the export invalid; the
 * message names the columns that are there.
 */
export function resolveColumns(header: readonly string[], map: Partial<Record<RecordField, string>>, file: string, line: number): ResolvedColumns {
  const index = indexHeader(header, file, line);
  const columns = {} as FieldColumns;
  const used = new Set<number>();
  const missing: { column: string; field: string }[] = [];
  for (const field of RECORD_FIELDS) {
    const mapped = map[field];
    const i = index.get(normaliseName(mapped ?? field));
    if (i === undefined) {
      columns[field] = -1;
      if (mapped !== undefined) missing.push({ column: mapped, field });
    } else {
      columns[field] = i;
      used.add(i);
    }
  }
  if (missing.length > 0) {
    throw invalidExport(file, line, msg('readNoMappedColumn', { unmapped: missing, columns: [...header] }), msg('readNoMappedColumnHint'));
  }
  if (columns.externalId < 0) {
    throw invalidExport(file, line, msg('readNoExternalIdColumn', { columns: [...header] }), msg('readNoExternalIdColumnHint'));
  }
  const unused: string[] = [];
  for (let i = 0; i < header.length; i++) {
    if (!used.has(i) && header[i].trim() !== '') unused.push(header[i].trim());
  }
  return { columns, unused };
}

/**
 * Finds named columns in a header (for the preset formats, whose column names are fixed). A required
 * column that is absent makes the export invalid. Returns name -> index (-1 for an absent optional one).
 */
export function requireColumns<K extends string>(
  header: readonly string[],
  file: string,
  line: number,
  required: readonly K[],
  optional: readonly K[] = [],
): Record<K, number> {
  const index = indexHeader(header, file, line);
  const out = {} as Record<K, number>;
  const missing: string[] = [];
  for (const name of required) {
    const i = index.get(normaliseName(name));
    if (i === undefined) missing.push(name);
    out[name] = i ?? -1;
  }
  for (const name of optional) out[name] = index.get(normaliseName(name)) ?? -1;
  if (missing.length > 0) {
    throw invalidExport(file, line, msg('readNoColumns', { missing, columns: [...header] }));
  }
  return out;
}

/** The key of a JSON object that stands for the person's relations (not mappable). */
export const RELATIONS_KEY = 'relations';

/**
 * Which canonical fields a key of a JSON object stands for, with the same rules as CSV columns: the
 * key named in `map`, else the field's own name; case, spaces and [brackets] do not matter. One key
 * may feed several fields (`--map externalId=email` keeps `email` as email too). Results are cached
 * per key as written, so an export's million objects cost one lookup per key.
 */
export class KeyResolver {
  private readonly byName = new Map<string, RecordField[]>();
  private readonly cache = new Map<string, readonly RecordField[] | null>();
  /** Keys as written that stand for no field, in the order first seen. */
  readonly unusedKeys: string[] = [];

  constructor(readonly map: Partial<Record<RecordField, string>>) {
    for (const field of RECORD_FIELDS) {
      const name = normaliseName(map[field] ?? field);
      const list = this.byName.get(name);
      if (list === undefined) this.byName.set(name, [field]);
      else list.push(field);
    }
  }

  /** The fields a key feeds; an empty list for unknown keys; null for the relations key. */
  fieldsOf(key: string): readonly RecordField[] | null {
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const name = normaliseName(key);
    let result: readonly RecordField[] | null;
    if (name === RELATIONS_KEY) result = null;
    else {
      result = this.byName.get(name) ?? [];
      if (result.length === 0 && this.unusedKeys.length < 100) this.unusedKeys.push(key);
    }
    if (this.cache.size < 10000) this.cache.set(key, result);
    return result;
  }
}
