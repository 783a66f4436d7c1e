/**
 * Fuzzing every reader (CSV, JSON, SDS v1 and v2.1 folders, OneRoster zip) with fast-check: valid
 * exports from fixtures/ mutated (bytes flipped, inserted, deleted, lines repeated thousands of times,
 * files cut short, tokens that break quoting, encodings and JSON), and random bytes. Whatever comes
 * in, a reader either reads it or refuses it with INVALID_EXPORT: never another error (INTERNAL), never
 * a crash, memory bounded; and a sync that refuses it leaves the hub exactly as it was.
 *
 * `npm test` runs a small budget with a fixed seed (a few seconds); more on demand:
 * `FUZZ_RUNS=5000 npm test -- test/sources/fuzz` (and FUZZ_SEED=<n> for other inputs).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addSource } from '../../src/app/sources.js';
import { runSync } from '../../src/app/sync.js';
import { BasishubError } from '../../src/errors.js';
import { checkExport, readExport } from '../../src/sources/index.js';
import { offeredOn } from '../../src/engine/offer.js';
import type { ReaderSettings } from '../../src/sources/types.js';
import { TestHub, tempDir } from '../helpers/hub.js';
import { DUTCH_MAP, fixture, settings, zipOf } from './helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
/** The sync-level properties cost a sync each: a fifth of the runs. */
const SYNC_RUNS = Math.max(5, Math.floor(RUNS / 5));
/** Growth of the test process's resident memory that no input of a few MB may cause. */
const MEMORY_BOUND_MB = 400;
/** Time for one property: a folder input takes up to a few hundred milliseconds on a busy machine. */
const TIMEOUT = Math.max(60_000, RUNS * 600);

const TOKENS = [
  '"',
  ';',
  ',',
  '\t',
  '\r\n',
  '\n',
  '\r',
  '\0',
  '""',
  '"";',
  '{',
  '}',
  '[',
  ']',
  ':',
  '\\',
  '\\u0000',
  '\\"',
  '1e400',
  '12345678901234567890',
  '"group":"Groep 8",',
  '"relations":[{}]',
  'null',
  '\ufeff',
  'é',
  'ë',
  'PK\x03\x04',
].map((t) => Buffer.from(t, 'utf8'));
const RAW_TOKENS = [[0x81], [0x8d], [0x9d], [0xe9], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xc3], [0xed, 0xa0, 0x80]].map((b) => Buffer.from(b));

type Mutation =
  | { op: 'flip'; at: number; bits: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; len: number }
  | { op: 'truncate'; at: number }
  | { op: 'repeat'; at: number; len: number; times: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.oneof(fc.constantFrom(...TOKENS, ...RAW_TOKENS), fc.uint8Array({ minLength: 1, maxLength: 12 })),
  }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 120 }), times: fc.integer({ min: 2, max: 20000 }) }),
);

/** `base` with the mutations applied in turn (positions taken modulo the length). */
function mutate(base: Buffer, mutations: readonly Mutation[]): Buffer {
  let b = base;
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    switch (m.op) {
      case 'flip':
        if (b.length > 0) {
          b = Buffer.from(b);
          b[at] = b[at]! ^ m.bits;
        }
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
        break;
      case 'delete':
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.len)]);
        break;
      case 'truncate':
        b = b.subarray(0, at);
        break;
      case 'repeat': {
        // At most 4 MB: enough to show a cost that grows faster than the input.
        const piece = b.subarray(at, at + m.len);
        const times = Math.min(m.times, Math.floor((4 << 20) / Math.max(1, piece.length)));
        b = Buffer.concat([b.subarray(0, at), Buffer.alloc(piece.length * times, piece), b.subarray(at)]);
        break;
      }
    }
  }
  return b;
}

/** A mutated fixture, or random bytes (one in eight). */
function bytesFrom(bases: Buffer[]): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 7, arbitrary: fc.tuple(fc.constantFrom(...bases), fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([b, ms]) => mutate(b, ms)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4096 }).map((a) => Buffer.from(a)) },
  );
}

function scratch(): string {
  return tempDir('basishub-fuzz-');
}

/** A CSV or JSON export as one file. */
function fileExport(name: string, bases: Buffer[]): fc.Arbitrary<(dir: string) => string> {
  return bytesFrom(bases).map((bytes) => (dir: string) => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  });
}

/** A roster folder (fixtures' files) with one file mutated or replaced by random bytes. */
function folderExport(from: string): fc.Arbitrary<(dir: string) => string> {
  const names = readdirSync(from);
  return fc.tuple(fc.constantFrom(...names), bytesFrom(names.map((n) => readFileSync(join(from, n))))).map(([name, bytes]) => (dir: string) => {
    const p = join(dir, 'export');
    cpSync(from, p, { recursive: true });
    writeFileSync(join(p, name), bytes);
    return p;
  });
}

/** A OneRoster zip: its bytes mutated, or its files mutated and zipped again (valid CRCs: the CSV readers get them). */
function zipExport(): fc.Arbitrary<(dir: string) => string> {
  const from = fixture('oneroster/bulk');
  const names = readdirSync(from);
  const files = names.map((n) => readFileSync(join(from, n)));
  const rezipped = fc
    .tuple(fc.nat(names.length - 1), bytesFrom(files), fc.boolean())
    .map(([k, bytes, stored]) => zipOf(names.map((n, i) => ({ name: `export/${n}`, data: i === k ? bytes : files[i]!, stored }))));
  return fc.oneof(bytesFrom([readFileSync(fixture('oneroster/bulk.zip'))]), rezipped).map((bytes) => (dir: string) => {
    const p = join(dir, 'oneroster.zip');
    writeFileSync(p, bytes);
    return p;
  });
}

const csvBases = [
  'formats/personeel-semicolon-bom.csv',
  'formats/personeel-windows-1252.csv',
  'formats/leerlingen-tab.tsv',
  'formats/dates.csv',
  'demo/night-1/hr-afas.csv',
].map((f) => readFileSync(fixture(f)));
const jsonBases = ['formats/personen.json', 'formats/personen.ndjson', 'demo/night-1/leerlingen-parnassys.json'].map((f) => readFileSync(fixture(f)));

interface Target {
  name: string;
  /** Inputs to try: folders cost a copy and a read of every file each, so they get half. */
  runs: number;
  settings: ReaderSettings;
  export: fc.Arbitrary<(dir: string) => string>;
}

const TARGETS: Target[] = [
  { name: 'CSV', runs: RUNS, settings: settings({ map: DUTCH_MAP }), export: fileExport('personeel.csv', csvBases) },
  {
    name: 'CSV, settings fixed',
    runs: RUNS,
    settings: settings({ map: DUTCH_MAP, delimiter: ';', encoding: 'windows-1252' }),
    export: fileExport('personeel.csv', csvBases),
  },
  { name: 'JSON', runs: RUNS, settings: settings({ format: 'json' }), export: fileExport('leerlingen.json', jsonBases) },
  { name: 'SDS v1 folder', runs: Math.ceil(RUNS / 2), settings: settings({ format: 'sds-v1' }), export: folderExport(fixture('microsoft-sds/v1-100-users')) },
  { name: 'SDS v2.1 folder', runs: Math.ceil(RUNS / 2), settings: settings({ format: 'sds-v2.1' }), export: folderExport(fixture('microsoft-sds/v2.1')) },
  { name: 'OneRoster zip', runs: RUNS, settings: settings({ format: 'oneroster-1.1' }), export: zipExport() },
];

/** Reads and checks an export; anything but INVALID_EXPORT fails the property. */
async function readOrRefuse(path: string, s: ReaderSettings): Promise<void> {
  try {
    await readExport(path, s);
  } catch (e) {
    if (!(e instanceof BasishubError) || e.code !== 'INVALID_EXPORT') throw e;
    expect(e.message.startsWith(String(e.details?.file))).toBe(true);
  }
  // `sources check` reads on past problems: it reports, and never throws for the export's sake.
  await checkExport(path, s, offeredOn('2026-11-30'));
}

const baseline = process.memoryUsage().rss;
function expectMemoryBounded(): void {
  expect((process.memoryUsage().rss - baseline) / (1 << 20)).toBeLessThan(MEMORY_BOUND_MB);
}

describe(`fuzzing the readers (${RUNS} inputs each, seed ${SEED})`, () => {
  it.each(TARGETS.map((t) => [t.name, t] as const))(
    '%s: read or INVALID_EXPORT, nothing else',
    async (_name, target) => {
      await fc.assert(
        fc.asyncProperty(target.export, async (make) => {
          const dir = scratch();
          try {
            await readOrRefuse(make(dir), target.settings);
            expectMemoryBounded();
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }),
        { numRuns: target.runs, seed: SEED, endOnFailure: true },
      );
    },
    TIMEOUT,
  );
});

/** Everything in the hub, as text: two equal texts mean that nothing changed. */
function hubState(hub: TestHub, runs: boolean): string {
  const tables = ['accounts', 'links', 'exceptions', 'audit', 'sources', ...(runs ? ['runs', 'planned_changes'] : [])];
  return JSON.stringify(tables.map((t) => hub.store.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()));
}

describe(`fuzzing a sync (${SYNC_RUNS} inputs each): a refused export changes nothing`, () => {
  const hub = new TestHub();
  const SOURCES: Record<string, Target> = {
    hr: { ...TARGETS[0]!, export: fileExport('hr.csv', [readFileSync(fixture('demo/night-1/hr-afas.csv'))]) },
    parnassys: { ...TARGETS[2]!, export: fileExport('leerlingen.json', [readFileSync(fixture('demo/night-1/leerlingen-parnassys.json'))]) },
    sds1: TARGETS[3]!,
    sds21: TARGETS[4]!,
    ro: TARGETS[5]!,
  };

  beforeAll(async () => {
    hub.demoSources();
    const ctx = hub.ctx();
    addSource(ctx, 'sds1', { file: fixture('microsoft-sds/v1-100-users'), format: 'sds-v1', match: 'none' });
    addSource(ctx, 'sds21', { file: fixture('microsoft-sds/v2.1'), format: 'sds-v2.1', match: 'none' });
    addSource(ctx, 'ro', { file: fixture('oneroster/bulk.zip'), format: 'oneroster-1.1', match: 'none' });
    await hub.night(1);
    hub.now = '2026-11-25T02:00:00.000Z';
  });

  afterAll(() => hub.close());

  it.each(Object.keys(SOURCES))(
    '%s',
    async (source) => {
      const outcomes = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(SOURCES[source]!.export, async (make) => {
          const dir = scratch();
          const all = hubState(hub, true);
          const data = hubState(hub, false);
          let outcome = 'synced';
          try {
            await runSync(hub.ctx({ actor: 'cron' }), { overrides: { [source]: make(dir) } });
          } catch (e) {
            if (!(e instanceof BasishubError) || (e.code !== 'INVALID_EXPORT' && e.code !== 'SAFETY_STOP')) throw e;
            outcome = e.code;
            // A refused export changes nothing at all; a safety stop records the stopped run only.
            expect(e.code === 'INVALID_EXPORT' ? hubState(hub, true) : hubState(hub, false)).toBe(e.code === 'INVALID_EXPORT' ? all : data);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          expectMemoryBounded();
        }),
        { numRuns: SYNC_RUNS, seed: SEED, endOnFailure: true },
      );
      // The mutations must reach the readers' refusals, not only trip over the first byte.
      expect(outcomes.get('INVALID_EXPORT') ?? 0).toBeGreaterThan(0);
    },
    TIMEOUT,
  );
});
