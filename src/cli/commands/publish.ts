import { BasishubError } from '../../errors.js';
import { publish, type PublishResult, type TargetResult } from '../../app/publish.js';
import { act, collect, intArg, type Parent } from '../define.js';
import type { Runtime } from '../runtime.js';
import { num, t } from '../../i18n/index.js';
import { localDetail } from '../render.js';

const COUNTS: (keyof TargetResult['counts'])[] = ['created', 'updated', 'deactivated', 'reactivated', 'deleted', 'unchanged', 'failed'];

/** The groups of a publish's changes, in the order they are read; their titles are in the catalogue (`t.publishGroup`). */
const MARKS: [string, string, 'green' | 'yellow' | 'red' | 'magenta'][] = [
  ['create', '+', 'green'],
  ['update', '~', 'yellow'],
  ['reactivate', '↺', 'magenta'],
  ['deactivate', '-', 'red'],
  ['delete', '×', 'red'],
];

function renderCounts(rt: Runtime, r: TargetResult): void {
  const { out } = rt;
  out.print(
    '  ' +
      COUNTS.map((k) => {
        const text = `${num(r.counts[k])} ${t.publishCount({ key: k })}`;
        return r.counts[k] === 0 ? out.c.dim(text) : k === 'failed' || k === 'deactivated' || k === 'deleted' ? out.c.red(text) : text;
      }).join(out.c.dim(' · ')),
  );
  if (r.groups) {
    const g = r.groups;
    const counts = (['created', 'updated', 'deleted', 'unchanged', 'failed'] as const).map((k) => `${num(g[k])} ${t.publishCount({ key: k })}`).join(' · ');
    out.print(out.c.dim(`  ${t.publishGroupsLine({ counts })}`));
  }
}

function renderTarget(rt: Runtime, r: TargetResult, perGroup = 20): void {
  const { out } = rt;
  const state = t.publishState({ dryRun: r.dryRun, status: t.targetRunStatus({ status: r.status }) });
  const color = r.status === 'completed' ? out.c.bold : out.c.red.bold;
  out.print(
    color(`${t.publishTitle({ name: r.name, kind: r.kind })}: ${state}`) +
      (r.forced ? out.c.red(t.publishForced()) : '') +
      (r.approved ? out.c.yellow(t.publishApproved({ plan: r.approved })) : ''),
  );
  renderCounts(rt, r);
  if (r.stopReason) out.print(out.c.yellow(`  ${t.publishStop({ dryRun: r.dryRun, reason: localDetail(r.stopReason) })}`));
  if (r.status !== 'stopped') {
    for (const [action, mark, c] of MARKS) {
      const list = r.changes.filter((x) => x.action === action);
      if (list.length === 0) continue;
      out.print(`\n  ${out.c[c](t.publishGroup({ action }))} (${num(list.length)})`);
      for (const x of list.slice(0, perGroup)) out.print(`    ${out.c[c](mark)} #${x.userId} ${localDetail(x.detail)}`);
      if (list.length > perGroup) out.print(out.c.dim(`    ${t.publishMore({ n: num(list.length - perGroup) })}`));
    }
    const all = r.counts.created + r.counts.updated + r.counts.deactivated + r.counts.reactivated + r.counts.deleted + r.counts.failed;
    if (r.changesListed < all) out.print(out.c.dim(`  ${t.publishListed({ n: num(r.changesListed) })}`));
  }
  for (const f of r.failures.slice(0, perGroup)) out.print(out.c.red(`  ✘ ${f.userId !== null ? `#${f.userId} ` : ''}${localDetail(f.message)}`));
  if (r.failures.length > perGroup) out.print(out.c.dim(`  ${t.publishMoreFailures({ n: num(r.failures.length - perGroup) })}`));
  if (r.files) out.print(out.c.dim(`  ${t.publishWrote({ files: r.files.join(', ') })}`));
  if (r.dryRun) out.print(out.c.dim(`  ${t.publishPlan({ plan: r.planId })}`));
  out.print('');
}

function publishJson(r: PublishResult) {
  return {
    targets: r.targets.map((x) => ({
      name: x.name,
      kind: x.kind,
      dryRun: x.dryRun,
      status: x.status,
      counts: x.counts,
      failures: x.failures,
      planId: x.planId,
      maxDeactivations: x.maxDeactivations,
      forced: x.forced,
      approved: x.approved,
      stopReason: x.stopReason,
      ...(x.groups ? { groups: x.groups } : {}),
      ...(x.requests !== undefined ? { requests: x.requests } : {}),
      ...(x.files ? { files: x.files } : {}),
      changes: x.changes,
    })),
  };
}

/** The exit of a publish: a failed target first (exit 8), then a stopped one (exit 4). */
function outcome(r: PublishResult): BasishubError | null {
  const failed = r.targets.filter((x) => x.status === 'failed');
  if (failed.length > 0) {
    // A failure of the whole target (no token, a folder that cannot be written) is one entry for every account
    // it held back: the count is the summary's, as the counts of the run say it.
    const n = failed.reduce((s, x) => s + Math.max(x.counts.failed ?? 0, x.failures.length), 0);
    return new BasishubError('TARGET_FAILED', t.publishFailed({ targets: failed.map((x) => x.name).join(', '), n }), {
      hint: failed[0].failures[0] ? t.publishFailedHint({ first: localDetail(failed[0].failures[0].message) }) : undefined,
      details: { targets: failed.map((x) => ({ name: x.name, failures: x.failures.slice(0, 100) })) },
    });
  }
  const stopped = r.targets.filter((x) => x.status === 'stopped');
  if (stopped.length > 0) {
    return new BasishubError(
      'SAFETY_STOP',
      t.publishStopped({ targets: stopped.map((x) => x.name).join(', '), reason: localDetail(stopped[0].stopReason ?? ''), n: stopped.length }),
      {
        hint: t.publishStoppedHint({ name: stopped[0].name, plan: stopped[0].planId }),
        details: { planId: stopped[0].planId, targets: stopped.map((x) => ({ name: x.name, planId: x.planId, stopReason: x.stopReason })) },
      },
    );
  }
  return null;
}

export function registerPublish(program: Parent, rt: Runtime): void {
  program
    .command('publish')
    .description('send each target the hub as it is now: active accounts, deactivations, removals (R15–R17)')
    .option('--target <name>', 'publish to this target only; repeatable (default: all)', collect)
    .option('--dry-run', 'show exactly what each target would get; send nothing')
    .option(
      '--max-deactivations <n>',
      "stop when more accounts would be deactivated or removed (default: the larger of 10 and 10% of the target's accounts)",
      intArg('--max-deactivations'),
    )
    .option('--approve <plan-id>', 'send exactly this reviewed plan past a safety stop')
    .option('--force', 'lift the safety limit for this run (recorded in the history)')
    .action(
      act(rt, async (flags) => {
        const result = await publish(rt.context(), {
          targets: flags.target,
          dryRun: flags.dryRun,
          maxDeactivations: flags.maxDeactivations,
          approve: flags.approve,
          force: flags.force,
          env: rt.io.env,
        });
        rt.out.result(publishJson(result), () => {
          for (const r of result.targets) renderTarget(rt, r);
        });
        const err = outcome(result);
        if (err !== null) throw err;
      }),
    );
}
