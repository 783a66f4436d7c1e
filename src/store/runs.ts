/**
 * The `runs` table (sync runs and reverts: when, who, the files read, the counts, why a run stopped) and
 * `planned_changes` (what a stopped run would have done, for `sync show`). A completed run's changes
 * are its audit entries (schema v2: the run keeps their id range).
 */
import type { AppliedChange } from './apply.js';
import { RUN_RANGE, revisionOf } from './audit.js';
import { Queries, readAll, readOne, rowCodec } from './rows.js';

export interface RunFile {
  source: string;
  path: string;
  checksum: string;
  records: number;
  rows: number;
}

export interface RunRecord {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  actor: string;
  dryRun: boolean;
  status: 'completed' | 'stopped';
  planId: string | null;
  forced: boolean;
  approved: string | null;
  stopReason: string | null;
  counts: Record<string, number>;
  files: RunFile[];
  /** The run that this run reverted (`sync revert`, schema v4); null for a sync. */
  reverts?: number | null;
}

export const runCodec = rowCodec<RunRecord>(
  'id:int started_at finished_at:? actor dry_run:bool status plan_id:? forced:bool approved:? stop_reason:? counts:json files:json reverts:int?',
);

/** A change of a run as stored: a create kept as its record has `record` set and an empty detail (audit.ts). */
export interface StoredChange extends AppliedChange {
  record: string | null;
}

/** The row of `planned_changes` (its run and place in the plan aside). */
export const plannedChangeCodec = rowCodec<AppliedChange>('action userId=account_id:int? source:? external_id:? detail');

export class RunQueries extends Queries {
  insertRun(r: Omit<RunRecord, 'id'>): number {
    const row = runCodec.write({ ...r, id: 0, reverts: r.reverts ?? null });
    const sql = `INSERT INTO runs (started_at, finished_at, actor, dry_run, status, plan_id, forced, approved, stop_reason, counts, files, reverts)
      VALUES (@started_at, @finished_at, @actor, @dry_run, @status, @plan_id, @forced, @approved, @stop_reason, @counts, @files, @reverts)`;
    return Number(this.db.prepare(sql).run(row).lastInsertRowid);
  }

  /**
   * Ends a run. `auditAfter`: the revision before the run wrote its first audit entry; every entry
   * after it is the run's, because a sync writes them in one transaction.
   */
  finishRun(id: number, patch: { finishedAt: string; counts: Record<string, number>; planId: string | null; auditAfter: number }): void {
    const last = revisionOf(this.db);
    const wrote = last > patch.auditAfter;
    this.db
      .prepare('UPDATE runs SET finished_at = ?, counts = ?, plan_id = ?, first_audit = ?, last_audit = ? WHERE id = ?')
      .run(patch.finishedAt, JSON.stringify(patch.counts), patch.planId, wrote ? patch.auditAfter + 1 : null, wrote ? last : null, id);
  }

  /** Marks run `id` as the revert of run `reverted` (schema v4). */
  markRevert(id: number, reverted: number): void {
    this.db.prepare('UPDATE runs SET reverts = ? WHERE id = ?').run(reverted, id);
  }

  /** The id of a run's last audit entry; null when it wrote none (or predates schema v2). */
  lastAuditOfRun(id: number): number | null {
    return (this.db.prepare('SELECT last_audit FROM runs WHERE id = ?').pluck().get(id) as number | null | undefined) ?? null;
  }

  run(id: number): RunRecord | undefined {
    return readOne(this.db, runCodec.read, 'SELECT * FROM runs WHERE id = ?', id);
  }

  runs(limit: number): RunRecord[] {
    return readAll(this.db, runCodec.read, 'SELECT * FROM runs ORDER BY id DESC LIMIT ?', limit);
  }

  /**
   * The last completed, real sync's files: the base of the source-health check. Reverts read no files,
   * and a run that was reverted is no base either: after a revert the next night is compared with the
   * run before the bad one.
   */
  lastCompletedRun(): RunRecord | undefined {
    const sql = `SELECT * FROM runs WHERE status = 'completed' AND dry_run = 0 AND reverts IS NULL
      AND id NOT IN (SELECT reverts FROM runs WHERE reverts IS NOT NULL) ORDER BY id DESC LIMIT 1`;
    return readOne(this.db, runCodec.read, sql);
  }

  savePlannedChanges(runId: number, changes: Iterable<AppliedChange>): void {
    const ins = this.db.prepare(
      `INSERT INTO planned_changes (run_id, seq, action, account_id, source, external_id, detail)
       VALUES (@runId, @seq, @action, @account_id, @source, @external_id, @detail)`,
    );
    let seq = 0;
    for (const c of changes) ins.run({ runId, seq: seq++, ...plannedChangeCodec.write(c) });
  }

  plannedChanges(runId: number): AppliedChange[] {
    return readAll(this.db, plannedChangeCodec.read, 'SELECT * FROM planned_changes WHERE run_id = ? ORDER BY seq', runId);
  }

  /**
   * The changes of a completed run as stored, streamed from the audit trail (src/app/trail.ts renders
   * them), in the order the run made them; a page of them, of one action only if given (`sync show` of a
   * large run: its first page).
   */
  *runChanges(runId: number, page: ChangePage = {}): IterableIterator<StoredChange> {
    const action = page.action === undefined ? '' : ' AND action = @action';
    const rows = this.db
      .prepare(`SELECT action, account_id, source, external_id, detail, record FROM audit WHERE ${RUN_RANGE}${action} ORDER BY id LIMIT @limit OFFSET @offset`)
      .raw()
      .iterate({ runId, limit: page.limit ?? -1, offset: page.offset ?? 0, ...(page.action === undefined ? {} : { action: page.action }) }) as Iterable<
      [string, number | null, string | null, string | null, string, string | null]
    >;
    for (const r of rows) yield { action: r[0], userId: r[1], source: r[2], externalId: r[3], detail: r[4], record: r[5] };
  }

  /** How many changes of each action a completed run made, counted in SQLite. */
  runChangeCounts(runId: number): Map<string, number> {
    const rows = this.db.prepare(`SELECT action, count(*) AS n FROM audit WHERE ${RUN_RANGE} GROUP BY action`).all({ runId }) as {
      action: string;
      n: number;
    }[];
    return new Map(rows.map((r) => [r.action, r.n]));
  }
}

/** A page of a run's changes: from `offset`, at most `limit`, of one `action` if given. */
export interface ChangePage {
  action?: string;
  offset?: number;
  limit?: number;
}
