import { usageError } from '../../errors.js';
import type { SyncResult } from '../../app/sync.js';
import { FIRST_OF_KIND, runHistory, SHOW_ALL_UP_TO, showRun, type RunRecord } from '../../app/runs.js';
import { dutchDateTime } from '../../dutch.js';
import { act, collect, intArg, type Parent } from '../define.js';
import type { Runtime } from '../runtime.js';
import { day, num, t } from '../../i18n/index.js';
import { COUNT_KEYS, countsLine, countsSummary, localDetail, renderChanges } from '../render.js';
import type { AppliedChange } from '../../store/apply.js';
import { syncRevert } from './revert.js';

function parseOverrides(entries: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) {
    const i = e.indexOf('=');
    if (i <= 0 || i === e.length - 1) throw usageError(t.badOverride({ value: e }));
    out[e.slice(0, i)] = e.slice(i + 1);
  }
  return out;
}

/** Streams the run as one JSON document: a first sync may have a million changes. */
function writeJson(rt: Runtime, r: SyncResult): void {
  const head = {
    runId: r.runId,
    dryRun: r.dryRun,
    status: r.status,
    counts: r.counts,
    planId: r.planId,
    forced: r.forced,
    approved: r.approved,
    maxDeletes: r.maxDeletes,
    stopReason: r.stopReason,
    replanned: r.replanned,
    files: r.files,
    settingsChanged: r.settingsChanged,
    backup: r.backup,
  };
  const text = JSON.stringify(head, null, 2);
  let buf = text.slice(0, -2) + ',\n  "changes": [';
  let first = true;
  for (const c of r.changes()) {
    buf += (first ? '\n    ' : ',\n    ') + JSON.stringify(c);
    first = false;
    if (buf.length > 65536) {
      rt.out.write(buf);
      buf = '';
    }
  }
  rt.out.write(buf + (first ? ']\n}\n' : '\n  ]\n}\n'));
}

export function renderRun(rt: Runtime, r: SyncResult, perGroup = 20): void {
  const { out } = rt;
  const title = r.dryRun ? out.c.bold(t.dryRunTitle()) + out.c.dim(t.nothingChanged()) : out.c.bold(t.runCompleted({ runId: r.runId }));
  out.print(title + (r.forced ? out.c.red(t.forcedPast()) : '') + (r.approved ? out.c.yellow(t.approvedPlan({ plan: r.approved })) : ''));
  for (const f of r.files)
    out.print(out.c.dim(t.fileLine({ source: f.source, path: f.path, records: num(f.records), checksum: `${f.checksum.slice(0, 12)}…` })));
  if (r.settingsChanged.length > 0) {
    out.print(out.c.yellow(t.settingsChanged({ what: r.settingsChanged.map(localDetail).join('; ') })));
  }
  out.print('');
  if (r.backup) out.print(out.c.dim(t.backupFirst({ output: r.backup.output, pruned: r.backup.pruned.length })));
  out.print('  ' + countsLine(out, r.counts));
  renderChanges(out, r.changes(), perGroup, r.runId !== null ? `basishub sync show ${r.runId}` : 'basishub sync run --dry-run --json');
  if (r.wouldStop !== null) out.print(out.c.yellow(t.planWouldStop({ plan: r.planId, ...r.wouldStop })));
  else if (r.dryRun) out.print(out.c.dim(t.planLine({ plan: r.planId })));
}

function renderChangeList(rt: Runtime, changes: AppliedChange[]): void {
  renderChanges(rt.out, changes, Number.MAX_SAFE_INTEGER, null);
}

/** A large run's first page shows this many changes of each kind (see app/runs.ts). */
const FIRST_PER_KIND = FIRST_OF_KIND;

export function registerSync(program: Parent, rt: Runtime): void {
  const sync = program.command('sync').description('reconcile the hub with the sources, and its history');
  for (const declare of [syncRun, syncHistory, syncShow, syncRevert]) declare(sync, rt);
}

function syncRun(sync: Parent, rt: Runtime): void {
  sync
    .command('run')
    .description('reconcile all sources (R1–R5, R11, R12, R14), safely: see the safety options')
    .option('--dry-run', 'show exactly what the sync would do, change nothing')
    .option('--source <name=path>', "read this source's export from another file for this run; repeatable", collect)
    .option('--max-deletes <n>', 'stop when more accounts would be deleted (default: the larger of 10 and 10% of the linked accounts)', intArg('--max-deletes'))
    .option('--allow-empty <name>', 'accept an export without records for this source; repeatable', collect)
    .option('--accept-unterminated <name>', 'accept CSV files of this source whose last line has no line break (else taken as cut off); repeatable', collect)
    .option('--approve <plan-id>', 'apply exactly this reviewed plan past a safety stop')
    .option('--force', 'lift the safety limits for this run (recorded in the history)')
    .option('--backup-dir <dir>', 'first copy the hub into this folder (default: the setting backup-dir)')
    .option('--keep <n>', 'keep this many of those copies, remove older ones (default: the setting backup-keep, else 7)', intArg('--keep', 1))
    .option('--no-backup', 'no copy first for this run, even with the setting backup-dir')
    .action(
      act(rt, async (flags) => {
        const ctx = rt.context();
        // The sync engine and the readers load for a run only: `sync history` and `show` answer without them.
        const { runSync } = await import('../../app/sync.js');
        const { backupPlan } = await import('../../app/backup.js');
        const backup = backupPlan(ctx, { dir: flags.backupDir, keep: flags.keep, off: flags.backup === false });
        const result = await runSync(ctx, {
          dryRun: flags.dryRun,
          overrides: parseOverrides(flags.source ?? []),
          maxDeletes: flags.maxDeletes,
          allowEmpty: flags.allowEmpty,
          acceptUnterminated: flags.acceptUnterminated,
          approve: flags.approve,
          force: flags.force,
          backup,
        });
        if (rt.out.json) writeJson(rt, result);
        else renderRun(rt, result);
      }),
    );
}

function syncHistory(sync: Parent, rt: Runtime): void {
  sync
    .command('history')
    .description('past runs: when, who, files and their checksums, counts')
    .option('--limit <n>', 'how many runs', intArg('--limit', 1), 20)
    .action(
      act(rt, (flags) => {
        const runs = runHistory(rt.context(), flags.limit);
        rt.out.result(runs.map(runJson), (list) => {
          if (list.length === 0) return rt.out.info(t.noRunsYet());
          rt.out.print(
            rt.out.table(
              [
                { head: 'run', id: true },
                { head: 'started', weight: 8, min: 16 },
                { head: 'by', weight: 3 },
                { head: 'status', weight: 4 },
                // On a terminal the counts are one summary of those that are not zero (`sync show` has
                // them all); piped, a column each.
                { head: 'changes', only: 'tty', keep: true, weight: 5, min: 24 },
                ...COUNT_KEYS.map((k) => ({ head: k, only: 'tsv' as const })),
                { head: 'plan', id: true },
              ],
              list.map((r) => [
                r.runId,
                rt.out.stdoutIsTTY ? day(dutchDateTime(r.startedAt)) : dutchDateTime(r.startedAt, true),
                r.actor,
                rt.out.stdoutIsTTY
                  ? t.runStatus({ status: r.status }) + t.runFlags({ dryRun: r.dryRun, forced: r.forced, approved: !!r.approved, reverts: r.reverts })
                  : r.status +
                    (r.dryRun ? ' (dry run)' : '') +
                    (r.forced ? ' (forced)' : '') +
                    (r.approved ? ' (approved)' : '') +
                    (r.reverts !== null ? ` (revert of run ${r.reverts})` : ''),
                (r.status === 'completed' ? '' : `${t.runStatus({ status: r.status })}: `) + countsSummary(r.counts, false),
                ...COUNT_KEYS.map((k) => r.counts[k] ?? 0),
                r.planId ?? '',
              ]),
            ),
          );
        });
      }),
    );
}

function syncShow(sync: Parent, rt: Runtime): void {
  sync
    .command('show <run-id>')
    .description('one run: files, counts and each change')
    .option('--limit <n>', 'at most this many changes, in the order the run made them', intArg('--limit', 1))
    .option('--offset <n>', 'skip this many changes first (with --limit: the next page)', intArg('--offset', 0))
    .option('--all', `every change; without it a run of more than ${SHOW_ALL_UP_TO} changes shows the first ${FIRST_PER_KIND} of each kind`)
    .action(
      act(rt, async (id, flags) => {
        const paged = flags.limit !== undefined || flags.offset !== undefined;
        if (flags.all && paged) throw usageError(t.contradict({ flags: ['--all', flags.limit !== undefined ? '--limit' : '--offset'] }), t.passOne());
        const { run, approve, shown } = await showRun(rt.context(), id, {
          offset: flags.offset ?? 0,
          limit: flags.limit,
          paged,
          all: !!flags.all || rt.out.json,
        });
        const page = paged ? { offset: flags.offset ?? 0, limit: flags.limit ?? null, total: shown.total } : undefined;
        rt.out.result({ ...runJson(run), changes: shown.changes, ...(page ? { page } : {}) }, (r) => {
          const { out } = rt;
          out.print(out.c.bold(t.showTitle({ runId: r.runId })) + ` — ${t.runStatus({ status: r.status })}${r.status === 'stopped' ? t.showStopped() : ''}`);
          out.print(
            t.showStarted({
              started: day(dutchDateTime(r.startedAt, true)),
              actor: r.actor,
              finished: r.finishedAt ? day(dutchDateTime(r.finishedAt, true)) : null,
            }),
          );
          if (r.reverts !== null) out.print(t.showReverts({ runId: r.reverts }));
          if (r.stopReason) out.print(t.showStop({ stopped: r.status === 'stopped', reason: localDetail(r.stopReason) }));
          if (r.planId) out.print(t.showPlan({ plan: r.planId, approve: r.status === 'stopped' ? approve : null }));
          for (const f of r.files) out.print(out.c.dim(t.fileLine({ source: f.source, path: f.path, records: num(f.records), checksum: f.checksum })));
          out.print('');
          out.print('  ' + countsLine(out, r.counts));
          if (shown.perKind === undefined) renderChangeList(rt, shown.changes);
          else renderChanges(out, shown.changes, FIRST_PER_KIND, `basishub sync show ${run.id} --all`, shown.perKind);
          if (page) {
            const to = page.offset + shown.changes.length;
            const next = to < page.total ? `basishub sync show ${run.id} --offset ${to} --limit ${page.limit ?? page.total - to}` : null;
            out.info(out.e.dim(t.pageShown({ from: page.offset + 1, to, total: page.total, what: 'changes', next })));
          }
        });
      }),
    );
}

function runJson(r: RunRecord) {
  return {
    runId: r.id,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    actor: r.actor,
    dryRun: r.dryRun,
    status: r.status,
    planId: r.planId,
    forced: r.forced,
    approved: r.approved,
    stopReason: r.stopReason,
    counts: r.counts,
    files: r.files,
    reverts: r.reverts ?? null,
  };
}
