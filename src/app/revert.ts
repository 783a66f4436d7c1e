/**
 * `sync revert <run-id>` (rule R18): undo what one sync run changed. The plan is shown
 * first and confirmed (on a terminal) or allowed with --yes; then, under the sync lock and in one
 * transaction, it is planned again (it must still be the plan that was shown) and written as a run of
 * its own: in the history as a revert of that run, audited per account, and revertible in its turn.
 */
import { t } from '../i18n/index.js';
import { BasishubError, usageError } from '../errors.js';
import { AccountCounts, SearchRowWriter, sameSearchable, type AppliedChange } from '../store/apply.js';
import { acquireSyncLock } from '../store/lock.js';
import type { RunRecord } from '../store/store.js';
import { Snapshots, type LaterChange } from '../store/undo.js';
import type { AppContext } from './context.js';
import { confirmOrRefuse } from './confirm.js';
import { planRevert, type RevertItem, type RevertPlan } from './revert-plan.js';
import { revertDiff, type AccountSnapshot } from '../engine/undo.js';
import { runChanges } from './trail.js';

export interface RevertOptions {
  dryRun?: boolean;
  force?: boolean;
}

export interface RevertResult {
  /** The revert's own run; null for a dry run and when there was nothing to revert. */
  runId: number | null;
  revertOf: number;
  dryRun: boolean;
  forced: boolean;
  /** Recorded before basishub kept what a revert needs: only part of the run can be undone. */
  partial: boolean;
  counts: Record<string, number>;
  /** What is (or would be) put back, and what is left alone (action `keep`). */
  changes: AppliedChange[];
  /** The accounts left alone, with what changed them since the run. */
  kept: { userId: number; detail: string; changedBy: LaterChange[] }[];
}

function findRun(ctx: AppContext, ref: string): RunRecord {
  const n = Number(ref.replace(/^#/, ''));
  const run = Number.isInteger(n) && n > 0 ? ctx.store.run(n) : undefined;
  if (run === undefined) throw new BasishubError('NOT_FOUND', t.noRun({ id: String(ref) }), { hint: t.noRunHint() });
  if (run.status === 'stopped') {
    throw usageError(t.revertStopped({ runId: run.id }), t.revertStoppedHint({ runId: run.id }));
  }
  if (run.finishedAt === null) throw usageError(t.revertUnfinished({ runId: run.id }));
  return run;
}

function toChange(i: RevertItem): AppliedChange {
  return { action: i.action, userId: i.accountId, source: i.source, externalId: i.externalId, detail: i.detail };
}

function result(plan: RevertPlan, runId: number | null, dryRun: boolean): RevertResult {
  const shown = plan.items.filter((i) => i.outcome !== 'already');
  return {
    runId,
    revertOf: plan.run.id,
    dryRun,
    forced: plan.forced,
    partial: plan.partial,
    counts: plan.counts,
    changes: shown.map(toChange),
    kept: shown.filter((i) => i.outcome !== 'revert').map((i) => ({ userId: i.accountId, detail: i.detail, changedBy: i.changedBy })),
  };
}

/**
 * Reverts run `ref`. `show` receives the plan before the question is asked on a terminal (the CLI
 * renders it there); with --yes or without a terminal nothing is asked.
 */
export async function revertRun(ctx: AppContext, ref: string, opts: RevertOptions, show?: (plan: RevertResult) => void): Promise<RevertResult> {
  const { store, clock } = ctx;
  const run = findRun(ctx, ref);
  const dryRun = opts.dryRun ?? false;
  const force = opts.force ?? false;
  if (!dryRun && !ctx.yes && ctx.prompt === undefined) {
    throw usageError(t.revertNeedsYes({ runId: run.id }), t.revertNeedsYesHint({ runId: run.id }));
  }
  const planOpts = { force, now: clock.now(), actor: ctx.actor };
  ctx.notify.progress(t.phasePlanning());
  // With --yes nothing is shown first: the plan is made once, under the lock.
  let shown: RevertPlan | undefined;
  if (dryRun || !ctx.yes) {
    shown = store.db.transaction(() => planRevert(store, run, planOpts))();
    ctx.notify.progressDone();
    if (dryRun || reverting(shown) === 0) return result(shown, null, dryRun);
    show?.(result(shown, null, true));
    await confirmOrRefuse(ctx, t.revertQuestion({ runId: run.id, n: reverting(shown) }), {
      flag: '--yes',
      refusal: t.revertRefusal({ runId: run.id }),
    });
  }
  const release = acquireSyncLock(store, ctx.actor, planOpts.now);
  try {
    const { plan, runId } = store.transaction(() => {
      const plan = planRevert(store, run, planOpts);
      if (shown !== undefined && plan.signature !== shown.signature) {
        throw usageError(t.revertHubChanged(), t.revertHubChangedHint({ runId: run.id }));
      }
      return { plan, runId: reverting(plan) === 0 ? null : writeRevert(ctx, plan) };
    });
    ctx.notify.progressDone();
    const done = result(plan, runId, false);
    return runId === null ? done : { ...done, changes: [...runChanges(store, runId)] };
  } finally {
    release();
  }
}

function reverting(plan: RevertPlan): number {
  return plan.counts.revived + plan.counts.deleted + plan.counts.updated;
}

/** Writes the plan as a run of its own, in the caller's transaction; returns its id. */
function writeRevert(ctx: AppContext, plan: RevertPlan): number {
  const { store, clock } = ctx;
  const now = clock.now();
  const runId = store.insertRun({
    startedAt: now,
    finishedAt: null,
    actor: ctx.actor,
    dryRun: false,
    status: 'completed',
    planId: null,
    forced: plan.forced,
    approved: null,
    stopReason: null,
    counts: plan.counts,
    files: [],
  });
  store.markRevert(runId, plan.run.id);
  const auditAfter = store.revision();
  const writer = new RevertWriter(ctx, runId);
  ctx.notify.progress(t.phaseReverting(), 0);
  let done = 0;
  for (const i of plan.items) {
    if (i.outcome === 'already') continue;
    const base = {
      at: now,
      actor: ctx.actor,
      accountId: i.accountId,
      runId,
      source: i.source,
      externalId: i.externalId,
      reason: `revert of sync run ${plan.run.id}`,
    };
    if (i.outcome !== 'revert') {
      store.audit({ ...base, action: 'keep', detail: i.detail });
      continue;
    }
    writer.restore(i.accountId, i.current!, i.target!, now);
    store.audit({ ...base, action: i.action, detail: i.detail, ...revertDiff(i.current!, i.target!) });
    if (++done % 10000 === 0) ctx.notify.progress(t.phaseReverting(), done);
  }
  writer.finish();
  store.finishRun(runId, { finishedAt: clock.now(), counts: plan.counts, planId: null, auditAfter });
  return runId;
}

/**
 * Writes a revert's accounts back as the sync's plan writer writes them (src/store/apply.ts): with the
 * triggers that write, note and count the accounts' search rows suspended (Store.suspendSearchWrites),
 * each changed account's search row written once with its bits in the search index, and the counts by
 * status and owner kept here and written at the end. A statement that fires a trigger (a revival, a
 * deletion, a rename: 30,000 in the revert of a 1% churn resync of a million people) keeps a statement
 * journal, a copy of every page it changes or pushes out of the page cache, which went to a temporary file.
 */
class RevertWriter {
  private readonly snaps: Snapshots;
  private readonly triggersBack: (() => void) | null;
  private readonly counts?: AccountCounts;
  private readonly search?: SearchRowWriter;

  constructor(
    private readonly ctx: AppContext,
    private readonly runId: number,
  ) {
    const store = ctx.store;
    this.snaps = new Snapshots(store);
    this.triggersBack = store.suspendSearchWrites(true);
    if (this.triggersBack !== null) {
      this.counts = new AccountCounts(store.db);
      this.search = new SearchRowWriter(store);
    }
  }

  /** Makes the account `target` where it is `current`, and keeps the revert's own undo row. */
  restore(accountId: number, current: AccountSnapshot, target: AccountSnapshot, now: string): void {
    this.snaps.restore(accountId, current, target, now);
    this.counts?.moved(current.account, target.account);
    if (!sameSearchableSnapshot(current, target)) this.search?.write(accountId, target.account, target.links, false);
    // The revert's own undo row: reverting the revert puts back what it found.
    this.snaps.saveUndo(this.runId, accountId, current, target);
  }

  /** Writes the search rows and counts, puts the triggers back, and folds what else was noted for the search index. */
  finish(): void {
    this.search?.flush();
    this.counts?.write();
    this.triggersBack?.();
    this.ctx.store.foldSearchIndex(); // the rows noted before, or by a trigger left on (src/store/search-index.ts)
  }
}

/** Whether the search row's text is the same for both states: the names, the email, the links and their records (what its triggers watch). */
function sameSearchableSnapshot(x: AccountSnapshot, y: AccountSnapshot): boolean {
  if (!sameSearchable(x.account, y.account)) return false;
  if (x.links.length !== y.links.length) return false;
  return x.links.every((l, n) => l.source === y.links[n].source && l.externalId === y.links[n].externalId && l.record === y.links[n].record);
}
