import { BasishubError } from '../../errors.js';
import { publish, type PublishResult, type TargetResult } from '../../app/publish.js';
import { act, collect, intArg, type Parent } from '../define.js';
import type { Runtime } from '../runtime.js';

const LABELS: [keyof TargetResult['counts'], string][] = [
  ['created', 'created'],
  ['updated', 'updated'],
  ['deactivated', 'deactivated'],
  ['reactivated', 'reactivated'],
  ['deleted', 'deleted'],
  ['unchanged', 'unchanged'],
  ['failed', 'failed'],
];

const MARKS: Record<string, [string, string, 'green' | 'yellow' | 'red' | 'magenta']> = {
  create: ['Created', '+', 'green'],
  update: ['Updated', '~', 'yellow'],
  reactivate: ['Reactivated', '↺', 'magenta'],
  deactivate: ['Deactivated', '-', 'red'],
  delete: ['Deleted (erased from the hub)', '×', 'red'],
};

function renderTarget(rt: Runtime, r: TargetResult, perGroup = 20): void {
  const { out } = rt;
  const state = r.dryRun ? 'dry run — nothing was sent' : r.status;
  const color = r.status === 'completed' ? out.c.bold : out.c.red.bold;
  out.print(color(`Target ${r.name} (${r.kind}): ${state}`) + (r.forced ? out.c.red(' (forced past the safety limit)') : '') + (r.approved ? out.c.yellow(` (approved plan ${r.approved})`) : ''));
  out.print(
    '  ' +
      LABELS.map(([k, label]) => {
        const text = `${r.counts[k].toLocaleString('en-US')} ${label}`;
        return r.counts[k] === 0 ? out.c.dim(text) : k === 'failed' || k === 'deactivated' || k === 'deleted' ? out.c.red(text) : text;
      }).join(out.c.dim(' · ')),
  );
  if (r.groups) out.print(out.c.dim(`  groups: ${r.groups.created} created · ${r.groups.updated} updated · ${r.groups.deleted} deleted · ${r.groups.unchanged} unchanged · ${r.groups.failed} failed`));
  if (r.stopReason) out.print(out.c.yellow(`  ${r.dryRun ? 'would stop' : 'stopped'}: ${r.stopReason}`));
  if (r.status !== 'stopped') {
    for (const [action, [title, mark, c]] of Object.entries(MARKS)) {
      const list = r.changes.filter((x) => x.action === action);
      if (list.length === 0) continue;
      out.print(`\n  ${out.c[c](title)} (${list.length})`);
      for (const x of list.slice(0, perGroup)) out.print(`    ${out.c[c](mark)} #${x.userId} ${x.detail}`);
      if (list.length > perGroup) out.print(out.c.dim(`    … and ${list.length - perGroup} more (see --json)`));
    }
    const all = r.counts.created + r.counts.updated + r.counts.deactivated + r.counts.reactivated + r.counts.deleted + r.counts.failed;
    if (r.changesListed < all) out.print(out.c.dim(`  (the first ${r.changesListed.toLocaleString('en-US')} changes are listed; the counts are complete)`));
  }
  for (const f of r.failures.slice(0, perGroup)) out.print(out.c.red(`  ✘ ${f.userId !== null ? `#${f.userId} ` : ''}${f.message}`));
  if (r.failures.length > perGroup) out.print(out.c.dim(`  … and ${r.failures.length - perGroup} more failures (see --json)`));
  if (r.files) out.print(out.c.dim(`  wrote ${r.files.join(', ')}`));
  if (r.dryRun) out.print(out.c.dim(`  plan ${r.planId}`));
  out.print('');
}

function publishJson(r: PublishResult) {
  return {
    targets: r.targets.map((t) => ({
      name: t.name,
      kind: t.kind,
      dryRun: t.dryRun,
      status: t.status,
      counts: t.counts,
      failures: t.failures,
      planId: t.planId,
      maxDeactivations: t.maxDeactivations,
      forced: t.forced,
      approved: t.approved,
      stopReason: t.stopReason,
      ...(t.groups ? { groups: t.groups } : {}),
      ...(t.requests !== undefined ? { requests: t.requests } : {}),
      ...(t.files ? { files: t.files } : {}),
      changes: t.changes,
    })),
  };
}

/** The exit of a publish: a failed target first (exit 8), then a stopped one (exit 4). */
function outcome(r: PublishResult): BasishubError | null {
  const failed = r.targets.filter((t) => t.status === 'failed');
  if (failed.length > 0) {
    const n = failed.reduce((s, t) => s + t.failures.length, 0);
    return new BasishubError('TARGET_FAILED', `Publishing to ${failed.map((t) => t.name).join(', ')} failed for ${n} item(s). What the target acknowledged stays; the next publish retries the rest.`, {
      hint: failed[0].failures[0] ? `First failure: ${failed[0].failures[0].message}` : undefined,
      details: { targets: failed.map((t) => ({ name: t.name, failures: t.failures.slice(0, 100) })) },
    });
  }
  const stopped = r.targets.filter((t) => t.status === 'stopped');
  if (stopped.length > 0) {
    return new BasishubError('SAFETY_STOP', `Publish to ${stopped.map((t) => t.name).join(', ')} stopped: ${stopped[0].stopReason}. Nothing was sent to ${stopped.length === 1 ? 'it' : 'them'}.`, {
      hint: `Review with \`basishub publish --target ${stopped[0].name} --dry-run\`; if it is right, send exactly this plan with \`basishub publish --target ${stopped[0].name} --approve ${stopped[0].planId}\` (or --max-deactivations <n>).`,
      details: { planId: stopped[0].planId, targets: stopped.map((t) => ({ name: t.name, planId: t.planId, stopReason: t.stopReason })) },
    });
  }
  return null;
}

export function registerPublish(program: Parent, rt: Runtime): void {
  program
    .command('publish')
    .description('send each target the hub as it is now: active accounts, deactivations, removals (R15–R17)')
    .option('--target <name>', 'publish to this target only; repeatable (default: all)', collect)
    .option('--dry-run', 'show exactly what each target would get; send nothing')
    .option('--max-deactivations <n>', 'stop when more accounts would be deactivated or removed (default: the larger of 10 and 10% of the target\'s accounts)', intArg('--max-deactivations'))
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
          for (const t of result.targets) renderTarget(rt, t);
        });
        const err = outcome(result);
        if (err !== null) throw err;
      }),
    );
}
