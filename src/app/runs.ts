/**
 * `sync history` and `sync show`: the runs the hub recorded. Reading them loads no sync engine; only a
 * stopped run's approve command needs the sync's own module, loaded for that case alone.
 */
import { BasishubError } from '../errors.js';
import { t } from '../i18n/index.js';
import type { AppliedChange } from '../store/apply.js';
import type { RunRecord } from '../store/store.js';
import type { AppContext } from './context.js';

export type { RunRecord };

/** The last `limit` runs, newest first. */
export function runHistory(ctx: AppContext, limit: number): RunRecord[] {
  return ctx.store.runs(limit);
}

export interface RunShown {
  run: RunRecord;
  /** What it changed, or for a stopped run what it planned. */
  changes: AppliedChange[];
  /** For a stopped run with a plan: the command line that approves it; else ''. */
  approve: string;
}

/** One run by its number (`17` or `#17`); NOT_FOUND when there is none. */
export async function showRun(ctx: AppContext, id: string): Promise<RunShown> {
  const store = ctx.store;
  const n = Number(id.replace(/^#/, ''));
  const run = Number.isInteger(n) ? store.run(n) : undefined;
  if (run === undefined) throw new BasishubError('NOT_FOUND', t.noRun({ id }), { hint: t.noRunHint() });
  const approve = run.status === 'stopped' && run.planId ? (await import('./sync.js')).approveCommandFor(store, run.files, run.planId) : '';
  const changes: AppliedChange[] =
    run.status === 'stopped'
      ? store.plannedChanges(run.id)
      : [...(await import('./trail.js')).runChanges(store, run.id)];
  return { run, changes, approve };
}
