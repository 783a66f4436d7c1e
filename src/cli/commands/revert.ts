import { num, t } from '../../i18n/index.js';
import type { RevertResult } from '../../app/revert.js';
import { act, type Parent } from '../define.js';
import type { Runtime } from '../runtime.js';
import { renderChanges } from '../render.js';
import type { Output } from '../output.js';

/** The counts in the order they are shown; their words are in the catalogue (`t.revertCount`). */
const COUNTS = ['revived', 'updated', 'deleted', 'kept', 'notRevertible', 'unchanged'];

function countsLine(out: Output, counts: Record<string, number>): string {
  return COUNTS.filter((k, i) => i < 3 || (counts[k] ?? 0) > 0)
    .map((k) => {
      const text = `${num(counts[k] ?? 0)} ${t.revertCount({ key: k })}`;
      return (counts[k] ?? 0) === 0 ? out.c.dim(text) : k === 'kept' || k === 'notRevertible' ? out.c.yellow(text) : text;
    })
    .join(out.c.dim(' · '));
}

function renderRevert(rt: Runtime, r: RevertResult, asking = false): void {
  const { out } = rt;
  const reverting = r.counts.revived + r.counts.deleted + r.counts.updated;
  if (r.dryRun) out.print(out.c.bold(t.revertTitleDry({ runId: r.revertOf })) + out.c.dim(t.revertDryNote()));
  else if (r.runId === null) out.print(out.c.bold(t.revertNothing({ runId: r.revertOf })) + out.c.dim(t.revertNothingNote()));
  else out.print(out.c.bold(t.revertDone({ runId: r.runId, revertOf: r.revertOf })) + (r.forced ? out.c.red(t.revertForced()) : ''));
  if (r.partial) out.print(out.c.yellow(t.revertPartial({ runId: r.revertOf })));
  out.print('');
  out.print('  ' + countsLine(out, r.counts));
  renderChanges(out, r.changes, Number.MAX_SAFE_INTEGER, null);
  if (r.dryRun && !asking && reverting > 0) out.print(out.c.dim(t.revertApply({ runId: r.revertOf, kept: !!r.counts.kept })));
}

/** `sync revert <run-id>`: declared with the other `sync` commands (src/cli/commands/sync.ts). */
export function syncRevert(sync: Parent, rt: Runtime): void {
  sync
    .command('revert <run-id>')
    .description('undo what one sync run changed (R18): shows the plan, asks on a terminal, needs --yes without one')
    .option('--dry-run', 'show what the revert would put back, change nothing')
    .option('--force', 'revert accounts that a later run or a person changed since, too')
    .action(
      act(rt, async (id, flags) => {
        const ctx = rt.context();
        const { revertRun } = await import('../../app/revert.js');
        const r = await revertRun(ctx, id, { dryRun: flags.dryRun, force: flags.force }, (plan) => {
          renderRevert(rt, plan, true);
          rt.out.print('');
        });
        rt.out.result(r, () => renderRevert(rt, r));
      }),
    );
}
