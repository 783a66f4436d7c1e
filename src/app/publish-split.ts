/**
 * A large file target's publish in two threads at once. The accounts' id span is cut in slices
 * (src/app/publish-slices.ts): this thread plans and writes slices from the first on, straight into the
 * target's files; a second thread (src/app/publish-worker.ts) takes them from the last back and writes
 * each to a part set of its own (in memory, past PART_MEMORY in part files), appended once the two
 * have met. The plan is merged into the one a single pass makes (src/targets/plan.ts, PlanMerger): the
 * same files, counts, plan id and acknowledged snapshot.
 *
 * Both threads read the hub as one snapshot: the second thread's read transaction begins while a third
 * connection holds the hub's write lock (holdWrites in src/store/db.ts), and this thread lets go of it
 * once the second one says it has begun, or after a second without it (the second thread then does
 * nothing, and this thread every slice). Where that lock is not had within a second (a sync is
 * writing), the publish reads in one pass; where the second thread fails, this thread makes its slices
 * itself, in the same snapshot.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { beginRead, endRead, holdWrites } from '../store/db.js';
import type { TargetStore } from '../store/targets.js';
import type { OutputSet } from '../targets/output.js';
import { PlanMerger, type PublishPlan } from '../targets/plan.js';
import { SharedIds } from '../targets/shared-ids.js';
import type { AccountWriter, TargetConfig } from '../targets/types.js';
import type { AppContext } from './context.js';
import { planPart, removeSlices, revivedPlan, type PartInput, type PartOutput, type SlicePart } from './publish-part.js';
import { SliceClaims } from './publish-slices.js';

/**
 * Accounts (as the span of their ids) from which a publish is written in two threads: below it, starting
 * the second thread (some 100 ms: its own heap, modules and connection) takes most of what it saves.
 */
export const SPLIT_MIN = 100_000;

/**
 * Slices of the id span: the threads end within a slice of each other (at a million accounts some 7,800
 * accounts, 30–70 ms of work; with 64 the worker still ended up to 170 ms later), and each slice costs a
 * plan, two statements and a part file per table.
 */
const SLICES = 128;

/**
 * Bytes of rows the second thread keeps in memory before it writes part files: at a million accounts its
 * rows (some 85 MB) are moved to this thread and written once, where part files were written, read back
 * and written again (110–150 ms after both threads were done); beyond, a larger hub's peak stays bounded.
 */
const PART_MEMORY = 96 * 1024 * 1024;

/** The longest the hub's writers are held back for the second thread to take its snapshot. */
const HOLD_MAX_MS = 1000;

/** The second thread's script: bundled into one (scripts/bundle.mjs), which starts sooner, or as built by tsc alone. */
const BUNDLED_WORKER = new URL('../bundle/publish-worker.cjs', import.meta.url);
const WORKER = fs.existsSync(fileURLToPath(BUNDLED_WORKER)) ? BUNDLED_WORKER : new URL('./publish-worker.js', import.meta.url);

interface SecondThread {
  /** Resolves once the thread says it reads the publish's snapshot (or it failed before). */
  ready: Promise<void>;
  /** Its slices, or null when it made none that count (it failed, or was shut out). */
  done: Promise<PartOutput | null>;
  stop(): void;
}

function startSecond(script: URL, input: PartInput): SecondThread {
  let ready = (): void => {};
  const started = new Promise<void>((resolve) => (ready = resolve));
  let worker: Worker | undefined;
  const done = new Promise<PartOutput | null>((resolve) => {
    try {
      worker = new Worker(script, { workerData: input });
    } catch {
      resolve(null);
      return;
    }
    // The heap is not tuned again once the thread runs (src/heap.ts): both young generations then grow,
    // which at a million accounts measured 0.8–1 s less collecting over the two threads, for some 30 MB.
    worker.on('message', (m: { ready?: true; done?: PartOutput }) => (m.ready ? ready() : resolve(m.done ?? null)));
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null));
  });
  void done.then(ready);
  return { ready: started, done, stop: () => void worker?.terminate() };
}

/** Whether the second thread's slices are exactly those from `first` on, in order. */
function covers(out: PartOutput, first: number, count: number): boolean {
  return out.slices.length === count - first && out.slices.every((s, i) => s.slice === first + i);
}

/** Appends the second thread's slices to this thread's files, in order; none of their files is left behind if that fails. */
function appendSlices(out: OutputSet, slices: readonly SlicePart[]): void {
  try {
    for (const s of slices) for (const [name, part] of Object.entries(s.tables)) out.append(name, part);
  } catch (err) {
    removeSlices(slices);
    throw err;
  }
}

/** How planInParts goes about it (tests set them). */
export interface SplitOptions {
  /** Accounts from which the work is split (SPLIT_MIN). */
  min?: number;
  /** The second thread's script (publish-worker.js beside this module). */
  worker?: URL;
  /** This thread begins once the second one has its snapshot and first slice (tests: both then take part). */
  together?: boolean;
  /** Bytes of rows the second thread keeps in memory (PART_MEMORY; 0: all in part files). */
  partMemory?: number;
}

/** A plan made in parts; `threaded`: the second thread made some of them (else this one made all). */
export interface PartsPlan {
  plan: PublishPlan;
  threaded: boolean;
}

/**
 * Plans a file target and writes its accounts with `writer` into `out` (then `finish()`), in two
 * threads when the hub is large enough; null when it was not done so (the caller plans in one pass).
 */
export async function planInParts(
  ctx: AppContext,
  ts: TargetStore,
  t: TargetConfig,
  files: { out: OutputSet; writer: AccountWriter },
  keep: number,
  opts: SplitOptions = {},
): Promise<PartsPlan | null> {
  const script = opts.worker ?? WORKER;
  const span = ts.idSpan();
  if (span === null || span.last - span.first + 1 < (opts.min ?? SPLIT_MIN) || !fs.existsSync(fileURLToPath(script))) return null;
  // Nobody commits until both read transactions have their snapshot; a sync holding the hub is not waited for.
  let release = holdWrites(ctx.dbPath, 1000);
  if (release === null) return null;
  const today = ctx.clock.today();
  const claims = SliceClaims.over(span, SLICES);
  const db = ctx.store.db;
  const since = performance.now();
  let syncing: Promise<void> | null = null;
  /** Lets the writers go once the second thread has its snapshot, or (`giveUp`) without it: it then does nothing. */
  const letGo = (giveUp: boolean): void => {
    if (release === null || !(claims.isReady() || giveUp || performance.now() - since > HOLD_MAX_MS)) return;
    claims.shutOut();
    release();
    release = null;
  };
  try {
    beginRead(db);
    const classes = SharedIds.forAbout(span.last - span.first + 1);
    files.writer.share(classes);
    const second = startSecond(script, {
      db: ctx.dbPath,
      target: t,
      today,
      keep,
      claims: claims.shape,
      classes: classes.buffer,
      memory: opts.partMemory ?? PART_MEMORY,
    });
    if (opts.together) await second.ready;
    const acked = ts.ackedIn(t.name);
    const merged = new PlanMerger(t.name, keep, span.last - span.first + 1);
    // Each slice lists what the plan still lists (the first `keep` actions in all), and says how many it has.
    const mine = (i: number): void => {
      merged.add(planPart(ts, t, today, claims.range(i), keep - merged.actions.length, files.writer, acked));
      claims.listedInFront(merged.actions.length);
    };
    for (let i; (i = claims.front()) >= 0; letGo(false)) mine(i);
    letGo(true);
    // While the second thread finishes: this thread's rows go to disk, its schools and classes are sorted.
    syncing = files.out.syncSoFar();
    files.writer.sort();
    const first = claims.firstFromBack();
    let theirs = claims.isReady() ? await second.done : null;
    if (theirs === null) second.stop();
    else if (!covers(theirs, first, claims.count)) {
      removeSlices(theirs.slices);
      theirs = null;
    }
    if (theirs === null) {
      files.out.removeParts();
      files.writer.share(null);
      for (let i = first; i < claims.count; i++) mine(i);
    } else {
      appendSlices(files.out, theirs.slices);
      files.writer.absorb(theirs.catalog);
      for (const s of theirs.slices) merged.add(revivedPlan(s.plan));
    }
    files.writer.finish();
    return { plan: merged.plan(), threaded: theirs !== null && theirs.slices.length > 0 };
  } finally {
    (release as (() => void) | null)?.();
    endRead(db);
    await syncing;
  }
}
