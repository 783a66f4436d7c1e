/**
 * `sync run`: read every source's export, plan (src/engine/plan.ts), check the safety limits, and apply
 * the plan in one transaction (docs/rules.md R1–R5, R11, R12, R14; the command-line contract,
 * "Safety defaults").
 */
import { t } from '../i18n/index.js';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { BasishubError, invalidExport, usageError } from '../errors.js';
import { detailOf } from '../engine/describe.js';
import { planSync, type Plan } from '../engine/plan.js';
import type { AccountPlan, Change, Counts, EngineSource } from '../engine/types.js';
import type { SourceConfig } from '../model.js';
import type { Role } from '../sources/record.js';
import { readExport } from '../sources/index.js';
import type { ReadExport } from '../sources/collect.js';
import { PlanWriter, type AppliedChange } from '../store/apply.js';
import { StoreHubView } from '../store/hubview.js';
import { acquireSyncLock } from '../store/lock.js';
import type { RunFile, Store } from '../store/store.js';
import type { AppContext } from './context.js';
import { changesSinceSync, readerSettings, settingsSnapshot } from './sources.js';
import { presyncBackup, type PreSyncBackup } from './backup.js';

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
   * Settings changes since the last applied sync ("priority of hr changed from 5 to 50"): their
   * sources' accounts were evaluated again, and each change they caused says so.
   */
  settingsChanged: string[];
  /** The copy made before the run wrote (with --backup-dir or the hub's backup-dir setting). */
  backup: PreSyncBackup | null;
  /** The run's changes, read lazily (a first sync may have a million). */
  changes(): Iterable<AppliedChange>;
}

const DEFAULT_ROLE: Record<SourceConfig['kind'], Role> = { hr: 'staff', las: 'student', basispoort: '', other: '' };

/** From this many new accounts on (and at least as many as the hub holds), a sync loads in bulk. */
const BULK_LOAD_MIN = 50_000;

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
  return { action: c.action, userId, source: c.source, externalId: c.externalId, detail: detailOf(c) };
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
      throw invalidExport(
        path,
        null,
        `the export of source "${source.name}" holds no records`,
        `An empty export would delete every account of this source; nothing was changed. If it really is empty, run again with --allow-empty ${source.name}.`,
      );
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
  try {
    const exports = await readAll(ctx, sources, opts);
    const files: RunFile[] = exports.map((e) => ({
      source: e.source.name,
      path: e.path,
      checksum: e.read.info.checksum,
      records: e.read.records.size,
      rows: e.read.records.rows,
    }));

    ctx.notify.progress(t.phasePlanning());
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
    // One read transaction: the plan, and the revision it is based on, see one snapshot of the hub.
    const { hub, plan, revision } = store.db.transaction(() => {
      const view = new StoreHubView(store, sources.map((s) => s.name));
      return { hub: view, plan: planSync({ sources: engineSources, hub: view, today, now: startedAt }), revision: store.revision() };
    })();
    const planId = computePlanId(files, revision, today, plan);

    // Safety: the deletion limit and the health of each source.
    const explicitLimit = opts.maxDeletes !== undefined;
    const maxDeletes = opts.maxDeletes ?? defaultMaxDeletes(hub.activeLinkedAccountCount());
    // Why it stops: in English for the history and --json (`reasons`), and for people in their language.
    const stops: string[] = [];
    const stopsSaid: string[] = [];
    if (plan.counts.deleted > maxDeletes) {
      const per = Object.entries(plan.deletesBySource).map(([s, n]) => `${n} linked to ${s}`);
      stops.push(`it would delete ${plan.counts.deleted} accounts (${per.join(', ')}), more than the limit of ${maxDeletes}`);
      stopsSaid.push(t.stopDeletes({ n: plan.counts.deleted, per: Object.entries(plan.deletesBySource).map(([source, n]) => ({ source, n })), max: maxDeletes }));
    }
    if (!explicitLimit) {
      const last = store.lastCompletedRun();
      for (const f of files) {
        const before = last?.files.find((p) => p.source === f.source);
        if (before !== undefined && sourceDrop(before.records, f.records)) {
          stops.push(`source ${f.source} fell from ${before.records} to ${f.records} records since run ${last!.id}`);
          stopsSaid.push(t.stopDrop({ source: f.source, before: before.records, after: f.records, runId: last!.id }));
        }
      }
    }
    const forced = (opts.force ?? false) && stops.length > 0;
    if (opts.approve !== undefined && opts.approve !== planId) {
      throw new BasishubError(
        'SAFETY_STOP',
        t.planMismatch({ approved: opts.approve, plan: planId }),
        { hint: t.planMismatchHint(), details: { planId, approved: opts.approve } },
      );
    }
    const approved = opts.approve ?? null;

    if (stops.length > 0 && !forced && approved === null && !dryRun) {
      const runId = store.transaction(() => {
        const id = store.insertRun({
          startedAt,
          finishedAt: clock.now(),
          actor: ctx.actor,
          dryRun: false,
          status: 'stopped',
          planId,
          forced: false,
          approved: null,
          stopReason: stops.join('; '),
          counts: plan.counts,
          files,
        });
        store.savePlannedChanges(id, (function* () {
          for (const c of planChanges(plan)) yield { action: c.action, accountId: c.userId, source: c.source, externalId: c.externalId, detail: c.detail };
        })());
        return id;
      });
      ctx.notify.progressDone();
      throw new BasishubError('SAFETY_STOP', t.syncStopped({ reasons: stopsSaid.join('; ') }), {
        hint: t.syncStoppedHint({ runId, approve: approveCommand(opts, planId) }),
        details: { runId, planId, counts: plan.counts, maxDeletes, deletesBySource: plan.deletesBySource, reasons: stops },
      });
    }

    // A dry run shows the plan; a real run applies it and reads its changes back from the audit trail.
    const backup = !dryRun && opts.backup ? await presyncBackup(ctx, opts.backup) : null;
    const runId = dryRun ? null : applyPlan(ctx, plan, { startedAt, files, planId, forced, approved, stops, sources });
    ctx.notify.progressDone();
    return {
      runId,
      dryRun,
      status: 'completed',
      planId,
      counts: plan.counts,
      files,
      forced,
      approved,
      maxDeletes,
      deletesBySource: plan.deletesBySource,
      settingsChanged: [...settingsChanged.values()].flat(),
      backup,
      changes: () => (runId === null ? planChanges(plan) : store.runChanges(runId)),
    };
  } finally {
    release();
  }
}

function applyPlan(
  ctx: AppContext,
  plan: Plan,
  run: { startedAt: string; files: RunFile[]; planId: string; forced: boolean; approved: string | null; stops: string[]; sources: SourceConfig[] },
): number {
  const { store, clock } = ctx;
  // A bulk load (a first sync, a new large source): rebuild the indexes once instead of updating them a
  // million times. Same transaction, so a crash leaves the old indexes in place. Into an empty hub, with
  // a rollback journal rather than the WAL (Store.withRollbackJournal).
  const accounts = store.accountCount();
  const bulk = plan.newAccounts >= BULK_LOAD_MIN && plan.newAccounts >= accounts;
  const write = (): number =>
    store.transaction(() => {
      const runId = store.insertRun({
        startedAt: run.startedAt,
        finishedAt: null,
        actor: ctx.actor,
        dryRun: false,
        status: 'completed',
        planId: run.planId,
        forced: run.forced,
        approved: run.approved,
        stopReason: run.forced || run.approved ? `lifted (${run.forced ? '--force' : `--approve ${run.approved}`}): ${run.stops.join('; ')}` : null,
        counts: plan.counts,
        files: run.files,
      });
      const auditAfter = store.revision();
      const writer = new PlanWriter(store, runId, ctx.actor, run.startedAt);
      let done = 0;
      const step = (p: AccountPlan) => {
        writer.apply(p);
        if (++done % 10000 === 0) ctx.notify.progress(t.phaseApplying(), done);
      };
      for (const p of plan.existing) step(p);
      for (const c of plan.conflicts) writer.audit(c, null);
      // After the existing accounts: their undo snapshots look up links by account (src/store/undo.ts).
      const rebuildIndexes = bulk ? store.suspendIndexes() : null;
      for (const p of plan.creates()) step(p);
      if (rebuildIndexes !== null) {
        ctx.notify.progress(t.phaseIndexing());
        rebuildIndexes();
      }
      // The settings this run applied: the next one evaluates again only what changes after it.
      for (const s of run.sources) {
        const snapshot = settingsSnapshot(s);
        if (store.syncedSettings(s.name) !== snapshot) store.setSyncedSettings(s.name, snapshot);
      }
      store.finishRun(runId, { finishedAt: clock.now(), counts: plan.counts, planId: run.planId, auditAfter });
      return runId;
    });
  return bulk && accounts === 0 ? store.withRollbackJournal(write) : write();
}
