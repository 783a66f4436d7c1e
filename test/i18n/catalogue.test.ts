/**
 * Every message of both catalogues, rendered with sample parameters: none is empty or shows a parameter
 * it was not given, and the Dutch texts hold no English. The types already refuse a catalogue that
 * misses a key (src/i18n/nl.ts is a `Catalogue`); this checks what the texts say.
 */
import { describe, expect, it } from '@jest/globals';
import { CATALOGUES, chooseLanguage, day, langArgument, num, setLanguage, type Catalogue } from '../../src/i18n/index.js';
import { englishLeft } from './giveaways.js';

/** Sample values by parameter name (an email, a count, a date as the caller formats it). */
const SAMPLE: Record<string, unknown> = {
  n: 3,
  id: 42,
  runId: 7,
  days: 90,
  min: 1,
  max: 10,
  night: 2,
  pid: 4711,
  version: 9,
  known: 4,
  before: '24-11-2026',
  after: 12,
  pruned: 2,
  shown: 2,
  total: 3,
  fields: ['reden'],
  flags: ['--until', '--no-until'],
  per: [{ source: 'hr', n: 3 }],
  listed: true,
  wasListed: true,
  dryRun: false,
  csv: true,
  add: true,
  stopped: true,
  forced: false,
  approved: false,
  filtered: true,
  reverts: null,
  hint: 'basishub sync show 7',
  status: 'active',
  owner: 'hub',
  role: 'staff',
  account: '#42 Fatima el Amrani <fatima.elamrani@waterlanden.nl>',
  name: 'Fatima el Amrani',
  reason: 'Invalpool: tussen twee contracten',
  file: '/srv/basishub/lijst.csv',
  date: '2026-01-31',
  until: '31-01-2027',
  since: '25-11-2026',
  message: 'disk I/O error',
  phase: 'hr inlezen',
  done: '12.000',
  source: 'hr',
  value: 'morgen',
  flag: '--limit',
  words: 'exceptions toevoegen',
  shell: 'powershell',
  values: 'bash, zsh, fish',
  path: '/srv/basishub/exports/medewerkers.csv',
  records: '1.204',
  checksum: '3f1c0a9be2d4…',
  what: 'hr: --match',
  output: '/srv/basishub/backups/hub-2026-11-30.db',
  started: '30-11-2026 02:00:01',
  actor: 'cron',
  finished: '30-11-2026 02:00:09',
  approve: 'basishub sync run --approve 3f1c0a9be2d47c61',
  ref: 'hr:10395',
  list: '#3 Anouk de Graaf; #9 Anouk de Graaf',
  sources: 'hr, basispoort',
  email: 'anouk.degraaf@waterlanden.nl',
  holders: '#3 Anouk de Graaf',
  at: '24-11-2026',
  by: 'coordinator',
  refusal: 'Zonder bevestiging gaat het niet.',
  deletedAt: '24-11-2026',
  notOfferedSince: '25-11-2026',
  cause: 'synchronisatie 5',
  created: '24-11-2026 02:00',
  updated: '25-11-2026 10:00',
  added: 2,
  label: '--until',
  field: 'reason',
  delimiter: ';',
  unchanged: 40,
  counts: '2 toegevoegd, 1 bijgewerkt, 40 ongewijzigd',
  changed: 'reden',
  today: '30-11-2026',
  previous: '23-11-2026 09:00',
  reasons: 'bron hr ging van 120 naar 12 regels',
  names: 'hr, parnassys, basispoort',
  // SQLite's own message, which stays as SQLite words it.
  why: 'SQLITE_NOTADB',
  plan: '3f1c0a9be2d47c61',
  host: 'ict-server',
  rows: 1310,
  problem: 'medewerkers.csv:1: no externalId column',
  first: 3,
  line: 7,
  json: false,
  user: 'hr:10395',
  lines: '  regel 7 (hr:10395): geen account',
  // What app/sources.ts says of a settings change, in English for now.
  changes: 'priority from 5 to 50',
  notOffered: 4,
  size: '2,4 MB',
  revertOf: 41,
  kept: true,
  unlinked: 12,
  // The export readers' problems and findings (a file, line, column, field and what was found there).
  reading: true,
  code: 'EACCES',
  detail: 'Unexpected token } in JSON at position 41',
  change: { size: [48213, 51200] },
  byte: '81',
  utf8Line: 12,
  badLine: 40,
  badFirst: false,
  mb: 1,
  width: 7,
  columns: ['Personeelsnummer', 'Voornaam', '', 'Achternaam'],
  encoding: 'windows-1252',
  bom: true,
  column: 'Personeelsnummer',
  other: 'personeelsnummer ',
  otherAt: 5,
  unmapped: [{ column: 'Mail', field: 'email' }],
  missing: ['SIS ID', 'Name'],
  format: 'dd-mm-yyyy',
  token: 'q',
  found: 'number',
  key: 'groep',
  escape: 'u001e',
  mapped: 'Personeelsnummer',
  wrapped: 'medewerkers',
  person: '10234',
  part: 'studentSections',
  files: ['School.csv', 'Student.csv'],
  roles: ['mentor', 'stagiair'],
  mode: 'delta',
  ids: ['brin-07AB', 'klas-8b'],
  delta: true,
  entry: 'export/users.csv',
  ratio: 412,
  compressed: 20480,
  method: 14,
  keys: ['leerjaar', 'mentor'],
  setting: 'prioriteit',
  from: '30',
  to: '50',
  kind: 'een map',
  timeout: 30,
  allowed: 'csv, json',
  zip: true,
  header: 3,
  nothingChanged: true,
  folder: true,
  readonly: false,
  groups: true,
  scim: true,
  place: 'https://graph.microsoft.com/rp/scim',
  env: 'ENTRA_SCIM_TOKEN',
  stop: 'het zou 12 van de 40 accounts deactiveren',
  dir: '/srv/basishub/kopieen',
  active: 40,
  inactive: 2,
  last: '30-11-2026 02:10',
  deactivated: 1,
  reactivated: 0,
  deleted: 0,
  targets: 'entra, sds',
  text: 'map voor de kopie',
};

/** The values that a keyed message knows, each rendered. */
const KEYED: Partial<Record<keyof Catalogue, Record<string, unknown>[]>> = {
  group: ['create', 'update', 'relink', 'revive', 'lapse', 'pending', 'delete', 'protect', 'conflict', 'keep'].map((action) => ({ action })),
  count: ['created', 'updated', 'relinked', 'revived', 'deleted', 'protected', 'conflicts', 'pending', 'lapsed', 'unchanged', 'kept', 'notRevertible'].map(
    (key) => ({ key, n: 2 }),
  ),
  reviewGroup: ['longListed', 'notOffered', 'lapsed', 'offeredAgain', 'pastUntil'].map((group) => ({ group, days: 90 })),
  pageShown: [
    { from: 51, to: 100, total: 10_000, what: 'entries', next: 'basishub exceptions list --offset 100 --limit 50' },
    { from: 29_951, to: 30_000, total: 30_000, what: 'changes', next: null },
    { from: 501, to: 500, total: 120, what: 'entries', next: null },
  ],
  reviewAdvice: ['longListed', 'notOffered', 'lapsed', 'offeredAgain', 'pastUntil'].map((group) => ({ group })),
  field: ['email', 'name', 'role', 'status', 'owner', 'offered', 'links', 'relations', 'created', 'exception'].map((name) => ({ name })),
  demoStory: [1, 2, 3, 4, 5].map((night) => ({ night })),
  demoAction: ['protect', 'rename', 'unlist'].map((step) => ({ step })),
  runStatus: ['completed', 'stopped'].map((status) => ({ status })),
  entryField: ['reason', 'until'].map((field) => ({ field })),
  attribute: ['givenName', 'prefix', 'familyName', 'email'].map((name) => ({ name })),
  commanderError: [
    "missing required argument 'user'",
    "option '--reason <text>' argument missing",
    "required option '--older-than <days>' not specified",
    "unknown option '--reasn'\n(Did you mean --reason?)",
    "unknown command 'exeptions'\n(Did you mean exceptions?)",
    "too many arguments for 'add'. Expected 1 argument but got 2.",
    "option '--limit <n>' argument 'x' is invalid. --limit moet een geheel getal zijn van minstens 1.",
  ].map((message) => ({ message })),
  controlChar: [{ label: '--reason', char: 'U+001B', at: 12, why: 'elke coördinator moet later kunnen lezen waarom' }],
  nothingVisible: [true, false].map((empty) => ({ label: '--actor', empty, why: 'het logboek moet zeggen wie het deed' })),
  importNoFile: ['ENOENT', 'EISDIR', 'EACCES'].map((code) => ({ file: 'lijst.csv', code, why: 'EACCES: permission denied' })),
  runFlags: [{ dryRun: true, forced: true, approved: true, reverts: 4 }],
  planMismatch: [{ approved: '3f1c0a9be2d47c61', plan: '8e2b1d0c9a7f6e54' }],
  // The export readers' messages, in each of their forms.
  readBrokenUtf8: [
    { utf8Line: 0, badLine: 40, badFirst: false },
    { utf8Line: 12, badLine: 40, badFirst: false },
    { utf8Line: 12, badLine: 3, badFirst: true },
  ],
  readChanged: ['replaced', 'folderReplaced', 'modified', 'removed', 'removedOrUnreadable', 'unreadable', 'appeared', { size: [48213, 51200] }].map(
    (change) => ({ change }),
  ),
  readJsonStart: ['string', 'array', 'number', 'boolean', 'null', { char: 'x' }].map((found) => ({ found })),
  readMissingFile: [
    'schools',
    'sections',
    'students',
    'teachers',
    'studentSections',
    'teacherSections',
    'users',
    'organisations',
    'userOrganisations',
    'manifest',
  ].map((part) => ({ name: 'School.csv', part, files: [] })),
  readDelimiterDetected: [',', ';', '\t', '|'].map((delimiter) => ({ delimiter })),
  readJsonNoPerson: [
    { mapped: null, wrapped: null },
    { mapped: 'Personeelsnummer', wrapped: 'medewerkers' },
  ],
  readOtherDetails: [
    { id: '10234', line: 3, file: null },
    { id: '10234', line: 3, file: 'Teacher.csv' },
  ],
  readZipDamaged: [{ name: null }, { name: 'users.csv' }],
  readZipTruncated: [{ name: null }, { name: 'users.csv' }],
  readEnrollmentStrangers: [true, false].map((delta) => ({ n: 1, delta })),
  readIsFolder: [true, false].map((reading) => ({ reading })),
  sourceLabel: ['file', 'format', 'match', 'priority', 'grace days', 'dates', 'map', 'links', 'detected'].map((name) => ({ name })),
  delimiterWord: ['comma', 'semicolon', 'tab', 'auto'].map((name) => ({ name })),
  notOneOf: ['format', 'kind', 'match', 'encoding', 'field'].map((what) => ({ what, value: 'xml', allowed: 'csv, json' })),
  storageWhy: ['full', 'readonly', 'denied', 'readonlyFile'].map((why) => ({ why })),
  outputKind: ['folder', 'fifo', 'socket', 'device', 'other'].map((kind) => ({ kind })),
  protectedFile: ['hub', '-wal', '-shm', '-journal', 'attached', 'open'].map((kind) => ({ kind, file: '/srv/basishub/hub.db' })),
  targetLabel: ['url', 'token', 'groups', 'concurrency', 'output', 'acknowledged', 'published', 'pending'].map((name) => ({ name })),
  publishCount: ['created', 'updated', 'deactivated', 'reactivated', 'deleted', 'unchanged', 'failed'].map((key) => ({ key })),
  publishGroup: ['create', 'update', 'reactivate', 'deactivate', 'delete'].map((action) => ({ action })),
  revertCount: ['revived', 'updated', 'deleted', 'kept', 'notRevertible', 'unchanged'].map((key) => ({ key })),
  targetRunStatus: ['completed', 'stopped', 'failed', 'running'].map((status) => ({ status })),
  settingMeaning: ['backup-dir', 'backup-keep'].map((name) => ({ name, text: 'folder for the copy' })),
  // Parameters whose name the readers' messages use with another type.
  sourceDetected: [{ delimiter: ';', encoding: 'utf-8', bom: true, columns: 'Personeelsnummer, Voornaam, Achternaam' }],
  importColumnsMissing: [
    { file: 'lijst.csv', missing: ['reason'], found: ['naam', 'reden'] },
    { file: 'lijst.csv', missing: ['user', 'reason'], found: [] },
  ],
  publishWrote: [{ files: '/srv/basishub/entra/accounts.csv' }],
  helpTitle: ['Usage:', 'Options:', 'Commands:', 'Arguments:', 'Global Options:'].map((title) => ({ title })),
};

/** Keys whose Dutch text names values of the contract (`--status deleted`), or passes a value on. */
const SAME_IN_BOTH = new Set(['ownerCell', 'roleCell', 'statusValue']);

function params(key: string): Record<string, unknown>[] {
  return KEYED[key as keyof Catalogue] ?? [new Proxy(SAMPLE, { get: (s, k) => (k in s ? s[k as string] : `«${String(k)}»`) })];
}

function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(texts);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(texts);
  return [String(value)];
}

function render(cat: Catalogue): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, fn] of Object.entries(cat) as [string, (p: unknown) => unknown][]) {
    out.set(
      key,
      params(key).flatMap((p) => texts(fn(p))),
    );
  }
  return out;
}

// Maps (help descriptions, detail phrases) may be empty in English, where the text is its own.
const MAPS = new Set(['commands', 'options', 'examples', 'detailTexts']);

describe('the message catalogues', () => {
  it('have the same keys in both languages', () => {
    expect(Object.keys(CATALOGUES.nl).sort()).toEqual(Object.keys(CATALOGUES.en).sort());
  });

  for (const lang of ['en', 'nl'] as const) {
    it(`render every ${lang} message with sample parameters, none empty, every parameter used as a value`, () => {
      setLanguage(lang);
      for (const [key, list] of render(CATALOGUES[lang])) {
        if (MAPS.has(key)) continue;
        expect({ key, empty: list.length === 0 || list.some((x) => x.trim() === '') }).toEqual({ key, empty: false });
        for (const text of list) {
          expect({ key, text, missing: /«\w+»|undefined|\[object Object\]|NaN/.test(text) }).toEqual({ key, text, missing: false });
        }
      }
      setLanguage('en');
    });
  }

  it('leave no English in the Dutch texts', () => {
    setLanguage('nl');
    const found: string[] = [];
    for (const [key, list] of render(CATALOGUES.nl)) {
      if (MAPS.has(key) || SAME_IN_BOTH.has(key)) continue;
      for (const text of list) for (const w of englishLeft(text)) found.push(`${key}: "${w}" in ${text}`);
    }
    setLanguage('en');
    expect(found).toEqual([]);
  });

  it('say in Dutch what every command and every option does', async () => {
    const { buildProgram } = await import('../../src/cli/program.js');
    const { Runtime } = await import('../../src/cli/runtime.js');
    const { walk, commandPath } = await import('../../src/cli/help.js');
    const { PassThrough } = await import('node:stream');
    setLanguage('nl');
    const io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), env: {} };
    const program = buildProgram(new Runtime(io, false));
    const english: string[] = [];
    for (const cmd of walk(await program)) {
      const path = commandPath(cmd);
      if (path === '') continue;
      if (CATALOGUES.nl.commands()[path] === undefined && !['help', 'completion'].includes(path)) english.push(path);
      for (const o of cmd.options) {
        if (o.description !== '' && o.long !== '--help' && CATALOGUES.nl.options()[`${path}|${o.long}`] === undefined) english.push(`${path} ${o.long}`);
      }
    }
    setLanguage('en');
    expect(english).toEqual([]);
  });
});

describe('numbers and dates as the reader writes them', () => {
  it('writes 1.000.000 and 30-11-2026 in Dutch, 1,000,000 and 2026-11-30 in English', () => {
    setLanguage('nl');
    expect([num(1_000_000), day('2026-11-30'), day('2026-11-30 00:30')]).toEqual(['1.000.000', '30-11-2026', '30-11-2026 00:30']);
    setLanguage('en');
    expect([num(1_000_000), day('2026-11-30')]).toEqual(['1,000,000', '2026-11-30']);
  });

  it('groups whole numbers as the locale would, without loading it; a fraction still goes through the locale', () => {
    const values = [0, 7, -5, 999, 1000, -1234, 12_345, 999_999, 10_000_000, Number.MAX_SAFE_INTEGER, 1234.5];
    for (const [lang, locale] of [
      ['nl', 'nl-NL'],
      ['en', 'en-US'],
    ] as const) {
      setLanguage(lang);
      expect(values.map(num)).toEqual(values.map((n) => n.toLocaleString(locale)));
    }
  });
});

describe('choosing the language', () => {
  it('takes --lang first, then BASISHUB_LANG, then LC_ALL, LC_MESSAGES and LANG, else English', () => {
    expect(chooseLanguage('en', { BASISHUB_LANG: 'nl', LANG: 'nl_NL.UTF-8' }).lang).toBe('en');
    expect(chooseLanguage(undefined, { BASISHUB_LANG: 'en', LANG: 'nl_NL.UTF-8' }).lang).toBe('en');
    expect(chooseLanguage(undefined, { BASISHUB_LANG: 'nl' }).lang).toBe('nl');
    expect(chooseLanguage(undefined, { LANG: 'nl_NL.UTF-8' }).lang).toBe('nl');
    expect(chooseLanguage(undefined, { LANG: 'nl_BE.UTF-8' }).lang).toBe('nl');
    expect(chooseLanguage(undefined, { LC_ALL: 'C.UTF-8', LANG: 'nl_NL.UTF-8' }).lang).toBe('en');
    expect(chooseLanguage(undefined, { LC_MESSAGES: 'nl_NL', LANG: 'en_GB.UTF-8' }).lang).toBe('nl');
    expect(chooseLanguage(undefined, { LANG: 'nn_NO.UTF-8' }).lang).toBe('en');
    expect(chooseLanguage(undefined, {}).lang).toBe('en');
  });

  it('refuses a --lang it does not know, and reads --lang=nl as well as --lang nl', () => {
    expect(chooseLanguage('de', {})).toEqual({ lang: 'en', invalid: 'de' });
    expect(chooseLanguage('', { LANG: 'nl_NL' })).toEqual({ lang: 'nl', invalid: '' });
    expect(langArgument(['users', 'list', '--lang=nl'])).toBe('nl');
    expect(langArgument(['--lang', 'en', 'users'])).toBe('en');
    expect(langArgument(['exceptions', 'add', '--', '--lang', 'nl'])).toBeUndefined();
  });
});
