/**
 * Managing sources: `sources add|list|show|edit|remove|check` (the command-line contract).
 */
import { t } from '../i18n/index.js';
import fs from 'node:fs';
import path from 'node:path';
import { BasishubError, usageError } from '../errors.js';
import { MATCH_FIELDS, type MatchField, type SourceConfig } from '../model.js';
import { checkExport, type CheckReport } from '../sources/index.js';
import { offeredOn } from '../engine/offer.js';
import { compileDateFormat } from '../sources/dates.js';
import { detectCsv, detectFromHead, HEAD_BYTES, type Detected } from '../sources/detect.js';
import { resolveColumns } from '../sources/headers.js';
import {
  ENCODINGS,
  RECORD_FIELDS,
  SOURCE_FORMATS,
  SOURCE_KINDS,
  type Encoding,
  type ReaderSettings,
  type RecordField,
  type SourceFormat,
  type SourceKind,
} from '../sources/types.js';
import type { AppContext } from './context.js';
import { unlist } from './exceptions.js';
import { recordChange } from './trail.js';
import { detail } from '../engine/describe.js';

/** What the command line shows of the readers: the fields a --map names, a delimiter as people read it. */
export { RECORD_FIELDS } from '../sources/types.js';
export { delimiterName } from '../sources/csv.js';

export interface SourceInput {
  file?: string;
  format?: string;
  kind?: string;
  match?: string;
  /** `field=Column` entries; with edit, `field=` removes a mapping. */
  map?: string[];
  priority?: number;
  delimiter?: string | null;
  encoding?: string | null;
  dateFormat?: string | null;
  graceDays?: number;
}

/** Default priorities by kind (R11): the HR system knows staff best, the pupil administration pupils. */
const KIND_PRIORITY: Record<SourceKind, number> = { hr: 30, las: 20, basispoort: 10, other: 0 };

export function readerSettings(s: SourceConfig): ReaderSettings {
  return { name: s.name, format: s.format, map: s.map, delimiter: s.delimiter, encoding: s.encoding, dateFormat: s.dateFormat };
}

function oneOf<T extends string>(what: 'format' | 'kind' | 'match' | 'encoding' | 'field', value: string, allowed: readonly T[]): T {
  const v = value.trim().toLowerCase();
  const hit = allowed.find((a) => a.toLowerCase() === v);
  if (hit === undefined) throw usageError(t.notOneOf({ what, value, allowed: allowed.join(', ') }));
  return hit;
}

export function parseMap(entries: string[], base: SourceConfig['map'] = {}): SourceConfig['map'] {
  const map: SourceConfig['map'] = { ...base };
  for (const entry of entries) {
    const i = entry.indexOf('=');
    if (i <= 0) throw usageError(t.mapNotPair({ entry }), t.mapFields({ fields: RECORD_FIELDS.join(', ') }));
    const field = oneOf<RecordField>('field', entry.slice(0, i), RECORD_FIELDS);
    const column = entry.slice(i + 1).trim();
    if (column === '') delete map[field];
    else map[field] = column;
  }
  return map;
}

function parseDelimiter(d: string): string {
  const named: Record<string, string> = { tab: '\t', '\\t': '\t', comma: ',', semicolon: ';', pipe: '|' };
  const v = named[d.toLowerCase()] ?? d;
  if (v.length !== 1) throw usageError(t.delimiterOneChar({ value: d }));
  return v;
}

function guessFormat(file: string): SourceFormat {
  if (/\.(json|ndjson|jsonl)$/i.test(file)) return 'json';
  if (/\.zip$/i.test(file)) return 'oneroster-1.1';
  return 'csv';
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

function apply(base: SourceConfig, input: SourceInput): SourceConfig {
  const s = { ...base };
  // Stored absolute: cron runs from another working folder.
  if (input.file !== undefined) s.file = path.resolve(input.file);
  if (input.format !== undefined) s.format = oneOf('format', input.format, SOURCE_FORMATS);
  if (input.kind !== undefined) s.kind = oneOf('kind', input.kind, SOURCE_KINDS);
  if (input.match !== undefined) s.match = oneOf<MatchField>('match', input.match, MATCH_FIELDS);
  if (input.map !== undefined) s.map = parseMap(input.map, s.map);
  if (input.priority !== undefined) {
    if (!Number.isInteger(input.priority)) throw usageError(t.priorityWhole());
    s.priority = input.priority;
  }
  if (input.delimiter !== undefined) s.delimiter = input.delimiter === null ? null : parseDelimiter(input.delimiter);
  if (input.encoding !== undefined) s.encoding = input.encoding === null ? null : oneOf<Encoding>('encoding', input.encoding, ENCODINGS);
  if (input.dateFormat !== undefined) {
    if (input.dateFormat !== null) compileDateFormat(input.dateFormat); // refuses an unknown format now, not at night
    s.dateFormat = input.dateFormat;
  }
  if (input.graceDays !== undefined) {
    if (!Number.isInteger(input.graceDays) || input.graceDays < 0) throw usageError(t.graceDaysWhole());
    s.graceDays = input.graceDays;
  }
  return s;
}

/** `sources list`: every registered source. */
export function listSources(ctx: AppContext): SourceConfig[] {
  return ctx.store.sources();
}

export function getSource(ctx: AppContext, name: string): SourceConfig {
  const s = ctx.store.source(name);
  if (s === undefined) {
    const names = ctx.store.sources().map((x) => x.name);
    throw new BasishubError('NOT_FOUND', t.noSource({ name }), {
      hint: names.length ? t.theSourcesAre({ names: names.join(', ') }) : t.noSourcesHint(),
    });
  }
  return s;
}

export function addSource(ctx: AppContext, name: string, input: SourceInput): { source: SourceConfig; warnings: string[] } {
  if (!NAME.test(name)) throw usageError(t.sourceNameBad({ name }), t.sourceNameBadHint());
  if (ctx.store.source(name) !== undefined) {
    throw usageError(t.sourceExists({ name }), t.sourceExistsHint({ name }));
  }
  if (input.file === undefined || input.file.trim() === '') throw usageError(t.sourceNeedsFile());
  const now = ctx.clock.now();
  const kind = input.kind === undefined ? 'other' : oneOf('kind', input.kind, SOURCE_KINDS);
  const base: SourceConfig = {
    name,
    kind,
    format: guessFormat(input.file),
    file: input.file,
    match: 'email',
    map: {},
    priority: KIND_PRIORITY[kind],
    delimiter: null,
    encoding: null,
    dateFormat: null,
    graceDays: 0,
    createdAt: now,
    updatedAt: now,
  };
  const source = apply(base, input);
  const warnings: string[] = [];
  if (!fs.existsSync(source.file)) warnings.push(t.sourceFileMissing({ file: source.file }));
  else checkCsvHeader(source);
  ctx.store.transaction(() => {
    ctx.store.saveSource(source);
    recordChange(ctx, {
      at: now,
      action: 'source.add',
      source: name,
      detail: detail('sourceAdded', { source: name, kind: source.kind, format: source.format, file: source.file }),
      after: source,
    });
  });
  return { source, warnings };
}

/**
 * A CSV export's header, checked when the source is added: no column for externalId (and no --map for
 * it), or a mapped column that is not there, is said now rather than at the first sync.
 */
function checkCsvHeader(source: SourceConfig): void {
  if (source.format !== 'csv' || !fs.statSync(source.file).isFile()) return;
  const fd = fs.openSync(source.file, 'r');
  let head: Buffer;
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    head = buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0));
  } finally {
    fs.closeSync(fd);
  }
  const { columns } = detectFromHead(head, source);
  if (columns.length <= 1 && (columns[0] ?? '') === '') return; // an empty export is reported when it is read
  try {
    resolveColumns(columns, source.map, source.file, 1);
  } catch (err) {
    if (err instanceof BasishubError) {
      throw new BasishubError(err.code, t.sourceNotAdded({ problem: err.text }), {
        hint: t.sourceNotAddedHint(),
        details: err.details,
      });
    }
    throw err;
  }
}

/** The settings that decide what a source's records mean, and so what its accounts become. */
type Meaning = Pick<SourceConfig, 'kind' | 'format' | 'file' | 'match' | 'map' | 'priority' | 'delimiter' | 'encoding' | 'dateFormat' | 'graceDays'>;

/** A setting that is one value (not the map) as text. */
function scalar(v: Meaning[keyof Meaning]): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

const MEANING: { key: keyof Meaning; label: string; text: (v: Meaning[keyof Meaning]) => string }[] = [
  { key: 'priority', label: 'priority', text: String },
  { key: 'kind', label: 'kind', text: String },
  {
    key: 'map',
    label: 'map',
    text: (m) =>
      Object.entries(m as Meaning['map'])
        .sort()
        .map(([f, c]) => `${f}=${c}`)
        .join(', ') || '(none)',
  },
  { key: 'match', label: 'match key', text: String },
  { key: 'dateFormat', label: 'date format', text: (v) => (v === null ? 'auto' : scalar(v)) },
  { key: 'graceDays', label: 'grace days', text: String },
  { key: 'file', label: 'file', text: String },
  { key: 'format', label: 'format', text: String },
  { key: 'delimiter', label: 'delimiter', text: (v) => (v === null ? 'auto' : v === '\t' ? 'tab' : scalar(v)) },
  { key: 'encoding', label: 'encoding', text: (v) => (v === null ? 'auto' : scalar(v)) },
];

/** The settings a sync compares with those of the last applied sync (stored as this JSON, schema v3). */
export function settingsSnapshot(s: Meaning): string {
  const out: Record<string, unknown> = {};
  for (const { key } of MEANING) out[key] = key === 'map' ? Object.fromEntries(Object.entries(s.map).sort()) : s[key];
  return JSON.stringify(out);
}

/**
 * What differs between two settings of source `name`, for people: "priority of hr changed from 5 to
 * 50". `before` may be a parsed snapshot from an older version with fewer keys: a missing key is taken
 * as unchanged.
 */
export function settingsChanges(name: string, before: Partial<Meaning>, after: Meaning): string[] {
  return differing(before, after).map(({ key, label, text }) =>
    detail('settingChanged', { setting: label, source: name, from: text(before[key]!), to: text(after[key]) }),
  );
}

function differing(before: Partial<Meaning>, after: Meaning): typeof MEANING {
  return MEANING.filter(({ key, text }) => key in before && text(before[key]!) !== text(after[key]));
}

/** The settings changes since the last applied sync (none when no sync or edit recorded them yet). */
export function changesSinceSync(ctx: AppContext, source: SourceConfig): string[] {
  const synced = ctx.store.syncedSettings(source.name);
  return synced === null ? [] : settingsChanges(source.name, JSON.parse(synced) as Partial<Meaning>, source);
}

/**
 * `sources edit`. A change that can change what the source's records mean (all of them can) makes the
 * next sync evaluate the source's accounts again, and its summary says why (R11); the edit itself is
 * audited with who, and the settings before and after.
 */
export function editSource(ctx: AppContext, name: string, input: SourceInput): { source: SourceConfig; changes: string[]; linked: number } {
  const before = getSource(ctx, name);
  const after = apply(before, input);
  const changes = settingsChanges(name, before, after);
  const linked = ctx.store.linkCount(name);
  if (changes.length === 0) return { source: before, changes, linked };
  after.updatedAt = ctx.clock.now();
  const keys = differing(before, after).map((m) => m.key);
  const b = Object.fromEntries(keys.map((k) => [k, before[k]]));
  const a = Object.fromEntries(keys.map((k) => [k, after[k]]));
  ctx.store.transaction(() => {
    // A hub from before the snapshots were kept: what the last sync used is what stood before this edit.
    if (linked > 0 && ctx.store.syncedSettings(name) === null) ctx.store.setSyncedSettings(name, settingsSnapshot(before));
    ctx.store.saveSource(after);
    const text =
      linked > 0
        ? detail('sourceEditedNext', { source: name, changes: changes.join(', '), n: linked })
        : detail('sourceEdited', { source: name, changes: changes.join(', ') });
    recordChange(ctx, { at: after.updatedAt, action: 'source.edit', source: name, detail: text, before: b, after: a });
  });
  return { source: after, changes, linked };
}

export function removeSource(ctx: AppContext, name: string, force: boolean): { unlinked: number } {
  const source = getSource(ctx, name);
  const linked = ctx.store.linkCount(name);
  if (linked > 0 && !force) {
    throw usageError(t.sourceStillLinked({ name, n: linked }), t.sourceStillLinkedHint());
  }
  const now = ctx.clock.now();
  ctx.store.transaction(() => {
    const orphaned = ctx.store.linkedToSourceOnly(name);
    ctx.store.removeSource(name);
    for (const id of orphaned) {
      ctx.store.updateAccount(id, { owner: 'hub', notOfferedSince: null, updatedAt: now });
      // R9: only an account with a source link can be listed; a hub account is never deleted by a sync.
      const entry = ctx.store.exception(id);
      if (entry === undefined) continue;
      unlist(ctx, entry, now, detail('unlistedSourceRemoved', { source: name }), name);
    }
    recordChange(ctx, { at: now, action: 'source.remove', source: name, detail: detail('sourceRemoved', { source: name, n: linked }), before: source });
  });
  return { unlinked: linked };
}

/** `sources show`: the settings, the links, and how the export would be read now (CSV: a quick look). */
export async function showSource(
  ctx: AppContext,
  name: string,
): Promise<{ source: SourceConfig; linked: number; detected: Detected | null; problem: string | null }> {
  const source = getSource(ctx, name);
  const linked = ctx.store.linkCount(name);
  if (source.format !== 'csv') return { source, linked, detected: null, problem: null };
  try {
    return { source, linked, detected: await detectCsv(source.file, readerSettings(source)), problem: null };
  } catch (err) {
    return { source, linked, detected: null, problem: (err as Error).message };
  }
}

export async function checkSources(ctx: AppContext, name: string | undefined): Promise<(CheckReport & { source: string })[]> {
  const sources = name === undefined ? ctx.store.sources() : [getSource(ctx, name)];
  if (sources.length === 0) throw usageError(t.noSourcesRegistered(), t.noSourcesHint());
  const out: (CheckReport & { source: string })[] = [];
  for (const s of sources) out.push({ source: s.name, ...(await checkExport(s.file, readerSettings(s), offeredOn(ctx.clock.today()))) });
  return out;
}
