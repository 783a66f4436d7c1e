/**
 * What every table module of the store shares: the row type, the row codec (a table's columns declared
 * once, read into the model object and written back from it) and the two ways of reading rows through
 * a codec.
 */
import type Database from 'better-sqlite3';
import type { DB } from './db.js';

/** A row as better-sqlite3 returns it: column name → value. */
export type Row = Record<string, unknown>;

/**
 * How a column is stored: `text`/`int` as they are, `text?`/`int?` NULL when absent, `bool` as 1 or 0,
 * `json` as JSON text (NULL reads as null).
 */
export type ColumnKind = 'text' | 'text?' | 'int' | 'int?' | 'bool' | 'json';

const READ: Record<ColumnKind, (v: unknown) => unknown> = {
  text: (v) => v,
  'text?': (v) => v ?? null,
  int: (v) => v,
  'int?': (v) => v ?? null,
  bool: (v) => v === 1,
  json: (v) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : null),
};

const WRITE: Record<ColumnKind, (v: unknown) => unknown> = {
  text: (v) => v,
  'text?': (v) => v ?? null,
  int: (v) => v,
  'int?': (v) => v ?? null,
  bool: (v) => (v ? 1 : 0),
  json: (v) => JSON.stringify(v),
};

/** Reads rows of one table into model objects and writes model objects back as rows. */
export interface RowCodec<T> {
  /** The model object of a row. */
  read: (row: Row) => T;
  /** The row of a model object, keyed by column (for named parameters: `@column`). */
  write: (value: T) => Row;
  /** The column of a field. */
  column: (field: keyof T) => string;
}

const KIND_OF: Record<string, ColumnKind> = { '': 'text', '?': 'text?', int: 'int', 'int?': 'int?', bool: 'bool', json: 'json' };

/**
 * The codec of a table's columns, in the order of the model object's fields, written as
 * `column[:kind]`, or `field=column[:kind]` where the field is not the column in camel case:
 * `'id:int given_name not_offered_since:? match=match_field map:json'`. Kinds: none (text), `?` (text or
 * NULL), `int`, `int?`, `bool`, `json` (see ColumnKind).
 */
export function rowCodec<T>(columns: string): RowCodec<T> {
  const fields = columns
    .trim()
    .split(/\s+/)
    .map((spec) => {
      const m = /^(?:(\w+)=)?(\w+)(?::(.*))?$/.exec(spec);
      const kind = KIND_OF[m?.[3] ?? ''];
      if (m === null || kind === undefined) throw new Error(`rowCodec: cannot read the column "${spec}"`);
      const column = m[2];
      const field = m[1] ?? column.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
      return { field: field as keyof T & string, column, read: READ[kind], write: WRITE[kind] };
    });
  const byField = new Map<keyof T, string>(fields.map((f) => [f.field, f.column]));
  return {
    read: (row) => {
      const out: Record<string, unknown> = {};
      for (const f of fields) out[f.field] = f.read(row[f.column]);
      return out as T;
    },
    write: (value) => {
      const out: Row = {};
      for (const f of fields) out[f.column] = f.write(value[f.field]);
      return out;
    },
    column: (field) => byField.get(field) ?? String(field),
  };
}

/**
 * The statements of readAll and readOne, per connection, prepared once: a page of a list asks for each
 * of its accounts' links and list entry (60 statements for a page of 30), and preparing one costs more
 * than running it. Both run a statement to its end (`all`, `get`) and never change its mode, so a cached
 * statement is never busy nor plucked; a closed connection's are dropped with it.
 */
const prepared = new WeakMap<DB, Map<string, Database.Statement>>();

function statement(db: DB, sql: string): Database.Statement {
  let byText = prepared.get(db);
  if (byText === undefined) prepared.set(db, (byText = new Map<string, Database.Statement>()));
  let s = byText.get(sql);
  if (s === undefined) byText.set(sql, (s = db.prepare(sql)));
  return s;
}

/** Every row the query returns, read into model objects (by a codec's `read`). */
export function readAll<T>(db: DB, read: (row: Row) => T, sql: string, ...params: unknown[]): T[] {
  return (statement(db, sql).all(...params) as Row[]).map(read);
}

/** The first row the query returns, read into a model object; undefined when there is none. */
export function readOne<T>(db: DB, read: (row: Row) => T, sql: string, ...params: unknown[]): T | undefined {
  const r = statement(db, sql).get(...params) as Row | undefined;
  return r === undefined ? undefined : read(r);
}

/**
 * The queries of one table (or one purpose), on the hub's connection. The Store (store.ts) has the
 * queries of every table module; a module's class also serves alone, as `new LinkQueries(db)`.
 */
export abstract class Queries {
  constructor(readonly db: DB) {}
}

/** The connections that read through a memory map (mapForReading). */
const mapped = new WeakSet<object>();

/**
 * From now on, reads this connection's pages through a memory map instead of copying each into
 * SQLite's cache: for reads that visit rows all over a large hub (10,000 listed accounts of a million
 * lie on most of its pages; a search's candidates), about half the time. Not for a sync or a publish:
 * mapped pages that were read count toward a process's peak memory.
 */
export function mapForReading(db: DB): void {
  if (mapped.has(db)) return;
  db.pragma('mmap_size = 2147418112');
  mapped.add(db);
}
