/**
 * What the multi-file roster formats (sds.ts, oneroster.ts) share: the export as a folder (or a .zip)
 * of CSV files found by name regardless of case, reading one file with fixed column names, the
 * roster roles, and building rows.
 */
import { basename, join } from 'node:path';
import { invalidExport } from '../errors.js';
import type { RosterPart } from '../i18n/en.js';
import { msg, type Message } from '../i18n/message.js';
import { MAX_RELATIONS } from './collect.js';
import { PROGRESS_EVERY } from './csv.js';
import { readCsvTable, type TableInfo, type TableSource } from './csvtable.js';
import { detach } from './strings.js';
import { checksumFiles, listFolder, readHead, sniffDelimiter } from './files.js';
import { requireColumns } from './headers.js';
import { report, type ReaderOptions } from './problems.js';
import type { ExportInfo, ExportRow, ReaderSettings, SourceFormat } from './types.js';
import { entrySource, readZipDirectory } from './zip.js';

export interface RosterExport {
  path: string;
  /** Lower-case file name -> where its bytes are. */
  files: Map<string, TableSource>;
  /** The file names as written, sorted. */
  names: string[];
  /** sha256 of the export: of all files in name order (a folder), or of the archive (a zip). */
  checksum(): Promise<string>;
}

export async function openFolder(path: string): Promise<RosterExport> {
  const listing = await listFolder(path);
  const files = new Map<string, TableSource>();
  const names = [...listing.values()];
  for (const [key, name] of listing) files.set(key, { file: join(path, name), path: join(path, name) });
  return { path, files, names, checksum: () => checksumFiles(names.map((n) => join(path, n))) };
}

/** A zip archive; entries are found by their base name (a top folder inside the archive is fine). */
export async function openZip(path: string): Promise<RosterExport> {
  const entries = await readZipDirectory(path);
  const files = new Map<string, TableSource>();
  const names: string[] = [];
  for (const e of entries) {
    const key = basename(e.name).toLowerCase();
    if (files.has(key)) throw invalidExport(path, null, msg('readZipTwice', { name: basename(e.name), entry: e.name }));
    files.set(key, entrySource(path, e));
    names.push(e.name);
  }
  names.sort();
  return { path, files, names, checksum: () => checksumFiles([path]) };
}

/**
 * Adds one of a person's memberships (enrollments, roles, sections) to `map`. More than MAX_RELATIONS
 * for one person make the export invalid at this line: a roster file that repeats one person's
 * membership a million times would else be held in memory whole before any record is built.
 */
export function addMembership<T>(map: Map<string, T[]>, person: string, value: T, file: string, line: number): void {
  const list = map.get(person);
  if (list === undefined) {
    map.set(person, [value]);
    return;
  }
  if (list.length >= MAX_RELATIONS) {
    throw invalidExport(file, line, msg('readTooManyMemberships', { person, max: MAX_RELATIONS }));
  }
  list.push(value);
}

/** A file the format needs; its absence makes the export invalid. */
export function requireFile(ex: RosterExport, name: string, part: RosterPart): TableSource {
  const f = ex.files.get(name.toLowerCase());
  if (f === undefined) throw invalidExport(ex.path, null, msg('readMissingFile', { name, part, files: ex.names }));
  return f;
}

/** The files a format needs, by role: `{users: ['users.csv', 'users']}` gives `{users: <its source>}`. */
export function requireFiles<R extends string>(ex: RosterExport, files: Record<R, readonly [name: string, part: RosterPart]>): Record<R, TableSource> {
  const out = {} as Record<R, TableSource>;
  for (const role of Object.keys(files) as R[]) out[role] = requireFile(ex, files[role][0], files[role][1]);
  return out;
}

/**
 * Reads one file of a roster export with fixed column names (matched like all headers). `onRecord`
 * gets a getter of the current record's values by column name ('' for an absent optional column).
 */
export async function readRosterTable<K extends string>(
  source: TableSource,
  settings: ReaderSettings,
  required: readonly K[],
  optional: readonly K[],
  onRecord: (get: (column: K) => string, line: number) => void,
  opts?: ReaderOptions,
): Promise<TableInfo> {
  let delimiter = settings.delimiter;
  if (delimiter === null) delimiter = source.transforms === undefined ? sniffDelimiter(await readHead(source.path, 64 * 1024)) : ',';
  let index: Record<K, number> | null = null;
  let current: string[] = [];
  // Roster readers keep many values (ids, names) in maps: each a copy, not a view of the chunk read.
  const get = (column: K): string => {
    const i = index![column];
    return i < 0 ? '' : detach(current[i]);
  };
  return readCsvTable(
    source,
    { delimiter, encoding: settings.encoding, source: settings.name },
    (header, line) => {
      index = requireColumns(header, source.file, line, required, optional);
    },
    (fields, line) => {
      current = fields;
      onRecord(get, line);
    },
    opts,
  );
}

const STAFF = new Set([
  'teacher',
  'administrator',
  'aide',
  'proctor',
  'principal',
  'professor',
  'staff',
  'counselor',
  'districtadministrator',
  'siteadministrator',
  'systemadministrator',
  'teacheraide',
]);
const NOT_ACCOUNTS = new Set(['guardian', 'parent', 'relative']);

/**
 * A roster role as a record role: `student`, `staff` for teachers and other school staff, null for
 * guardians, parents and relatives (no accounts of the foundation), undefined for a role not known.
 */
export function rosterRole(role: string): 'staff' | 'student' | null | undefined {
  const r = role
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');
  if (r === 'student' || r === 'pupil' || r === 'learner') return 'student';
  if (STAFF.has(r)) return 'staff';
  if (NOT_ACCOUNTS.has(r)) return null;
  return undefined;
}

/** A person's attributes and where they were read, for building rows. */
export interface RosterPerson {
  externalId: string;
  givenName: string;
  familyName: string;
  email: string;
  role: string;
  file: string;
  line: number;
}

export function personRow(p: RosterPerson, organisation = '', group = '', startDate = '', endDate = ''): ExportRow {
  return {
    externalId: p.externalId,
    givenName: p.givenName,
    prefix: '',
    familyName: p.familyName,
    email: p.email,
    role: p.role,
    organisation,
    group,
    startDate,
    endDate,
    line: p.line,
    file: p.file,
  };
}

/** A person from a users.csv row (SDS v2.1 and OneRoster share its columns). */
export function rosterUser(
  get: (column: 'sourcedId' | 'givenName' | 'familyName' | 'email' | 'username') => string,
  role: string,
  file: string,
  line: number,
): RosterPerson {
  return {
    externalId: get('sourcedId').trim(),
    givenName: get('givenName'),
    familyName: get('familyName'),
    email: rosterEmail(get('email'), get('username')),
    role,
    file,
    line,
  };
}

/** Email of a roster user: the email column, else the user name when it is an address. */
export function rosterEmail(email: string, username: string): string {
  const e = email.trim();
  if (e !== '') return e;
  const u = username.trim();
  return u.includes('@') ? u : '';
}

/** Counts rows for onProgress. */
export function progress(onRow: (row: ExportRow) => void, opts: ReaderOptions | undefined): (row: ExportRow) => void {
  let rows = 0;
  const onProgress = opts?.onProgress;
  if (onProgress === undefined) return onRow;
  return (row) => {
    onRow(row);
    if (++rows % PROGRESS_EVERY === 0) onProgress(rows);
  };
}

/** What one reading of a roster export collects: each table's info, and the warnings. */
export class RosterTables {
  readonly tables: TableInfo[] = [];
  readonly warnings: Message[] = [];

  constructor(
    readonly ex: RosterExport,
    readonly settings: ReaderSettings,
    readonly opts: ReaderOptions | undefined,
  ) {}

  /** Reads one file of the export (see readRosterTable), keeping its info. */
  async read<K extends string>(
    file: TableSource,
    required: readonly K[],
    optional: readonly K[],
    onRecord: (get: (column: K) => string, line: number) => void,
  ): Promise<void> {
    this.tables.push(await readRosterTable(file, this.settings, required, optional, onRecord, this.opts));
  }

  /** A problem of one row (see problems.ts). */
  problem(file: string, line: number, problem: Message): void {
    report(this.opts, invalidExport(file, line, problem));
  }

  /** What was read: `--map` is ignored (fixed column names), the tables' own warnings come last. */
  /** `<column> <id> is not in <file>`: a row names what the file it refers to lacks. */
  notIn(column: string, id: string, file: TableSource): Message {
    return msg('readNotInFile', { column, id, file: file.file });
  }

  info(format: SourceFormat, checksum: string, partial: boolean): ExportInfo {
    const { tables, warnings } = this;
    if (Object.keys(this.settings.map).length > 0) warnings.unshift(msg('readMapIgnored', { format }));
    for (const t of tables) warnings.push(...t.warnings);
    return {
      path: this.ex.path,
      checksum,
      detected: {
        format,
        encoding: tables.some((t) => t.encoding === 'windows-1252') ? 'windows-1252' : 'utf-8',
        bom: tables.some((t) => t.bom),
        files: this.ex.names,
      },
      partial,
      warnings,
    };
  }
}
