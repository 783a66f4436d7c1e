// `tr`: this file names its targets `t`.
import { day, num, t as tr } from '../../i18n/index.js';
import { dutchDateTime } from '../../dutch.js';
import { localDetail } from '../render.js';
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

type TargetLabel = Parameters<typeof tr.targetLabel>[0]['name'];

/** A label of `targets show`, padded so that the values line up in either language. */
function label(name: TargetLabel): string {
  const all: TargetLabel[] = ['url', 'token', 'groups', 'concurrency', 'output', 'acknowledged', 'published', 'pending'];
  const width = Math.max(...all.map((n) => tr.targetLabel({ name: n }).length)) + 1;
  return `  ${tr.targetLabel({ name }).padEnd(width)}`;
}

function renderTarget(rt: Runtime, t: TargetConfig): void {
  const { out } = rt;
  out.print(out.c.bold(t.name) + out.c.dim(` (${t.kind})`));
  if (t.kind === 'scim') {
    out.print(`${label('url')}${t.settings.url}`);
    out.print(`${label('token')}${tr.targetToken({ env: t.settings.tokenEnv ?? '' })}`);
    out.print(`${label('groups')}${tr.targetGroups({ groups: t.settings.groups === true })}`);
    out.print(`${label('concurrency')}${tr.targetConcurrency({ n: t.settings.concurrency ?? 4, timeout: t.settings.timeout ?? 30 })}`);
  } else out.print(`${label('output')}${t.settings.output}`);
}

/** A moment of the target's history as the reader writes it (Dutch time, 30-11-2026 02:00). */
function moment(iso: string): string {
  return day(dutchDateTime(iso));
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
              listed.map(({ target: t }, i) => {
                const last = l[i].lastPublish;
                const c = rt.out.cells;
                if (!c.local)
                  return [
                    t.name,
                    t.kind,
                    where(t),
                    l[i].acknowledged.active,
                    last ? `${last.startedAt.slice(0, 16).replace('T', ' ')} ${last.status}` : 'never',
                  ];
                const place = tr.targetWhere({ scim: t.kind === 'scim', place: (t.kind === 'scim' ? t.settings.url : t.settings.output) ?? '' });
                return [
                  t.name,
                  t.kind,
                  place,
                  num(l[i].acknowledged.active),
                  last ? tr.targetLastRun({ at: moment(last.startedAt), status: tr.targetRunStatus({ status: last.status }) }) : tr.targetNever(),
                ];
              }),
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
        rt.out.result(
          {
            ...targetJson(s.target),
            acknowledged: s.acknowledged,
            lastPublish: s.lastPublish,
            lastCompleted: s.lastCompleted,
            pending: s.pending,
            tokenSet: s.tokenSet,
          },
          () => {
            const { out } = rt;
            renderTarget(rt, s.target);
            if (s.tokenSet === false) out.print(`  ${out.c.yellow('!')} ${tr.targetTokenUnset({ env: s.target.settings.tokenEnv ?? '' })}`);
            const ack = s.acknowledged;
            out.print(
              `${label('acknowledged')}${tr.targetAcknowledged({ active: ack.active, inactive: ack.inactive, last: ack.lastAck ? moment(ack.lastAck) : '' })}`,
            );
            const last = s.lastPublish;
            if (last === null) out.print(`${label('published')}${tr.targetNever()}`);
            else {
              const status = tr.targetRunStatus({ status: last.status });
              out.print(
                `${label('published')}${tr.targetPublished({ at: moment(last.startedAt), actor: last.actor, status, stop: last.stopReason ? localDetail(last.stopReason) : '' })}`,
              );
              if (last.failures.length > 0)
                out.print(
                  `${' '.repeat(label('published').length)}${tr.targetFailures({ n: last.failures.length, first: localDetail(last.failures[0].message) })}`,
                );
            }
            const p = s.pending;
            const todo = p.created + p.updated + p.deactivated + p.reactivated + p.deleted;
            out.print(label('pending') + (todo === 0 ? tr.targetInLine({ n: p.unchanged }) : tr.targetPending(p)));
          },
        );
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
