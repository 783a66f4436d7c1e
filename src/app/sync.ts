/**
 * `sync run`: read every source's export, plan (src/engine/plan.ts), check the safety limits, and apply
 * the plan in one transaction (docs/rules.md R1–R5, R11, R12, R14; the command-line contract,
 * "Safety defaults").
 */
import { t } from '../i18n/index.js';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { BasishubError, invalidExport, usageError } from '../errors.js';
import { msg } from '../i18n/message.js';
import { planSync, type Plan } from '../engine/plan.js';
import { detail } from '../engine/describe.js';
import type { Change, Counts, EngineSource } from '../engine/types.js';
import type { SourceConfig } from '../model.js';
import type { Role } from '../sources/record.js';
import { readExport } from '../sources/index.js';
import type { ReadExport } from '../sources/collect.js';
import { PlanWriter, type AppliedChange } from '../store/apply.js';
import { StoreHubView } from '../store/hubview.js';
import { withScatteredCache } from '../store/cache.js';
import { acquireSyncLock } from '../store/lock.js';
import { integrityProblems, quickCheckInBackground, type BackgroundCheck } from '../store/check.js';
import { hubDamagedError } from '../store/failures.js';
import type { RunFile, Store } from '../store/store.js';
import type { AppContext } from './context.js';
import { changesSinceSync, readerSettings, settingsSnapshot } from './sources.js';
import { presyncBackup, type PreSyncBackup } from './backup.js';
import { runChanges } from './trail.js';

export interface SyncOptions {
  dryRun?: boolean;
  /** source name -> export path, for this run only. */
  overrides?: Record<string, string>;
  maxDeletes?: number;
  allowEmpty?: string[];
  /** Sources whose CSV files may end without a line break after the last row (else taken as cut off). */
  acceptUnterminated?: string[];
  approve?: string;
  force?: boolean;
  /** A copy of the hub before the run writes, and how many such copies to keep (src/app/backup.ts). */
  backup?: { dir: string; keep: number } | null;
}

export interface SyncResult {
  runId: number | null;
  dryRun: boolean;
  status: 'completed' | 'stopped';
  planId: string;
  counts: Counts;
  files: RunFile[];
  forced: boolean;
  approved: string | null;
  maxDeletes: number;
  deletesBySource: Record<string, number>;
  /**
   * The safety stops this plan meets (English, as the history stores them), or null: a dry run with one
   * would stop, a completed run with one was forced or approved past it.
   */
  stopReason: string | null;
  /** A dry run that would stop: the reasons in the reader's language and the command that approves the plan. */
  wouldStop: { reasons: string; approve: string } | null;
  /**
   * Settings changes since the last applied sync ("priority of hr changed from 5 to 50"): their
   * sources' accounts were evaluated again, and each change they caused says so.
   */
  settingsChanged: string[];
  /** The copy made before the run wrote (with --backup-dir or the hub's backup-dir setting). */
  backup: PreSyncBackup | null;
  /** How many times the sync planned again because another command changed the hub while it planned. */
  replanned: number;
  /** The run's changes, read lazily (a first sync may have a million). */
  changes(): Iterable<AppliedChange>;
}

const DEFAULT_ROLE: Record<SourceConfig['kind'], Role> = { hr: 'staff', las: 'student', basispoort: '', other: '' };

/** From this many new accounts on (and at least as many as the hub holds), a sync loads in bulk. */
export const BULK_LOAD_MIN = 50_000;

/** The default deletion limit: the larger of 10 and 10% of the active source-linked accounts. */
export function defaultMaxDeletes(activeLinked: number): number {
  return Math.max(10, Math.floor(activeLinked / 10));
}

/** A source whose record count fell by more than 20% and by more than 10 records since the last completed run. */
export function sourceDrop(previous: number, current: number): boolean {
  const drop = previous - current;
  return drop > 10 && drop > previous * 0.2;
}

function toOutput(c: Change, userId: number | null): AppliedChange {
  return { action: c.action, userId, source: c.source, externalId: c.externalId, detail: c.detail };
}

function* planChanges(plan: Plan): IterableIterator<AppliedChange> {
  for (const p of plan.existing) for (const c of p.changes) yield toOutput(c, p.key);
  for (const c of plan.conflicts) yield toOutput(c, null);
  for (const p of plan.creates()) for (const c of p.changes) yield toOutput(c, null);
}

export function computePlanId(files: RunFile[], revision: number, today: string, plan: Plan): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ files: files.map((f) => [f.source, f.checksum]), revision, today, counts: plan.counts }));
  for (const p of plan.existing) for (const c of p.changes) h.update(`\n${c.action}|${p.key}|${c.source ?? ''}|${c.externalId ?? ''}`);
  for (const c of plan.conflicts) h.update(`\n${c.action}||${c.source ?? ''}|${c.externalId ?? ''}`);
  return h.digest('hex').slice(0, 16);
}

async function readAll(ctx: AppContext, sources: SourceConfig[], opts: SyncOptions): Promise<{ source: SourceConfig; read: ReadExport; path: string }[]> {
  const out: { source: SourceConfig; read: ReadExport; path: string }[] = [];
  for (const source of sources) {
    const path = opts.overrides?.[source.name] ?? source.file;
    ctx.notify.progress(t.phaseReading({ source: source.name }), 0);
    const read = await readExport(path, readerSettings(source), {
      onProgress: (n) => ctx.notify.progress(t.phaseReading({ source: source.name }), n),
      acceptUnterminated: (opts.acceptUnterminated ?? []).includes(source.name),
    });
    if (read.records.size === 0 && !read.info.partial && !(opts.allowEmpty ?? []).includes(source.name)) {
      throw invalidExport(path, null, msg('readNoRecords', { source: source.name }), msg('readNoRecordsHint', { source: source.name }));
    }
    out.push({ source, read, path });
  }
  return out;
}

/** Quotes a path for a POSIX shell where it needs it. */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that approves a stopped plan: with the same --source overrides and --allow-empty as the
 * run that stopped, since the plan id covers the files it read.
 */
export function approveCommand(opts: Pick<SyncOptions, 'overrides' | 'allowEmpty'>, planId: string): string {
  const words = ['basishub', 'sync', 'run'];
  for (const [name, file] of Object.entries(opts.overrides ?? {})) words.push('--source', shellWord(`${name}=${file}`));
  for (const name of opts.allowEmpty ?? []) words.push('--allow-empty', shellWord(name));
  words.push('--approve', planId);
  return words.join(' ');
}

/** The same for a stopped run as the history holds it: overrides are the files other than the sources' own. */
export function approveCommandFor(store: Store, files: RunFile[], planId: string): string {
  const overrides: Record<string, string> = {};
  const allowEmpty: string[] = [];
  for (const f of files) {
    const configured = store.source(f.source)?.file;
    if (configured !== undefined && path.resolve(configured) !== path.resolve(f.path)) overrides[f.source] = f.path;
    if (f.records === 0) allowEmpty.push(f.source);
  }
  return approveCommand({ overrides, allowEmpty }, planId);
}

/**
 * How many times a sync plans outside the write transaction before it plans inside it. Planning outside
 * lets other commands write while a large sync plans (they wait only while it writes); a command that
 * commits meanwhile moves the hub's revision, and the sync plans again on what it wrote. After this many
 * plans overtaken by other writes, the sync takes the write lock first and plans under it, so it always
 * finishes (other commands then wait for the planning too, within their busy timeout).
 */
export const OPTIMISTIC_PLANS = 3;

interface RunInput {
  ctx: AppContext;
  sources: SourceConfig[];
  engineSources: EngineSource[];
  files: RunFile[];
  opts: SyncOptions;
  startedAt: string;
  today: string;
  /** Per source, its settings changes since the last applied sync (see SyncResult.settingsChanged). */
  settingsChanged: Map<string, string[]>;
}

interface Planned {
  plan: Plan;
  /** The hub's revision (the last audit id) the plan was made on: every change writes an audit entry. */
  revision: number;
  planId: string;
  maxDeletes: number;
  /** Why it stops, in English: for the history and --json (`reasons`). */
  stops: string[];
  /** The same, for people in their language. */
  stopsSaid: string[];
  forced: boolean;
  approved: string | null;
}

export async function runSync(ctx: AppContext, opts: SyncOptions = {}): Promise<SyncResult> {
  const { store, clock } = ctx;
  const sources = store.sources();
  if (sources.length === 0) {
    throw usageError(t.noSources(), t.noSourcesHint());
  }
  const known = new Set(sources.map((s) => s.name));
  for (const name of [...Object.keys(opts.overrides ?? {}), ...(opts.allowEmpty ?? []), ...(opts.acceptUnterminated ?? [])]) {
    if (!known.has(name)) throw new BasishubError('NOT_FOUND', t.noSource({ name }), { hint: t.theSourcesAre({ names: [...known].join(', ') }) });
  }
  const startedAt = clock.now();
  const today = clock.today();
  const dryRun = opts.dryRun ?? false;
  const release = dryRun ? () => {} : acquireSyncLock(store, ctx.actor, startedAt);
  // A damaged hub stops a sync before it writes: SQLite's quick check runs beside the reading.
  const check = dryRun ? null : quickCheckInBackground(ctx.dbPath);
  try {
    await check?.started; // (its start undoes the heap tuning: see BackgroundCheck)
    const exports = await readAll(ctx, sources, opts);
    const files: RunFile[] = exports.map((e) => ({
      source: e.source.name,
      path: e.path,
      checksum: e.read.info.checksum,
      records: e.read.records.size,
      rows: e.read.records.rows,
    }));
    const settingsChanged = new Map(sources.map((s) => [s.name, changesSinceSync(ctx, s)]));
    const engineSources: EngineSource[] = exports.map((e) => ({
      name: e.source.name,
      priority: e.source.priority,
      match: e.source.match,
      defaultRole: DEFAULT_ROLE[e.source.kind],
      graceDays: e.source.graceDays,
      partial: e.read.info.partial,
      records: e.read.records,
      settingsChanged: settingsChanged.get(e.source.name)!,
    }));
    const input: RunInput = { ctx, sources, engineSources, files, opts, startedAt, today, settingsChanged };
    if (dryRun) {
      // One read transaction: the plan, and the revision it is based on, see one snapshot of the hub.
      const p = store.db.transaction(() => planOn(input))();
      ctx.notify.progressDone();
      return resultOf(input, p, null, 0, null);
    }
    await checkBeforeWriting(ctx, check!);
    const backup = opts.backup ? await presyncBackup(ctx, opts.backup) : null;
    for (let attempt = 1; ; attempt++) {
      const underLock = attempt > OPTIMISTIC_PLANS;
      const planned = underLock ? null : store.db.transaction(() => planOn(input))();
      ctx.notify.progress(t.phaseWriting());
      const outcome = writeRun(input, planned);
      if (outcome === 'moved') {
        ctx.notify.progress(t.phaseReplanning());
        continue;
      }
      ctx.notify.progressDone();
      if (outcome.stopped) throw safetyStop(outcome.runId, outcome.planned, opts);
      return resultOf(input, outcome.planned, outcome.runId, attempt - 1, backup);
    }
  } finally {
    await check?.stop(); // its connection closed before the sync returns: nothing holds the hub after it
    release();
  }
}

/** Plans on the hub as the current transaction sees it, and decides the safety limits. */
function planOn(input: RunInput): Planned {
  const { ctx, sources, engineSources, files, opts, startedAt, today } = input;
  const { store } = ctx;
  ctx.notify.progress(t.phasePlanning());
  if (JSON.stringify(store.sources()) !== JSON.stringify(sources)) {
    // The exports were read with the settings of then; a plan on the sources of now would mix the two.
    throw new BasishubError('USAGE', t.sourcesChangedMeanwhile(), {
      hint: t.sourcesChangedMeanwhileHint(),
    });
  }
  const hub = new StoreHubView(
    store,
    sources.map((s) => s.name),
  );
  const plan = withScatteredCache(store.db, () => planSync({ sources: engineSources, hub, today, now: startedAt }));
  const revision = store.revision();
  const planId = computePlanId(files, revision, today, plan);
  const explicitLimit = opts.maxDeletes !== undefined;
  const maxDeletes = opts.maxDeletes ?? defaultMaxDeletes(hub.activeLinkedAccountCount());
  const stops: string[] = [];
  const stopsSaid: string[] = [];
  if (plan.counts.deleted > maxDeletes) {
    const per = Object.entries(plan.deletesBySource).map(([source, n]) => detail('syncStopPer', { n, source }));
    stops.push(detail('syncStopDeletes', { n: plan.counts.deleted, per: per.join(', '), max: maxDeletes }));
    stopsSaid.push(t.stopDeletes({ n: plan.counts.deleted, per: Object.entries(plan.deletesBySource).map(([source, n]) => ({ source, n })), max: maxDeletes }));
  }
  if (!explicitLimit) {
    const last = store.lastCompletedRun();
    for (const f of files) {
      const before = last?.files.find((p) => p.source === f.source);
      if (before !== undefined && sourceDrop(before.records, f.records)) {
        stops.push(detail('syncStopDrop', { source: f.source, before: before.records, after: f.records, run: last!.id }));
        stopsSaid.push(t.stopDrop({ source: f.source, before: before.records, after: f.records, runId: last!.id }));
      }
    }
  }
  const forced = (opts.force ?? false) && stops.length > 0;
  if (opts.approve !== undefined && opts.approve !== planId) {
    throw new BasishubError('SAFETY_STOP', t.planMismatch({ approved: opts.approve, plan: planId }), {
      hint: t.planMismatchHint(),
      details: { planId, approved: opts.approve },
    });
  }
  return { plan, revision, planId, maxDeletes, stops, stopsSaid, forced, approved: opts.approve ?? null };
}

/**
 * A damaged hub stops a sync before it writes: SQLite's quick check (every page and record, not the
 * indexes' content; 0.1–0.25 s for a hub of 100,000 accounts), run in a worker thread while the exports
 * were read, so that it costs the night no time; here, if that could not run.
 */
async function checkBeforeWriting(ctx: AppContext, check: BackgroundCheck): Promise<void> {
  ctx.notify.progress(t.phaseChecking());
  const problems = (await check.result) ?? integrityProblems(ctx.store.db, true);
  if (problems.length > 0) {
    throw hubDamagedError(ctx.dbPath, `${problems.map((p) => p.message).join('; ')}. This sync changed nothing`);
  }
}

type WriteOutcome = 'moved' | { stopped: boolean; runId: number; planned: Planned };

/**
 * The write transaction of a run: it applies only to the hub it planned on. With a plan made before
 * (`planned`), it first compares the hub's revision: when another command committed since, nothing is
 * written and the caller plans again. Without one, it plans here, under the write lock.
 */
function writeRun(input: RunInput, planned: Planned | null): WriteOutcome {
  const { ctx } = input;
  const { store } = ctx;
  const stoppedRun = (p: Planned): WriteOutcome => ({ stopped: true, runId: recordStop(input, p), planned: p });
  if (planned !== null && planned.stops.length > 0 && !planned.forced && planned.approved === null) {
    return store.transaction(() => (store.revision() !== planned.revision ? 'moved' : stoppedRun(planned)));
  }
  // A bulk load (a first sync, a new large source) rebuilds the indexes once; into an empty hub it runs
  // with a rollback journal rather than the WAL (Store.withRollbackJournal). Only with a plan made before.
  const accounts = planned === null ? 0 : store.accountCount();
  const bulk = planned !== null && planned.plan.newAccounts >= BULK_LOAD_MIN && planned.plan.newAccounts >= accounts;
  const write = (): WriteOutcome =>
    store.transaction(() => {
      if (planned !== null && store.revision() !== planned.revision) return 'moved';
      const p = planned ?? planOn(input);
      if (p.stops.length > 0 && !p.forced && p.approved === null) return stoppedRun(p);
      return { stopped: false, runId: applyPlan(ctx, p, bulk, input), planned: p };
    });
  if (bulk) return accounts === 0 ? store.withRollbackJournal(write) : write();
  return withScatteredCache(store.db, write);
}

function recordStop(input: RunInput, p: Planned): number {
  const { ctx, startedAt, files } = input;
  const { store, clock } = ctx;
  const id = store.insertRun({
    startedAt,
    finishedAt: clock.now(),
    actor: ctx.actor,
    dryRun: false,
    status: 'stopped',
    planId: p.planId,
    forced: false,
    approved: null,
    stopReason: p.stops.join('; '),
    counts: p.plan.counts,
    files,
  });
  store.savePlannedChanges(id, planChanges(p.plan));
  return id;
}

function safetyStop(runId: number, p: Planned, opts: SyncOptions): BasishubError {
  return new BasishubError('SAFETY_STOP', t.syncStopped({ reasons: p.stopsSaid.join('; ') }), {
    hint: t.syncStoppedHint({ runId, approve: approveCommand(opts, p.planId) }),
    details: { runId, planId: p.planId, counts: p.plan.counts, maxDeletes: p.maxDeletes, deletesBySource: p.plan.deletesBySource, reasons: p.stops },
  });
}

function resultOf(input: RunInput, p: Planned, runId: number | null, replanned: number, backup: PreSyncBackup | null): SyncResult {
  const { store } = input.ctx;
  return {
    runId,
    dryRun: runId === null,
    status: 'completed',
    planId: p.planId,
    counts: p.plan.counts,
    files: input.files,
    forced: p.forced,
    approved: p.approved,
    maxDeletes: p.maxDeletes,
    deletesBySource: p.plan.deletesBySource,
    stopReason: p.stops.length > 0 ? p.stops.join('; ') : null,
    wouldStop:
      runId === null && p.stops.length > 0 && !p.forced && p.approved === null
        ? { reasons: p.stopsSaid.join('; '), approve: approveCommand(input.opts, p.planId) }
        : null,
    settingsChanged: [...input.settingsChanged.values()].flat(),
    backup,
    replanned,
    changes: () => (runId === null ? planChanges(p.plan) : runChanges(store, runId)),
  };
}

/** Writes the run and its plan; the caller holds the write transaction (R1: all of a sync or nothing). */
function applyPlan(ctx: AppContext, p: Planned, bulk: boolean, input: RunInput): number {
  const { store, clock } = ctx;
  const { plan } = p;
  const runId = store.insertRun({
    startedAt: input.startedAt,
    finishedAt: null,
    actor: ctx.actor,
    dryRun: false,
    status: 'completed',
    planId: p.planId,
    forced: p.forced,
    approved: p.approved,
    stopReason: p.forced || p.approved ? `lifted (${p.forced ? '--force' : `--approve ${p.approved}`}): ${p.stops.join('; ')}` : null,
    counts: plan.counts,
    files: input.files,
  });
  const auditAfter = store.revision();
  const writer = new PlanWriter(store, runId, ctx.actor, input.startedAt);
  let done = 0;
  const progress = () => {
    if (++done % 10000 === 0) ctx.notify.progress(t.phaseApplying(), done);
  };
  ctx.notify.progress(t.phaseApplying());
  const restoreSearchTriggers = plan.existing.length > 0 || plan.newAccounts > 0 ? writer.writeSearchRowsOnce() : () => {};
  writer.applyExisting(plan.existing, progress);
  for (const c of plan.conflicts) writer.audit(c, null);
  // After the existing accounts: their undo snapshots look up links by account (src/store/undo.ts).
  const rebuildIndexes = bulk ? store.suspendIndexes({ searchRowsWritten: true }) : null;
  // Without the search triggers (suspended), the writer writes each new account's search row itself.
  if (rebuildIndexes !== null) writer.writeSearchRows();
  for (const a of plan.creates()) {
    writer.apply(a);
    progress();
  }
  if (rebuildIndexes !== null) {
    writer.finishSearchRows();
    ctx.notify.progress(t.phaseIndexing());
    rebuildIndexes();
  }
  restoreSearchTriggers();
  store.foldSearchIndex(); // the search rows this run's triggers wrote (src/store/search-index.ts)
  // The settings this run applied: the next one evaluates again only what changes after it.
  for (const s of input.sources) {
    const snapshot = settingsSnapshot(s);
    if (store.syncedSettings(s.name) !== snapshot) store.setSyncedSettings(s.name, snapshot);
  }
  store.finishRun(runId, { finishedAt: clock.now(), counts: plan.counts, planId: p.planId, auditAfter });
  return runId;
}
