/**
 * `npm run bench`: how fast and how lean a sync is at 100 000 and 1 000 000 people, against
 * floors measured in the same run on the same files.
 *
 *   npm run bench [-- --sizes 100000,1000000] [--repeat <k>] [--json] [--profile] [--keep] [--no-write-floor] [--worker-flags "<node flags>"] [--dir .bench] [--only-sync | --only-publish]
 *   npm run bench -- --interactive 1M [--rounds 7]
 *
 * For each size: synthetic HR exports (src/bench/generate.ts, cached in .bench/), then, each in a
 * fresh child process (src/bench/worker.ts): the parse floor and the load floor, basishub's initial
 * sync, a resync of the same file, a resync with 1% churn, the same three on the narrow export (8 columns,
 * comma, no BOM, LF), and the revert of that churn (`sync revert`).
 * Then the interactive measurements (src/bench/interactive.ts) on a hub of the largest size; with
 * `--interactive <N>` only those, at N (`--rounds <k>`, default 7).
 * Targets (TARGETS): initial sync ≤ 1.5× the load floor, a resync without changes ≤ 1× and one with 1%
 * churn ≤ 1.3× the parse floor, a sync at most 256 MB; `--only-sync` measures only the syncs and floors;
 * `--only-publish` only a first publish to an SDS folder, a publish again with nothing changed, and the
 * resync without changes they are compared with (on the hub `--keep` left in `--dir`, else a new one).
 * Progress goes to stderr; the table (or,
 * with --json, one JSON document) to stdout.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import Table from 'cli-table3';
import { cachedExports, generateExports, type GeneratedExports } from './generate.js';
import { median, medianRun, pairedRatio } from './stats.js';
import { INTERACTIVE_TARGETS, measureInteractive } from './interactive.js';
import type { Task, WorkerResult } from './worker.js';

/**
 * The sync's targets: a first sync ≤ 1.5× the load floor, a resync without changes ≤ 1× and one with 1%
 * churn ≤ 1.3× the parse floor, at most 256 MB; the other measurements (revert, publishing) ≤ 512 MB.
 */
export const TARGETS = {
  initialVsLoad: 1.5,
  noChangeVsParse: 1,
  churnVsParse: 1.3,
  syncPeakMB: 256,
  revertVsApply: 1.5,
  peakMB: 512,
  publishFilesVsResync: 1,
  scimClientVsServer: 1,
} as const;

/** People in the hub published to the SCIM service (at most): a loopback service stores them in memory. */
export const SCIM_PEOPLE = 2000;

interface Args {
  sizes: number[];
  json: boolean;
  profile: boolean;
  keep: boolean;
  dir: string;
  /** Rounds of all measurements (the median counts); default 5 up to 200 000 people, else 1. */
  repeat?: number;
  /** Also measure the write floor (the parse floor, then the rows of the initial sync inserted again into a new hub; for information). */
  writeFloor: boolean;
  /** Node/V8 flags for basishub's measurements (not the floors), e.g. `--heap-growing-percent=50`. */
  workerFlags: string[];
  /** Only the interactive measurements, on a hub of this many people (--interactive <N>). */
  interactiveOnly?: number;
  /** Rounds of the interactive measurements (--rounds, default 7). */
  rounds: number;
  /** Only the sync measurements (floors, syncs, on both exports): no revert, publishing or interactive (--only-sync). */
  onlySync: boolean;
  /** Only the file publishes and the resync without changes they are judged against (--only-publish). */
  onlyPublish: boolean;
}

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(s.trim().replace(/_/g, ''));
  if (m === null) throw new Error(`--sizes: "${s}" is not a number (100000, 100k, 1M)`);
  const n = Number(m[1]) * (m[2].toLowerCase() === 'k' ? 1e3 : m[2].toLowerCase() === 'm' ? 1e6 : 1);
  if (!Number.isInteger(n) || n < 100) throw new Error(`--sizes: ${s} must be a whole number of at least 100`);
  return n;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    sizes: [100_000, 1_000_000],
    json: false,
    profile: false,
    keep: false,
    dir: '.bench',
    writeFloor: true,
    workerFlags: [],
    rounds: 7,
    onlySync: false,
    onlyPublish: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--json') args.json = true;
    else if (a === '--profile') args.profile = true;
    else if (a === '--keep') args.keep = true;
    else if (a === '--no-write-floor') args.writeFloor = false;
    else if (a === '--only-sync') args.onlySync = true;
    else if (a === '--only-publish') args.onlyPublish = true;
    else if (a.startsWith('--worker-flags')) args.workerFlags = value().split(/\s+/).filter(Boolean);
    else if (a.startsWith('--interactive')) args.interactiveOnly = parseSize(value());
    else if (a.startsWith('--rounds')) {
      args.rounds = Number(value());
      if (!Number.isInteger(args.rounds) || args.rounds < 1) throw new Error('--rounds must be a whole number, 1 or more');
    } else if (a.startsWith('--sizes')) args.sizes = value().split(',').filter(Boolean).map(parseSize);
    else if (a.startsWith('--dir')) args.dir = value();
    else if (a.startsWith('--repeat')) {
      args.repeat = Number(value());
      if (!Number.isInteger(args.repeat) || args.repeat < 1) throw new Error('--repeat must be a whole number, 1 or more');
    } else if (a === '-h' || a === '--help') {
      process.stdout.write(
        'npm run bench [-- --sizes 100000,1000000] [--repeat <k>] [--json] [--profile] [--keep] [--no-write-floor] [--worker-flags "<node flags>"] [--dir .bench] [--interactive <N>] [--rounds <k>] [--only-sync | --only-publish]\n',
      );
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (args.onlySync && args.onlyPublish) throw new Error('--only-sync and --only-publish exclude each other');
  return args;
}

// ---- progress on stderr ----------------------------------------------------------------------------
const started = performance.now();
function elapsed(): string {
  const s = (performance.now() - started) / 1000;
  return s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}
function progress(message: string): void {
  process.stderr.write(`[bench ${elapsed()}] ${message}\n`);
}

// ---- machine ---------------------------------------------------------------------------------------
export interface Machine {
  cpu: string;
  cores: number;
  memoryGB: number;
  node: string;
  sqlite: string;
  platform: string;
}

function machine(): Machine {
  const cpus = os.cpus();
  const db = new Database(':memory:');
  const sqlite = (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
  db.close();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    sqlite,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

// ---- child processes -------------------------------------------------------------------------------
const WORKER = new URL('./worker.js', import.meta.url).pathname;

function runWorker(task: Task, args: string[], label: string, nodeFlags: string[]): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, [...nodeFlags, WORKER, task, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    const beat = setInterval(() => progress(`  … ${label} still running (${((performance.now() - t) / 1000).toFixed(0)} s)`), 30_000);
    child.on('error', (e) => {
      clearInterval(beat);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearInterval(beat);
      if (code !== 0) {
        reject(new Error(`${label}: worker exited with ${signal ?? `code ${code}`}`));
        return;
      }
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as WorkerResult);
      } catch {
        reject(new Error(`${label}: the worker printed no result (${out.slice(0, 200)})`));
      }
    });
  });
}

function removeDb(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
}

// ---- measurements ----------------------------------------------------------------------------------
export type MeasurementName =
  | 'parse floor'
  | 'parse floor (churn)'
  | 'load floor'
  | 'write floor (info)'
  | 'initial sync'
  | 'resync, no change'
  | 'resync, 1% churn'
  | 'parse floor (narrow)'
  | 'parse floor (narrow churn)'
  | 'load floor (narrow)'
  | 'initial sync (narrow)'
  | 'resync, no change (narrow)'
  | 'resync, 1% churn (narrow)'
  | 'revert of the churn'
  | 'publish, SDS files'
  | 'publish again, no change'
  | 'publish, SCIM';

export interface Measurement {
  n: number;
  name: MeasurementName;
  /** Wall time of the run of median time. */
  seconds: number;
  /** CPU time (all threads) of that run. */
  cpuSeconds: number;
  /** Per round, the wall time of its run (of the median run, where a floor ran several times). */
  runs: number[];
  /** How many runs in all. */
  samples: number;
  peakMB: number;
  rows?: number;
  /** For basishub's measurements: the floor compared with, the ratio, and the targets. */
  floor?: MeasurementName;
  ratio?: number;
  ratioTarget?: number;
  ratioPass?: boolean;
  peakTarget?: number;
  peakPass?: boolean;
  counts?: WorkerResult['counts'];
  revertCounts?: Record<string, number>;
  /** Whether the counts are what the exports imply (created N, unchanged N, the churn). */
  countsOk?: boolean;
  expected?: Partial<NonNullable<WorkerResult['counts']>>;
  phases?: WorkerResult['phases'];
  /** Publish measurements: accounts sent, SCIM requests and requests per second, the service's CPU time. */
  published?: WorkerResult['published'];
  requests?: number;
  serverCpuSeconds?: number;
}

export interface SizeReport {
  n: number;
  exports: GeneratedExports;
  measurements: Measurement[];
  seconds: number;
}

/** The seconds a sync spent writing its plan: its 'applying' phase, commit included. */
function applySeconds(r: WorkerResult): number {
  return r.phases.filter((p) => p.name === 'applying' || p.name === 'indexing').reduce((s, p) => s + p.seconds, 0);
}

/**
 * The revert of the churn against the time the churn resync took to apply the same changes, each round
 * against its own resync (R18: a revert costs about what applying the run cost).
 */
function judgeRevert(out: Measurement[], results: Map<MeasurementName, WorkerResult[][]>, exports: GeneratedExports): void {
  const m = out.find((x) => x.name === 'revert of the churn');
  const churn = results.get('resync, 1% churn');
  if (m === undefined || churn === undefined) return;
  const applied = churn.map((rs) => applySeconds(medianRun(rs)));
  m.floor = 'resync, 1% churn';
  m.ratio = pairedRatio(m.runs, applied);
  m.ratioTarget = TARGETS.revertVsApply;
  m.ratioPass = m.ratio <= TARGETS.revertVsApply;
  m.peakTarget = TARGETS.peakMB;
  m.peakPass = m.peakMB <= TARGETS.peakMB;
  const c = exports.churnStats;
  const expected: Record<string, number> = { revived: c.gone, updated: c.renamed, deleted: c.added, kept: 0 };
  m.countsOk = m.revertCounts !== undefined && Object.entries(expected).every(([k, v]) => m.revertCounts![k] === v);
}

function countsMatch(counts: WorkerResult['counts'], expected: Partial<NonNullable<WorkerResult['counts']>>): boolean {
  if (counts === undefined) return false;
  return Object.entries(expected).every(([k, v]) => counts[k as keyof typeof counts] === v);
}

function exportsFor(n: number, dir: string): GeneratedExports {
  let exports = cachedExports(dir, n);
  if (exports === undefined) {
    progress(`N=${n.toLocaleString('en')}: generating exports in ${dir}`);
    exports = generateExports({ dir, n, onProgress: (p) => progress(`  generated ${p.toLocaleString('en')} of ${n.toLocaleString('en')} people`) });
    progress(
      `  ${exports.baseStats.rows.toLocaleString('en')} rows, ${(exports.baseStats.bytes / 1024 / 1024).toFixed(1)} MB (churn: ${exports.churnStats.rows.toLocaleString('en')} rows)`,
    );
  } else {
    progress(`N=${n.toLocaleString('en')}: reusing exports in ${dir}`);
  }
  return exports;
}

/** The files one size's measurements work in. */
interface SizeFiles {
  exports: GeneratedExports;
  hub: string;
  narrowHub: string;
  floorDb: string;
  sdsDir: string;
  scimHub: string;
  scimExports: GeneratedExports | undefined;
}

/** Measure one task `times` times, as run `round`; its runs join the measurement's in `results`. */
type Measure = (name: MeasurementName, task: Task, taskArgs: string[], round: number, times?: number) => Promise<void>;

function sizeFiles(n: number, args: Args): SizeFiles {
  const dir = path.resolve(args.dir);
  const work = path.join(dir, `work-${n}`);
  fs.mkdirSync(work, { recursive: true });
  const scimN = Math.min(n, SCIM_PEOPLE);
  return {
    exports: exportsFor(n, dir),
    hub: path.join(work, 'hub.db'),
    narrowHub: path.join(work, 'hub-narrow.db'),
    floorDb: path.join(work, 'floor.db'),
    sdsDir: path.join(work, 'sds'),
    scimHub: path.join(work, 'scim-hub.db'),
    scimExports: args.onlySync || args.onlyPublish ? undefined : (cachedExports(dir, scimN) ?? generateExports({ dir, n: scimN })),
  };
}

function measurer(n: number, args: Args, rounds: number, results: Map<MeasurementName, WorkerResult[][]>): Measure {
  const profDir = path.join(path.resolve(args.dir), 'profiles');
  const flagsFor = (name: string) => [
    ...args.workerFlags,
    ...(args.profile ? ['--cpu-prof', '--cpu-prof-dir', profDir, '--cpu-prof-name', `${name.replace(/[^a-z0-9]+/gi, '-')}-${n}.cpuprofile`] : []),
  ];
  return async (name, task, taskArgs, round, times = 1) => {
    const runs: WorkerResult[] = [];
    for (let k = 1; k <= times; k++) {
      const of = [rounds > 1 ? `round ${round} of ${rounds}` : '', times > 1 ? `run ${k} of ${times}` : ''].filter(Boolean).join(', ');
      progress(`N=${n.toLocaleString('en')}: ${name}${of ? ` (${of})` : ''} …`);
      const r = await runWorker(
        task,
        taskArgs,
        name,
        task === 'init' || task === 'resync' || task === 'revert' || task.startsWith('publish') ? flagsFor(name) : [],
      );
      progress(`  ${name}: ${r.seconds.toFixed(2)} s (cpu ${r.cpuSeconds.toFixed(2)} s), peak ${r.maxRssMB} MB`);
      runs.push(r);
      if (task === 'load' || task === 'write') removeDb(taskArgs[1]);
    }
    results.set(name, [...(results.get(name) ?? []), runs]);
  };
}

/** One round's floors and syncs, on the usual export and on the narrow one. */
async function measureSyncs(measure: Measure, f: SizeFiles, args: Args, round: number, floorRuns: number): Promise<void> {
  const { exports, hub, narrowHub, floorDb } = f;
  await measure('parse floor', 'parse', [exports.base], round, floorRuns);
  await measure('parse floor (churn)', 'parse', [exports.churn], round, floorRuns);
  await measure('load floor', 'load', [exports.base, floorDb], round, floorRuns);
  removeDb(floorDb);
  removeDb(hub);
  await measure('initial sync', 'init', [hub, exports.base], round);
  // The rows that initial sync wrote, inserted again with nothing else: what its tables cost at the least.
  if (args.writeFloor) await measure('write floor (info)', 'write', [exports.base, floorDb, hub], round);
  await measure('resync, no change', 'resync', [hub, exports.base], round);
  await measure('resync, 1% churn', 'resync', [hub, exports.churn], round);
  // The same people as a narrow export (8 columns, `,`, no BOM, LF): a lower parse floor.
  await measure('parse floor (narrow)', 'parse', [exports.narrow], round, floorRuns);
  await measure('parse floor (narrow churn)', 'parse', [exports.narrowChurn], round, floorRuns);
  await measure('load floor (narrow)', 'load', [exports.narrow, floorDb], round, floorRuns);
  removeDb(floorDb);
  removeDb(narrowHub);
  await measure('initial sync (narrow)', 'init', [narrowHub, exports.narrow, 'narrow'], round);
  await measure('resync, no change (narrow)', 'resync', [narrowHub, exports.narrow], round);
  await measure('resync, 1% churn (narrow)', 'resync', [narrowHub, exports.narrowChurn], round);
  removeDb(narrowHub);
}

/** One round's revert and publishes, on the hub the syncs left. */
async function measurePublish(measure: Measure, f: SizeFiles, round: number): Promise<void> {
  await measure('revert of the churn', 'revert', [f.hub], round);
  fs.rmSync(f.sdsDir, { recursive: true, force: true });
  await measure('publish, SDS files', 'publish-files', [f.hub, f.sdsDir], round);
  await measure('publish again, no change', 'publish-files', [f.hub, f.sdsDir], round);
  removeDb(f.scimHub);
  await measure('publish, SCIM', 'publish-scim', [f.scimHub, f.scimExports!.base], round);
}

/**
 * One round of --only-publish: the resync without changes, then a first publish to an SDS folder (the
 * target made anew) and a publish again with nothing changed. The hub is made by a first sync only
 * when `--dir` holds none (one left by `--keep`).
 */
async function measurePublishOnly(measure: Measure, f: SizeFiles, round: number): Promise<void> {
  if (!fs.existsSync(f.hub)) await measure('initial sync', 'init', [f.hub, f.exports.base], round);
  await measure('resync, no change', 'resync', [f.hub, f.exports.base], round);
  fs.rmSync(f.sdsDir, { recursive: true, force: true });
  await measure('publish, SDS files', 'publish-files', [f.hub, f.sdsDir, 'first'], round);
  await measure('publish again, no change', 'publish-files', [f.hub, f.sdsDir], round);
}

/**
 * The run of median time stands for each round, and the median of those for the measurement (its cpu
 * time, counts and phases); memory: the highest of all runs.
 */
function summarise(n: number, results: Map<MeasurementName, WorkerResult[][]>): Measurement[] {
  return [...results].map(([name, byRound]) => {
    const perRound = byRound.map((rs) => medianRun(rs));
    const r = medianRun(perRound);
    const all = byRound.flat();
    return {
      n,
      name,
      seconds: r.seconds,
      cpuSeconds: r.cpuSeconds,
      runs: perRound.map((x) => x.seconds),
      samples: all.length,
      peakMB: Math.max(...all.map((x) => x.maxRssMB)),
      rows: r.rows,
      counts: r.counts,
      revertCounts: r.revertCounts,
      phases: r.phases.length ? r.phases : undefined,
      published: r.published,
      requests: r.requests,
      serverCpuSeconds: r.serverCpuSeconds,
    };
  });
}

async function benchSize(n: number, args: Args): Promise<SizeReport> {
  const t = performance.now();
  const f = sizeFiles(n, args);
  if (!args.onlyPublish) removeDb(f.hub);
  removeDb(f.floorDb);
  const rounds = args.repeat ?? (n <= 200_000 ? 5 : 1);
  // With few rounds, the parse and load floors run three times in each and their median stands for the
  // round: they are quick next to the syncs, and one lucky floor would otherwise decide a ratio (once a
  // 1M parse floor took 6.6 s where the same work took 9.7 s a minute before).
  const floorRuns = rounds >= 3 ? 1 : 3;
  // Every run of every measurement: per round, the runs of that round.
  const results = new Map<MeasurementName, WorkerResult[][]>();
  const measure = measurer(n, args, rounds, results);
  for (let round = 1; round <= rounds; round++) {
    if (args.onlyPublish) {
      await measurePublishOnly(measure, f, round);
      continue;
    }
    await measureSyncs(measure, f, args, round, floorRuns);
    if (!args.onlySync) await measurePublish(measure, f, round);
  }
  removeDb(f.scimHub);
  if (!args.keep) removeDb(f.hub);
  const out = summarise(n, results);
  judgeRevert(out, results, f.exports);
  judgePublish(out);
  judgeSyncs(out, n, f.exports);
  return { n, exports: f.exports, measurements: out, seconds: (performance.now() - t) / 1000 };
}

/** The syncs against their floors (on the usual and the narrow export), and the counts they should have. */
function judgeSyncs(out: Measurement[], n: number, exports: GeneratedExports): void {
  const c = exports.churnStats;
  const churned = { created: c.added, updated: c.renamed, deleted: c.gone, unchanged: n - c.gone - c.renamed };
  const judged: [MeasurementName, MeasurementName, number, Partial<NonNullable<WorkerResult['counts']>>][] = [
    ['initial sync', 'load floor', TARGETS.initialVsLoad, { created: n, deleted: 0 }],
    ['resync, no change', 'parse floor', TARGETS.noChangeVsParse, { unchanged: n, created: 0, updated: 0, deleted: 0 }],
    ['resync, 1% churn', 'parse floor (churn)', TARGETS.churnVsParse, churned],
    ['initial sync (narrow)', 'load floor (narrow)', TARGETS.initialVsLoad, { created: n, deleted: 0 }],
    ['resync, no change (narrow)', 'parse floor (narrow)', TARGETS.noChangeVsParse, { unchanged: n, created: 0, updated: 0, deleted: 0 }],
    ['resync, 1% churn (narrow)', 'parse floor (narrow churn)', TARGETS.churnVsParse, churned],
  ];
  for (const [name, floorName, target, expected] of judged) {
    const m = out.find((x) => x.name === name);
    const floor = out.find((x) => x.name === floorName);
    if (m === undefined || floor === undefined) continue;
    m.floor = floor.name;
    m.ratio = pairedRatio(m.runs, floor.runs);
    m.ratioTarget = target;
    m.ratioPass = m.ratio <= target;
    m.peakTarget = TARGETS.syncPeakMB;
    m.peakPass = m.peakMB <= TARGETS.syncPeakMB;
    m.expected = expected;
    m.countsOk = countsMatch(m.counts, expected);
  }
}

/**
 * Publishing: a first publish to a file target against a resync without changes of the same hub (each
 * run against its own round's resync); SCIM: the client's CPU time against the service's for the same
 * requests (below 1×, the client is not what limits the rate).
 */
function judgePublish(out: Measurement[]): void {
  const resync = out.find((m) => m.name === 'resync, no change');
  for (const files of out.filter((m) => m.name === 'publish, SDS files' || m.name === 'publish again, no change')) {
    if (resync === undefined) break;
    files.floor = resync.name;
    files.ratio = pairedRatio(files.runs, resync.runs);
    files.ratioTarget = TARGETS.publishFilesVsResync;
    files.ratioPass = files.ratio <= TARGETS.publishFilesVsResync;
    files.peakTarget = TARGETS.peakMB;
    files.peakPass = files.peakMB <= TARGETS.peakMB;
  }
  const scim = out.find((m) => m.name === 'publish, SCIM');
  if (scim && scim.serverCpuSeconds) {
    scim.ratio = scim.cpuSeconds / scim.serverCpuSeconds;
    scim.ratioTarget = TARGETS.scimClientVsServer;
    scim.ratioPass = scim.ratio <= TARGETS.scimClientVsServer;
  }
}

// ---- output ----------------------------------------------------------------------------------------
function verdict(pass: boolean | undefined): string {
  return pass === undefined ? '' : pass ? 'PASS' : 'FAIL';
}

function countsText(m: Measurement): string {
  if (m.revertCounts !== undefined) {
    const c = m.revertCounts;
    const parts = ['revived', 'updated', 'deleted', 'kept'].filter((k) => (c[k] ?? 0) > 0).map((k) => `${k} ${c[k].toLocaleString('en')}`);
    return `${parts.join(', ') || 'nothing'}${m.countsOk === false ? ' (UNEXPECTED)' : ''}`;
  }
  if (m.published !== undefined) {
    const rate = m.requests
      ? `; ${m.requests.toLocaleString('en')} requests, ${Math.round(m.requests / m.seconds).toLocaleString('en')}/s, service cpu ${m.serverCpuSeconds?.toFixed(2)} s`
      : '';
    const p = m.published;
    const sent = p.created + p.updated + p.deactivated + p.reactivated + p.deleted;
    return `sent ${sent.toLocaleString('en')} accounts, ${p.unchanged.toLocaleString('en')} unchanged${rate}`;
  }
  if (m.counts === undefined) return m.rows === undefined ? '' : `${m.rows.toLocaleString('en')} rows`;
  const c = m.counts;
  const parts = (['created', 'updated', 'deleted', 'unchanged'] as const).filter((k) => c[k] > 0).map((k) => `${k} ${c[k].toLocaleString('en')}`);
  return `${parts.join(', ') || 'nothing'}${m.countsOk === false ? ' (UNEXPECTED)' : ''}`;
}

function phasesText(m: Measurement): string {
  return (m.phases ?? [])
    .filter((p) => p.name !== 'setup' || p.seconds >= 0.05)
    .map((p) => `${p.name} ${p.seconds.toFixed(1)}s/${p.rssMB}MB`)
    .join(', ');
}

function ratioBase(m: Measurement): string {
  if (m.name === 'publish, SCIM') return 'service cpu';
  return m.floor?.startsWith('load floor') ? 'load' : m.floor === 'resync, no change' ? 'resync' : m.floor === 'resync, 1% churn' ? 'apply' : 'parse';
}

/** The machine's load averages (1, 5, 15 minutes) as the tables print them. */
const loadAverageNow = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const load0 = loadAverageNow();

function render(m0: Machine, reports: SizeReport[], totalSeconds: number, workerFlags: string[]): string {
  const lines: string[] = [];
  lines.push(`Machine: ${m0.cpu}, ${m0.cores} cores, ${m0.memoryGB} GB RAM; Node ${m0.node}; SQLite ${m0.sqlite}; ${m0.platform}`);
  lines.push(`Load average: ${load0} at the start, ${loadAverageNow()} at the end (other work on the machine inflates wall times)`);
  if (workerFlags.length > 0) lines.push(`basishub's measurements ran with: node ${workerFlags.join(' ')}`);
  lines.push(
    `Targets: initial sync ≤ ${TARGETS.initialVsLoad}× load floor; resync without changes ≤ ${TARGETS.noChangeVsParse}× and with 1% churn ≤ ${TARGETS.churnVsParse}× parse floor; syncs at most ${TARGETS.syncPeakMB} MB; ` +
      `the revert of the churn ≤ ${TARGETS.revertVsApply}× the time the churn resync spent applying it ("apply"); other peaks ≤ ${TARGETS.peakMB} MB. The narrow export: 8 columns, comma, no BOM, LF`,
  );
  const published = reports.some((r) => r.measurements.some((m) => m.published !== undefined));
  if (published) {
    lines.push(
      `Publishing: a first publish to an SDS folder ≤ ${TARGETS.publishFilesVsResync}× a resync without changes of the same hub; SCIM (the first ${SCIM_PEOPLE.toLocaleString('en')} people at most, 8 requests in flight, to a scimmy service on 127.0.0.1 in its own process): the client's cpu ≤ ${TARGETS.scimClientVsServer}× the service's`,
    );
  }
  lines.push(
    "Ratios: each run against its own round's floor (with fewer than 3 rounds, the median of 3 floor runs), the median over the rounds; seconds: the run of median time.",
  );
  const table = new Table({
    head: ['N', 'measurement', 'seconds', 'cpu s', '× floor', 'time', 'peak RSS MB', 'memory', 'result'],
    style: { head: [], border: [] },
    colAligns: ['right', 'left', 'right', 'right', 'right', 'left', 'right', 'left', 'left'],
  });
  for (const r of reports) {
    for (const m of r.measurements) {
      table.push([
        r.n.toLocaleString('en'),
        m.name,
        m.samples > 1 ? `${m.seconds.toFixed(2)} (median of ${m.samples})` : m.seconds.toFixed(2),
        m.cpuSeconds.toFixed(2),
        m.ratio === undefined ? '' : `${m.ratio.toFixed(2)}× ${ratioBase(m)} (≤ ${m.ratioTarget})`,
        verdict(m.ratioPass),
        String(m.peakMB),
        m.peakPass === undefined ? '' : `${verdict(m.peakPass)} (≤ ${m.peakTarget})`,
        countsText(m),
      ]);
    }
  }
  lines.push(table.toString());
  const withPhases = reports.flatMap((r) => r.measurements.filter((m) => m.phases).map((m) => ({ n: r.n, m })));
  if (withPhases.length > 0) {
    lines.push('Phases (seconds / RSS at the end of the phase):');
    for (const { n, m } of withPhases) lines.push(`  ${n.toLocaleString('en').padStart(9)} ${m.name.padEnd(18)} ${phasesText(m)}`);
  }
  for (const r of reports) {
    const get = (name: MeasurementName) => r.measurements.find((m) => m.name === name);
    const [load, write, init] = [get('load floor'), get('write floor (info)'), get('initial sync')];
    if (load && write && init) {
      lines.push(
        `N=${r.n.toLocaleString('en')}: the write floor (parsing the export, then the first sync's rows inserted again, indexes built after) is ${pairedRatio(write.runs, load.runs).toFixed(2)}× the load floor; ` +
          `the initial sync is ${pairedRatio(init.runs, write.runs).toFixed(2)}× the write floor (cpu ${(init.cpuSeconds / write.cpuSeconds).toFixed(2)}×)`,
      );
    }
  }
  for (const r of reports) {
    const e = r.exports;
    lines.push(
      `N=${r.n.toLocaleString('en')}: export ${e.baseStats.rows.toLocaleString('en')} rows (${e.baseStats.twoRowPeople.toLocaleString('en')} people on two rows), ` +
        `${(e.baseStats.bytes / 1024 / 1024).toFixed(1)} MB, ${e.schools} schools; churn: ${e.churnStats.gone} gone, ${e.churnStats.renamed} renamed, ${e.churnStats.added} new; ` +
        `${r.seconds.toFixed(0)} s for this size`,
    );
  }
  const all = reports.flatMap((r) => r.measurements).filter((m) => m.ratioPass !== undefined);
  const failed = all.filter((m) => !m.ratioPass || !m.peakPass || m.countsOk === false);
  lines.push(
    `Total ${totalSeconds.toFixed(0)} s. ${failed.length === 0 ? 'All targets PASS.' : `${failed.length} of ${all.length} measurements miss a target.`}`,
  );
  return lines.join('\n') + '\n';
}

/** The interactive measurements' table: medians, spread, and ratios to `node -e 0` in the same rounds. */
function renderInteractive(r: ReturnType<typeof measureInteractive>): string {
  const floor = median(r.floor);
  const lines = [
    `Interactive: whole processes, ${r.floor.length} rounds; each round also runs \`node -e 0\` (median ${floor.toFixed(0)} ms, ${Math.min(...r.floor).toFixed(0)}–${Math.max(...r.floor).toFixed(0)}).`,
  ];
  const bare = r.floorWithoutExtraCa;
  if (bare !== undefined)
    lines.push(
      `NODE_EXTRA_CA_CERTS is set: Node reads that file at every start. Each round also ran everything without it (\`node -e 0\` median ${median(bare).toFixed(0)} ms): the last two columns.`,
    );
  const head = ['hub', 'command', 'median ms', 'spread ms', '× node -e 0', 'target', 'result'];
  const table = new Table({
    head: bare === undefined ? head : [...head, 'without it, ms', 'result'],
    style: { head: [], border: [] },
    colAligns: ['right', 'left', 'right', 'right', 'right', 'left', 'left', 'right', 'left'],
  });
  for (const m of r.measurements) {
    const row = [m.hub, m.name, m.medianMs.toFixed(0), `${m.minMs.toFixed(0)}–${m.maxMs.toFixed(0)}`, `${m.ratio.toFixed(2)}×`, m.target, verdict(m.pass)];
    table.push(bare === undefined ? row : [...row, m.withoutExtraCaMs!.toFixed(0), verdict(m.passWithoutExtraCa)]);
  }
  lines.push(table.toString());
  lines.push('The `exceptions add` picker, one keystroke each (in its process, the hub open; 5 times each):');
  for (const p of r.picker)
    lines.push(`  "${p.term}": median ${p.medianMs.toFixed(0)} ms (${p.minMs.toFixed(0)}–${p.maxMs.toFixed(0)}), target ${p.target}: ${verdict(p.pass)}`);
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const m = machine();
  const dir = path.resolve(args.dir);
  if (args.interactiveOnly !== undefined) {
    progress(`${m.cpu}, ${m.cores} cores; Node ${m.node}; interactive only, at ${args.interactiveOnly.toLocaleString('en')}`);
    const r = measureInteractive(dir, exportsFor(args.interactiveOnly, dir), args.rounds, progress);
    progress('done');
    const loadAverage = { start: load0, end: loadAverageNow() };
    if (args.json) process.stdout.write(JSON.stringify({ machine: m, loadAverage, targets: INTERACTIVE_TARGETS, interactive: r }, null, 2) + '\n');
    else process.stdout.write(`Load average: ${loadAverage.start} at the start, ${loadAverage.end} at the end\n` + renderInteractive(r));
    return;
  }
  progress(`${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB; Node ${m.node}; sizes ${args.sizes.map((s) => s.toLocaleString('en')).join(', ')}`);
  const reports: SizeReport[] = [];
  for (const n of args.sizes) reports.push(await benchSize(n, args));
  // The interactive measurements on a hub of the largest size.
  const largest = Math.max(...args.sizes);
  const noInteractive = args.onlySync || args.onlyPublish;
  if (!noInteractive) progress(`interactive measurements at ${largest.toLocaleString('en')}`);
  const interactive = noInteractive ? undefined : measureInteractive(dir, exportsFor(largest, dir), args.rounds, progress);
  const total = (performance.now() - started) / 1000;
  progress('done');
  if (args.json) {
    const loadAverage = { start: load0, end: loadAverageNow() };
    process.stdout.write(
      JSON.stringify(
        {
          machine: m,
          loadAverage,
          workerFlags: args.workerFlags,
          targets: { ...TARGETS, interactive: INTERACTIVE_TARGETS },
          totalSeconds: total,
          sizes: reports,
          interactive,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    process.stdout.write(render(m, reports, total, args.workerFlags) + (interactive === undefined ? '' : renderInteractive(interactive)));
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
