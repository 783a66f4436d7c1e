/**
 * One benchmark measurement, in its own process so that its peak memory is its own:
 *
 *   node dist/bench/worker.js parse  <export>
 *   node dist/bench/worker.js load   <export> <db>
 *   node dist/bench/worker.js write  <export> <db> <hub>  the export parsed, then the rows of <hub>'s first sync
 *                                                      inserted again into a new hub <db> (reading them not timed)
 *   node dist/bench/worker.js init   <db> <export> [narrow]  fresh hub, `sources add hr …`, first sync
 *                                                      (`narrow`: the narrow export, canonical headers, no --map)
 *   node dist/bench/worker.js resync <db> <export>     sync again, with <export> as the hr export
 *   node dist/bench/worker.js revert <db>              revert the hub's last run (sync revert --yes)
 *   node dist/bench/worker.js publish-files <db> <dir> [first]  a publish of the hub to an SDS v2.1 folder (`first`:
 *                                                      the target made anew, so that it is a first publish)
 *   node dist/bench/worker.js publish-scim <db> <export> a fresh hub, then its first publish to a SCIM
 *                                                      service in another process (8 requests in flight)
 *
 * Prints one JSON document on stdout (WorkerResult); phase changes go to stderr. The wall time is
 * measured around the work only (not the process start or module loading). Run it under
 * `node --cpu-prof` to profile one measurement.
 */
import { performance } from 'node:perf_hooks';
import { loadFloor, parseFloor, writeFloor } from './floors.js';
import { HR_MAP } from './generate.js';
import { systemClock, openStore, type AppContext, type Notifier } from '../app/context.js';
import { addSource } from '../app/sources.js';
import { runSync } from '../app/sync.js';
import { revertRun } from '../app/revert.js';
import { tuneHeap } from '../heap.js';
import { createDatabase } from '../store/db.js';
import { PlanWriter } from '../store/apply.js';
import type { Counts } from '../engine/types.js';
import type { PublishCounts } from '../targets/types.js';
import { publishFiles, publishScim, type PublishMeasurement } from './publish.js';

export type Task = 'parse' | 'load' | 'write' | 'init' | 'resync' | 'revert' | 'publish-files' | 'publish-scim';

export interface Phase {
  name: string;
  seconds: number;
  /** CPU time of the phase (user + system, all threads): what a loaded machine disturbs least. */
  cpuSeconds: number;
  /** RSS when the phase ended. */
  rssMB: number;
}

export interface WorkerResult {
  task: Task;
  seconds: number;
  /** CPU time (user + system, all threads) of the work: less sensitive than wall time to other load. */
  cpuSeconds: number;
  /** process.resourceUsage().maxRSS, in MB. */
  maxRssMB: number;
  rows?: number;
  counts?: Counts;
  /** For a revert: its counts (revived, updated, deleted, kept, …). */
  revertCounts?: Record<string, number>;
  /** Publish measurements: what was sent, SCIM requests, and the SCIM service's CPU time. */
  published?: PublishCounts;
  requests?: number;
  serverCpuSeconds?: number;
  phases: Phase[];
}

const MB = 1024 * 1024;

/** Times the phases of a sync from what it reports (reading, planning) and from the plan writer. */
class PhaseClock {
  readonly phases: Phase[] = [];
  private name = 'setup';
  private since = performance.now();
  private cpuSince = process.cpuUsage();

  constructor(
    private readonly t0: number,
    private readonly label: string,
  ) {}

  enter(name: string): void {
    if (name === this.name) return;
    const now = performance.now();
    const cpu = process.cpuUsage(this.cpuSince);
    this.phases.push({
      name: this.name,
      seconds: (now - this.since) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      rssMB: Math.round(process.memoryUsage.rss() / MB),
    });
    this.name = name;
    this.since = now;
    this.cpuSince = process.cpuUsage();
    process.stderr.write(`      ${this.label}: ${name} (at ${((now - this.t0) / 1000).toFixed(1)} s, rss ${Math.round(process.memoryUsage.rss() / MB)} MB)\n`);
  }

  notifier(): Notifier {
    return {
      warn: (m) => process.stderr.write(`      warning: ${m}\n`),
      info: () => {},
      progress: (phase) => this.enter(phase.startsWith('reading') ? 'reading' : phase === 'planning' || phase === 'indexing' ? phase : 'applying'),
      progressDone: () => this.enter('closing'),
    };
  }

  end(): Phase[] {
    this.enter('done');
    return this.phases;
  }
}

/** The first write of a plan ends the planning phase (sync.ts reports "applying" only every 10 000). */
function watchWriter(clock: PhaseClock): void {
  const proto = PlanWriter.prototype as unknown as Record<'apply' | 'audit', (...args: unknown[]) => unknown>;
  for (const m of ['apply', 'audit'] as const) {
    const original = proto[m];
    proto[m] = function (this: unknown, ...args: unknown[]) {
      clock.enter('applying');
      return original.apply(this, args);
    };
  }
}

function context(dbPath: string, notify: Notifier): AppContext {
  return { store: openStore(dbPath), dbPath, actor: 'bench', clock: systemClock(), yes: true, notify };
}

/** What a task measured besides its time. */
interface TaskOutcome {
  rows?: number;
  counts?: Counts;
  revertCounts?: Record<string, number>;
  pub?: PublishMeasurement;
  /** A floor that times only some of its work (the write floor: not its reading of the synced hub). */
  floor?: { rows: number; seconds: number; cpuSeconds: number };
}

/** A first sync into a new hub (`init`) or a sync of another export into it (`resync`). */
async function syncTask(task: 'init' | 'resync', hub: string, file: string, variant: string | undefined, clock: PhaseClock): Promise<TaskOutcome> {
  tuneHeap(); // as the CLI does (src/cli/main.ts)
  watchWriter(clock);
  if (task === 'init') createDatabase(hub);
  const ctx = context(hub, clock.notifier());
  if (task === 'init') addSource(ctx, 'hr', variant === 'narrow' ? { file, kind: 'hr' } : { file, kind: 'hr', map: HR_MAP });
  const result = await runSync(ctx, task === 'init' ? undefined : { overrides: { hr: file } });
  clock.enter('closing');
  ctx.store.db.close();
  return { counts: result.counts, rows: result.files[0]?.rows };
}

async function revertTask(hub: string, clock: PhaseClock): Promise<TaskOutcome> {
  tuneHeap();
  const ctx = context(hub, clock.notifier());
  const last = ctx.store.runs(1)[0];
  if (last === undefined) throw new Error('the hub has no run to revert');
  const revertCounts = (await revertRun(ctx, String(last.id), {})).counts;
  clock.enter('closing');
  ctx.store.db.close();
  return { revertCounts };
}

async function runTask(task: Task, a: string, b: string | undefined, variant: string | undefined, clock: PhaseClock): Promise<TaskOutcome> {
  switch (task) {
    case 'publish-files':
      tuneHeap();
      return { pub: await publishFiles(a, b!, variant === 'first') };
    case 'publish-scim':
      return { pub: await publishScim(a, b!, 8) };
    case 'parse':
      return { rows: (await parseFloor(a)).rows };
    case 'load':
      return { rows: (await loadFloor(a, b!)).rows };
    case 'write':
      return { floor: await writeFloor(a, b!, variant!) };
    case 'init':
    case 'resync':
      return syncTask(task, a, b!, variant, clock);
    case 'revert':
      return revertTask(a, clock);
    default:
      throw new Error(`unknown task "${String(task)}"`);
  }
}

async function main(argv: string[]): Promise<WorkerResult> {
  const [task, a, b, variant] = argv as [Task, string, string | undefined, string | undefined];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const clock = new PhaseClock(t0, task);
  const { rows, counts, revertCounts, pub, floor } = await runTask(task, a, b, variant, clock);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const phases = clock.end();
  return {
    task,
    // A publish is timed around the publish alone (not the SCIM hub's own first sync).
    seconds: pub?.seconds ?? floor?.seconds ?? seconds,
    cpuSeconds: pub?.cpuSeconds ?? floor?.cpuSeconds ?? (cpu.user + cpu.system) / 1e6,
    published: pub?.counts,
    requests: pub?.requests,
    serverCpuSeconds: pub?.serverCpuSeconds,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    rows: rows ?? floor?.rows,
    counts,
    revertCounts,
    phases: task === 'init' || task === 'resync' || task === 'revert' ? phases : [],
  };
}

main(process.argv.slice(2)).then(
  (r) => {
    process.stdout.write(JSON.stringify(r) + '\n');
  },
  (e: unknown) => {
    process.stderr.write(`worker failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    if (typeof e === 'object' && e !== null && 'details' in e) process.stderr.write(`details: ${JSON.stringify(e.details)}\n`);
    process.exitCode = 1;
  },
);
