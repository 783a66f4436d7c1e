/**
 * A large file target's publish in two parts at once: this thread plans and writes the first half of
 * the accounts (by id) straight into the target's files, while a second thread (src/app/publish-worker.ts)
 * plans and writes the second half to files of its own, which are then appended. The plan is merged
 * into the one a single pass makes (src/targets/plan.ts, mergePlans): the same files, counts, plan id
 * and acknowledged snapshot. Both threads read the hub as one snapshot: their read transactions begin
 * while a third connection holds the hub's write lock, for the 100 ms or so the second thread takes to
 * start (holdWrites in src/store/db.ts). Where that lock is not had within a second (a sync is
 * writing), the publish reads in one pass; where the second thread does not start or fails, this
 * thread reads the rest itself, in the same snapshot.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { beginRead, endRead, holdWrites } from '../store/db.js';
import type { IdRange, TargetStore } from '../store/targets.js';
import type { OutputSet, TablePart } from '../targets/output.js';
import { mergePlans, type PublishPlan } from '../targets/plan.js';
import type { AccountWriter, TargetConfig } from '../targets/types.js';
import type { AppContext } from './context.js';
import { planPart, revivedPlan, type PartInput, type PartOutput } from './publish-part.js';

/**
 * Accounts (as the span of their ids) from which a publish is written in two parts: below it, starting
 * the second thread (some 100 ms: its own heap, modules and connection) takes most of what it saves.
 */
export const SPLIT_MIN = 100_000;

const WORKER = new URL('./publish-worker.js', import.meta.url);

/**
 * Runs a part in a second thread. `ready` resolves once the thread's read transaction has its snapshot
 * (or it failed before); `done` to the part, or to null when it could not be made there (the caller
 * makes it itself).
 */
function partInThread(script: URL, input: PartInput): { ready: Promise<void>; done: Promise<PartOutput | null> } {
  let ready = (): void => {};
  const started = new Promise<void>((resolve) => (ready = resolve));
  const done = new Promise<PartOutput | null>((resolve) => {
    let worker: Worker;
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
  return { ready: started, done };
}

/** Appends the second thread's part files to this thread's; none is left behind if that fails. */
function appendParts(out: OutputSet, tables: Record<string, TablePart>): void {
  try {
    for (const [name, part] of Object.entries(tables)) out.append(name, part);
  } catch (err) {
    for (const part of Object.values(tables)) if ('file' in part) fs.rmSync(part.file, { force: true });
    throw err;
  }
}

/** How planInParts goes about it (tests set them). */
export interface SplitOptions {
  /** Accounts from which the work is split (SPLIT_MIN). */
  splitMin?: number;
  /** The second thread's script (publish-worker.js beside this module). */
  worker?: URL;
}

/** A plan made in two parts; `threaded`: the second part was made by the second thread (else by this one, after the first). */
export interface PartsPlan {
  plan: PublishPlan;
  threaded: boolean;
}

/**
 * Plans a file target and writes its accounts with `writer` into `out` (then `finish()`), in two parts
 * when the hub is large enough; null when it was not done so (the caller plans in one pass).
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
  if (span === null || span.last - span.first + 1 < (opts.splitMin ?? SPLIT_MIN) || !fs.existsSync(fileURLToPath(script))) return null;
  // Nobody commits until both read transactions have their snapshot; a sync holding the hub is not waited for.
  let release = holdWrites(ctx.dbPath, 1000);
  if (release === null) return null;
  const today = ctx.clock.today();
  // A little over half to this thread: the second one also hands its part over at the end (its plan
  // made portable, its files closed, the message), and this thread then waited for it 100–370 ms.
  const mid = span.first + Math.floor((span.last - span.first) * 0.51);
  const later: IdRange = { after: mid, last: Number.MAX_SAFE_INTEGER };
  const db = ctx.store.db;
  try {
    beginRead(db);
    const second = partInThread(script, { db: ctx.dbPath, target: t, today, range: later, keep });
    await second.ready;
    release();
    release = null;
    const first = planPart(ts, t, today, { after: Number.MIN_SAFE_INTEGER, last: mid }, keep, files.writer);
    const done = await second.done;
    let rest: PublishPlan;
    if (done === null) rest = planPart(ts, t, today, later, keep, files.writer);
    else {
      appendParts(files.out, done.tables);
      files.writer.absorb(done.catalog);
      rest = revivedPlan(done.plan);
    }
    files.writer.finish();
    return { plan: mergePlans(t.name, [first, rest], keep), threaded: done !== null };
  } finally {
    release?.();
    endRead(db);
  }
}
