// `tr`: this file names its targets `t`.
import { t as tr } from '../../i18n/index.js';
import { addTarget, editTarget, listTargets, removeTarget, showTarget, where } from '../../app/targets.js';
import type { TargetConfig } from '../../targets/types.js';
import { act, intArg, type Parent } from '../define.js';
import type { Runtime } from '../runtime.js';

/** `targets add` and `targets edit`: the same options. */
function withTargetOptions(parent: Parent, usage: 'add <name>' | 'edit <name>', description: string) {
  return parent
    .command(usage)
    .description(description)
    .option('--kind <kind>', 'scim | sds-v2.1 | oneroster-1.1 | csv')
    .option('--url <base-url>', 'SCIM: the base URL of the SCIM 2.0 service (https; http only to a loopback address)')
    .option('--token-env <VAR>', 'SCIM: the environment variable that holds the bearer token (the token is never stored)')
    .option('--groups', 'SCIM: also publish schools and classes as SCIM Groups')
    .option('--no-groups', 'SCIM: publish users only')
    .option('--concurrency <n>', 'SCIM: requests in flight at once (default 4)', intArg('--concurrency', 1))
    .option('--timeout <seconds>', 'SCIM: seconds before a request is given up (default 30)', intArg('--timeout', 1))
    .option('--output <path>', 'files: the folder to write (oneroster-1.1: a folder or a .zip)');
}

export function targetJson(t: TargetConfig) {
  return { name: t.name, kind: t.kind, ...t.settings, createdAt: t.createdAt, updatedAt: t.updatedAt };
}

function renderTarget(rt: Runtime, t: TargetConfig): void {
  const { out } = rt;
  out.print(out.c.bold(t.name) + out.c.dim(` (${t.kind})`));
  if (t.kind === 'scim') {
    out.print(`  url          ${t.settings.url}`);
    out.print(`  token        from $${t.settings.tokenEnv} (read when publishing; never stored)`);
    out.print(`  groups       ${t.settings.groups ? 'schools and classes as SCIM Groups' : 'no'}`);
    out.print(`  concurrency  ${t.settings.concurrency ?? 4}, time-out ${t.settings.timeout ?? 30} s`);
  } else out.print(`  output       ${t.settings.output}`);
}

export function registerTargets(program: Parent, rt: Runtime): void {
  const targets = program.command('targets').description('the target systems the hub publishes to (SCIM, SDS, OneRoster, CSV)');
  for (const declare of [targetsAdd, targetsList, targetsShow, targetsEdit, targetsRemove]) declare(targets, rt);
}

function targetsAdd(targets: Parent, rt: Runtime): void {
  withTargetOptions(targets, 'add <name>', 'register a target system').action(
    act(rt, (name, flags) => {
      const { target, warnings } = addTarget(rt.context(), name, flags, rt.io.env);
      for (const w of warnings) rt.out.warn(w);
      rt.out.result(targetJson(target), () => {
        rt.out.success(tr.targetAdded({ name: target.name }));
        renderTarget(rt, target);
        rt.out.info(tr.targetDryRunHint({ name: target.name }));
      });
    }),
  );
}

function targetsList(targets: Parent, rt: Runtime): void {
  targets
    .command('list')
    .description('the registered targets')
    .action(
      act(rt, () => {
        const listed = listTargets(rt.context());
        const list = listed.map(({ target, acknowledged, lastPublish }) => ({ ...targetJson(target), acknowledged, lastPublish }));
        rt.out.result(list, (l) => {
          if (l.length === 0) return rt.out.info(tr.noTargetsYet());
          rt.out.print(
            rt.out.table(
              ['name', 'kind', 'where', 'active there', 'last publish'],
              listed.map(({ target: t }, i) => [t.name, t.kind, where(t), l[i].acknowledged.active, l[i].lastPublish ? `${l[i].lastPublish.startedAt.slice(0, 16).replace('T', ' ')} ${l[i].lastPublish.status}` : 'never']),
            ),
          );
        });
      }),
    );
}

function targetsShow(targets: Parent, rt: Runtime): void {
  targets
    .command('show <name>')
    .description('one target: its settings, what it last acknowledged and when, and what is pending')
    .action(
      act(rt, (name) => {
        const s = showTarget(rt.context(), name, rt.io.env);
        rt.out.result({ ...targetJson(s.target), acknowledged: s.acknowledged, lastPublish: s.lastPublish, lastCompleted: s.lastCompleted, pending: s.pending, tokenSet: s.tokenSet }, () => {
          const { out } = rt;
          renderTarget(rt, s.target);
          if (s.tokenSet === false) out.print(`  ${out.c.yellow('!')} $${s.target.settings.tokenEnv} is not set in this environment`);
          out.print(`  acknowledged ${s.acknowledged.active} active, ${s.acknowledged.inactive} deactivated${s.acknowledged.lastAck ? `; last on ${s.acknowledged.lastAck}` : ''}`);
          const last = s.lastPublish;
          if (last === null) out.print('  published    never');
          else {
            out.print(`  published    ${last.startedAt} by ${last.actor}: ${last.status === 'running' ? 'running, or interrupted (the next publish completes it)' : last.status}${last.stopReason ? ` (${last.stopReason})` : ''}`);
            if (last.failures.length > 0) out.print(`               ${last.failures.length} failure(s), first: ${last.failures[0].message}`);
          }
          const p = s.pending;
          const todo = p.created + p.updated + p.deactivated + p.reactivated + p.deleted;
          out.print(
            todo === 0
              ? `  pending      nothing: the target is in line with the hub (${p.unchanged} accounts)`
              : `  pending      ${p.created} to create, ${p.updated} to update, ${p.deactivated} to deactivate, ${p.reactivated} to reactivate, ${p.deleted} to remove; ${p.unchanged} in line`,
          );
        });
      }),
    );
}

function targetsEdit(targets: Parent, rt: Runtime): void {
  withTargetOptions(targets, 'edit <name>', "change a target's settings").action(
    act(rt, (name, flags) => {
      const { target, forgotten } = editTarget(rt.context(), name, flags);
      rt.out.result({ ...targetJson(target), forgotten }, () => {
        rt.out.success(tr.targetChanged({ name: target.name }));
        if (forgotten) rt.out.info(tr.targetMoved());
        renderTarget(rt, target);
      });
    }),
  );
}

function targetsRemove(targets: Parent, rt: Runtime): void {
  targets
    .command('remove <name>')
    .description('remove a target (the accounts in the target system are left as they are)')
    .action(
      act(rt, (name) => {
        removeTarget(rt.context(), name);
        rt.out.result({ name, removed: true }, () => rt.out.success(tr.targetRemoved({ name })));
      }),
    );
}
