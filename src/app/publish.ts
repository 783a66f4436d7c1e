/**
 * `publish`: send each target the hub as it is now (R15), only what differs from what it acknowledged
 * (R16), and stop before sending anything when too many accounts would be deactivated or removed (R17).
 *
 * Because a publish reads the hub as it is, it can never send a deletion that a sync did not make: a
 * sync stopped by its safety limit changed nothing, so the accounts it would have deleted are still
 * active here, and are published as active.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BasishubError, usageError } from '../errors.js';
import { displayName } from '../model.js';
import { EVERY_ID, TargetStore } from '../store/targets.js';
import { CSV_FILE } from '../targets/csv.js';
import { describeFileAccount, fileAccountFingerprint } from '../targets/files.js';
import { HttpClient, type HttpOptions } from '../targets/http.js';
import { OutputSet } from '../targets/output.js';
import { defaultMaxDeactivations, mergePlans, planIdOf, planPublish, type PlannedAction, type PublishPlan } from '../targets/plan.js';
import { countGroups, describeScim, GroupCollector, groupChanges, ScimService, sendGroups, sendPlan, type Failure, type GroupCounts } from '../targets/scim.js';
import { fileWriter } from '../targets/writer.js';
import { emptyCounts, type AccountWriter, type AckedState, type HubAccount, type PublishCounts, type TargetConfig } from '../targets/types.js';
import type { AppContext } from './context.js';
import { planPart } from './publish-part.js';
import { planInParts, type SplitOptions } from './publish-split.js';
import { getTarget } from './target-lookup.js';
import { detail } from '../engine/describe.js';
import { t as tr } from '../i18n/index.js';

export interface PublishOptions {
  targets?: string[];
  dryRun?: boolean;
  maxDeactivations?: number;
  approve?: string;
  force?: boolean;
  /** Where SCIM tokens are read from (the environment). */
  env?: NodeJS.ProcessEnv;
  /** HTTP settings for tests and the bench (backoff, attempts). */
  http?: Partial<HttpOptions>;
  /** How a large file target is written in two threads at once (src/app/publish-split.ts; tests set it). */
  split?: SplitOptions;
}

export interface PublishChange {
  action: PlannedAction['action'];
  userId: number;
  detail: string;
}

export interface TargetResult {
  name: string;
  kind: TargetConfig['kind'];
  dryRun: boolean;
  status: 'completed' | 'stopped' | 'failed';
  counts: PublishCounts;
  failures: Failure[];
  /** Extensions: the plan and its limit, why it stopped, SCIM groups, requests sent, the changes. */
  planId: string;
  maxDeactivations: number;
  forced: boolean;
  approved: string | null;
  stopReason: string | null;
  groups?: GroupCounts;
  requests?: number;
  files?: string[];
  /** The first LISTED_CHANGES changes; `changesListed` of all the counts add up to. */
  changes: PublishChange[];
  changesListed: number;
}

export interface PublishResult {
  targets: TargetResult[];
}

/** At most this many changes are listed (with names) in a result; the counts are always complete. */
export const LISTED_CHANGES = 10_000;

function detailOf(p: PlannedAction): string {
  if (p.action === 'delete') return detail('publishErased', {});
  if (p.account === undefined) return '';
  const a = p.account;
  const who = `${displayName(a)}${a.email ? ` <${a.email}>` : ''}`;
  if (p.action === 'deactivate') return detail('publishDeactivate', { who });
  if (p.action === 'reactivate') return detail('publishReactivate', { who });
  return who;
}

function needsRelations(t: TargetConfig): boolean {
  return t.kind !== 'scim' || t.settings.groups === true;
}

export function describeFor(t: TargetConfig): (a: HubAccount) => string {
  return t.kind === 'scim' ? describeScim : describeFileAccount;
}

/**
 * The plan of one target, from one snapshot of the hub; with --groups, the groups too. Nothing is
 * written: a file target's files are written as it is planned again (planAndWrite).
 */
export function planTarget(ctx: AppContext, t: TargetConfig): { plan: PublishPlan; groups: GroupCollector | null } {
  const ts = new TargetStore(ctx.store);
  const today = ctx.clock.today();
  return ctx.store.db.transaction(() => {
    const groups = t.kind === 'scim' && t.settings.groups ? new GroupCollector() : null;
    // Planning a file target needs only the text of the relations.
    const feed = ts.accounts(today, !needsRelations(t) ? false : t.kind === 'scim' ? true : 'text');
    // A file target lists the first changes only, and gets its next acknowledged state as a snapshot.
    const files = t.kind !== 'scim';
    const plan = planPublish(feed, ts.states(t.name), describeFor(t), {
      keepAccounts: files ? LISTED_CHANGES : Infinity,
      target: t.name,
      snapshot: files,
      fingerprint: files ? fileAccountFingerprint : undefined,
      // Each account goes to the groups as the plan takes it (called, not a generator more per account).
      each: groups !== null ? (a: HubAccount) => groups.add(a) : undefined,
    });
    return { plan, groups };
  })();
}

interface OpenFiles {
  out: OutputSet;
  writer: AccountWriter;
  /** A file of the target was missing when the publish began: the files are put in place even if nothing changed. */
  missing: boolean;
}

function openFiles(t: TargetConfig, today: string, missing: boolean): OpenFiles {
  const out = new OutputSet(t.settings.output!);
  return { out, writer: fileWriter(t.kind as Exclude<TargetConfig['kind'], 'scim'>, out, today), missing };
}

interface Prepared {
  plan: PublishPlan;
  groups: GroupCollector | null;
  files: OpenFiles | null;
  error: Error | null;
}

/**
 * Plans a target; a file target (not in a dry run) writes its files to temporary ones meanwhile, from
 * the same snapshot of the hub. When the target acknowledged accounts before and its files are all in
 * place, a plan comes first (a hash per account, no file written): a night with nothing to send ends
 * there. A first publish, one with a file missing, or a night with changes plans again and writes in
 * that pass (planAndWrite): that plan is the one carried out, as it saw the hub the files show.
 */
async function planAndPrepare(ctx: AppContext, ts: TargetStore, t: TargetConfig, opts: PublishOptions): Promise<Prepared> {
  if (t.kind === 'scim' || opts.dryRun) return { ...planTarget(ctx, t), files: null, error: null };
  const today = ctx.clock.today();
  const missing = expectedFiles(t).some((f) => !fs.existsSync(f));
  let files: OpenFiles | null = null;
  try {
    // The target's lock is held: nothing is acknowledged for it meanwhile.
    if (!missing && ts.hasAcknowledged(t.name)) {
      const planned = planTarget(ctx, t);
      if (planned.plan.size === 0) return { ...planned, files: null, error: null };
    }
    files = openFiles(t, today, missing);
    return { ...(await planAndWrite(ctx, ts, t, files, opts)), files, error: null };
  } catch (err) {
    files?.out.abort();
    return { ...planTarget(ctx, t), files: null, error: err as Error };
  }
}

/**
 * Plans a file target and writes its accounts in one pass over the hub: in two parts at once for a
 * large hub (src/app/publish-split.ts), else as one part (src/app/publish-part.ts).
 */
async function planAndWrite(
  ctx: AppContext,
  ts: TargetStore,
  t: TargetConfig,
  files: OpenFiles,
  opts: PublishOptions,
): Promise<{ plan: PublishPlan; groups: null }> {
  const parts = await planInParts(ctx, ts, t, files, LISTED_CHANGES, opts.split);
  if (parts !== null) return { plan: parts.plan, groups: null };
  const today = ctx.clock.today();
  const whole = ctx.store.db.transaction(() => planPart(ts, t, today, EVERY_ID, LISTED_CHANGES, files.writer, ts.ackedIn(t.name)))();
  files.writer.finish();
  return { plan: mergePlans(t.name, [whole], LISTED_CHANGES), groups: null };
}

export async function publish(ctx: AppContext, opts: PublishOptions = {}): Promise<PublishResult> {
  const ts = new TargetStore(ctx.store);
  const all = ts.targets();
  if (all.length === 0) throw usageError(tr.publishNoTargets(), tr.addTargetHint());
  const chosen = opts.targets && opts.targets.length > 0 ? [...new Set(opts.targets)].map((n) => getTarget(ctx, n)) : all;
  const results: TargetResult[] = [];
  for (const t of chosen) results.push(await publishTarget(ctx, ts, t, opts));
  return { targets: results };
}

/** One publish per target at a time: the lock is taken before planning (a file target writes while it plans). */
async function publishTarget(ctx: AppContext, ts: TargetStore, t: TargetConfig, opts: PublishOptions): Promise<TargetResult> {
  const release = opts.dryRun ? () => {} : ts.lock(t.name, ctx.actor, ctx.clock.now());
  try {
    return await publishLocked(ctx, ts, t, opts);
  } finally {
    release();
    ctx.notify.progressDone();
  }
}

async function publishLocked(ctx: AppContext, ts: TargetStore, t: TargetConfig, opts: PublishOptions): Promise<TargetResult> {
  const dryRun = opts.dryRun ?? false;
  ctx.notify.progress(`planning ${t.name}`);
  const { plan, groups, files, error } = await planAndPrepare(ctx, ts, t, opts);
  const planId = planIdOf(t.name, plan);
  const maxDeactivations = opts.maxDeactivations ?? defaultMaxDeactivations(plan.activeAcked);
  const over = plan.removals > maxDeactivations;
  const approved = opts.approve !== undefined && opts.approve === planId ? planId : null;
  const forced = over && (opts.force ?? false);
  const result: TargetResult = {
    name: t.name,
    kind: t.kind,
    dryRun,
    status: 'completed',
    counts: { ...plan.counts },
    failures: [],
    planId,
    maxDeactivations,
    forced,
    approved,
    stopReason: null,
    changes: plan.actions.slice(0, LISTED_CHANGES).map((p) => ({ action: p.action, userId: p.accountId, detail: detailOf(p) })),
    changesListed: Math.min(plan.size, LISTED_CHANGES),
  };
  if (over && !forced && approved === null) {
    const reason = detail('publishStopReason', { removals: plan.removals, acked: plan.activeAcked, max: maxDeactivations });
    result.stopReason = opts.approve !== undefined ? detail('publishStopMismatch', { body: reason, approved: opts.approve, plan: planId }) : reason;
    files?.out.abort();
    if (dryRun) return result;
    result.status = 'stopped';
    result.counts = emptyCounts();
    ts.startRun({
      target: t.name,
      startedAt: ctx.clock.now(),
      actor: ctx.actor,
      planId,
      forced: false,
      approved: null,
      stopReason: result.stopReason,
      status: 'stopped',
      counts: plan.counts,
    });
    return result;
  }
  if (dryRun) {
    if (groups !== null) result.groups = countGroups(groupChanges(groups.all(), ts.groups(t.name), ts.activeRemoteIds(t.name)));
    return result;
  }
  const runId = ts.startRun({
    target: t.name,
    startedAt: ctx.clock.now(),
    actor: ctx.actor,
    planId,
    forced,
    approved,
    stopReason: over ? detail('publishLifted', { how: forced ? '--force' : `--approve ${approved}` }) : null,
    status: 'running',
    counts: {},
  });
  try {
    if (error !== null) throw error;
    if (t.kind === 'scim') await sendScim(ctx, ts, t, plan, groups, opts, result);
    else writeFiles(ctx, ts, t, plan, files, result);
  } catch (err) {
    files?.out.abort();
    result.status = 'failed';
    result.counts.failed = plan.size;
    for (const k of ['created', 'updated', 'deactivated', 'reactivated', 'deleted'] as const) result.counts[k] = 0;
    result.failures.push({ userId: null, message: (err as Error).message });
  } finally {
    ts.finishRun(runId, { finishedAt: ctx.clock.now(), status: result.status, counts: result.counts, failures: result.failures });
  }
  return result;
}

async function sendScim(
  ctx: AppContext,
  ts: TargetStore,
  t: TargetConfig,
  plan: PublishPlan,
  groups: GroupCollector | null,
  opts: PublishOptions,
  result: TargetResult,
): Promise<void> {
  const env = opts.env ?? process.env;
  const token = env[t.settings.tokenEnv!];
  if (!token) throw new Error(detail('publishNoToken', { env: t.settings.tokenEnv! }));
  if (plan.size === 0 && groups === null) return;
  const concurrency = t.settings.concurrency ?? 4;
  const http = new HttpClient(t.settings.url!, { token, timeoutMs: (t.settings.timeout ?? 30) * 1000, concurrency, ...opts.http });
  const service = new ScimService(http);
  const rows: AckedState[] = [];
  const gone: number[] = [];
  const flush = () => {
    ts.ack(t.name, rows.splice(0), gone.splice(0));
  };
  try {
    const sent = await sendPlan(service, plan.actions, {
      concurrency,
      now: () => ctx.clock.now(),
      ack: (state, goneId) => {
        if (state !== null) rows.push(state);
        if (goneId !== null) gone.push(goneId);
        if (rows.length + gone.length >= 25) flush();
      },
      flush,
      onDone: (n) => ctx.notify.progress(`publishing to ${t.name}`, n),
    });
    result.counts = { ...sent.counts, unchanged: plan.counts.unchanged };
    result.failures = sent.failures;
    if (groups !== null) {
      const g = await sendGroups(service, groupChanges(groups.all(), ts.groups(t.name), ts.activeRemoteIds(t.name)), {
        concurrency,
        ack: (key, id, hash) => ts.ackGroup(t.name, key, id, hash, ctx.clock.now()),
        forget: (key) => ts.forgetGroup(t.name, key),
      });
      result.groups = g.counts;
      result.failures.push(...g.failures);
    }
    result.status = result.failures.length > 0 ? 'failed' : 'completed';
  } finally {
    flush();
    result.requests = http.requests;
    http.close();
  }
}

/** The files a file target consists of (to tell whether they are all in place). */
function expectedFiles(t: TargetConfig): string[] {
  const out = t.settings.output!;
  if (/\.zip$/i.test(out)) return [out];
  const names =
    t.kind === 'csv'
      ? [CSV_FILE]
      : t.kind === 'sds-v2.1'
        ? ['users.csv', 'orgs.csv', 'roles.csv', 'classes.csv', 'enrollments.csv']
        : ['manifest.csv', 'users.csv', 'orgs.csv'];
  return names.map((n) => path.join(out, n));
}

/**
 * Puts a file target's files in place when anything differs or a file was missing (they were written
 * to temporary files while planning, from the same snapshot of the hub); then stores what the target
 * holds as its acknowledged snapshot, in one statement. When nothing differs, nothing was written and
 * the target gets nothing.
 */
function writeFiles(ctx: AppContext, ts: TargetStore, t: TargetConfig, plan: PublishPlan, files: OpenFiles | null, result: TargetResult): void {
  if (files === null) return;
  if (plan.size === 0 && !files.missing) {
    files.out.abort();
    return;
  }
  try {
    result.files = files.out.commit(new Date(ctx.clock.now()));
  } catch (err) {
    throw err instanceof BasishubError ? err : new BasishubError('TARGET_FAILED', `Could not write ${t.settings.output}: ${(err as Error).message}`);
  }
  // What the target holds now, in one piece (R16): nothing differed, so nothing new was acknowledged.
  if (plan.size > 0) ts.saveSnapshot(t.name, plan.next!, ctx.clock.now());
}
