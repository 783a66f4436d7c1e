/**
 * `sync history` and `sync show`: the runs the hub recorded. Reading them loads no sync engine; only a
 * stopped run's approve command needs the sync's own module, loaded for that case alone.
 */
import { BasishubError } from '../errors.js';
import { t } from '../i18n/index.js';
import type { AppliedChange } from '../store/apply.js';
import type { Store, RunRecord } from '../store/store.js';
import type { AppContext } from './context.js';

export type { RunRecord };

/** Up to this many changes, `sync show` shows every one; a larger run, the first of each kind. */
export const SHOW_ALL_UP_TO = 1000;
export const FIRST_OF_KIND = 50;

/** The last `limit` runs, newest first. */
export function runHistory(ctx: AppContext, limit: number): RunRecord[] {
  return ctx.store.runs(limit);
}

/** Which of a run's changes to show: all, a page (`paged`: --limit/--offset), or a large run's first page. */
export interface ShowOptions {
  offset: number;
  limit?: number;
  paged: boolean;
  all: boolean;
}

export interface ShownChanges {
  changes: AppliedChange[];
  /** How many changes the run has in all. */
  total: number;
  /** For a large run's first page: how many changes of each kind there are (the page has the first of each). */
  perKind?: Map<string, number>;
}

export interface RunShown {
  run: RunRecord;
  shown: ShownChanges;
  /** For a stopped run with a plan: the command line that approves it; else ''. */
  approve: string;
}

/** One run by its number (`17` or `#17`), with the changes asked for; NOT_FOUND when there is none. */
export async function showRun(ctx: AppContext, id: string, o: ShowOptions = { offset: 0, paged: false, all: true }): Promise<RunShown> {
  const store = ctx.store;
  const n = Number(id.replace(/^#/, ''));
  const run = Number.isInteger(n) ? store.run(n) : undefined;
  if (run === undefined) throw new BasishubError('NOT_FOUND', t.noRun({ id }), { hint: t.noRunHint() });
  const approve = run.status === 'stopped' && run.planId ? (await import('./sync.js')).approveCommandFor(store, run.files, run.planId) : '';
  const shown = run.status === 'stopped' ? plannedShown(store, run, o) : await appliedShown(store, run, o);
  return { run, shown, approve };
}

/** A stopped run's planned changes (kept whole in the hub: a stopped plan is at most the deletion limit's size). */
function plannedShown(store: Store, run: RunRecord, o: ShowOptions): ShownChanges {
  const planned = store.plannedChanges(run.id);
  if (o.paged) return { changes: planned.slice(o.offset, o.limit === undefined ? undefined : o.offset + o.limit), total: planned.length };
  if (o.all || planned.length <= SHOW_ALL_UP_TO) return { changes: planned, total: planned.length };
  const perKind = new Map<string, number>();
  const first = planned.filter((c) => {
    const k = (perKind.get(c.action) ?? 0) + 1;
    perKind.set(c.action, k);
    return k <= FIRST_OF_KIND;
  });
  return { changes: first, total: planned.length, perKind };
}

/**
 * A completed run's changes, read from the audit trail by action, so that a run of 30,000 changes is not
 * read whole for its first page.
 */
async function appliedShown(store: Store, run: RunRecord, o: ShowOptions): Promise<ShownChanges> {
  const { runChanges } = await import('./trail.js');
  const perKind = store.runChangeCounts(run.id);
  const total = [...perKind.values()].reduce((a, b) => a + b, 0);
  if (o.paged) return { changes: [...runChanges(store, run.id, { offset: o.offset, limit: o.limit })], total };
  if (o.all || total <= SHOW_ALL_UP_TO) return { changes: [...runChanges(store, run.id)], total };
  const first = [...perKind.keys()].flatMap((action) => [...runChanges(store, run.id, { action, limit: FIRST_OF_KIND })]);
  return { changes: first, total, perKind };
}
