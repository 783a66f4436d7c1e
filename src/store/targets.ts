/**
 * The hub's side of the target systems: their settings, what each acknowledged per account (R16), their
 * publish history, a lock per target, and the hub's accounts as the targets see them (R15).
 */
import os from 'node:os';
import { BasishubError } from '../errors.js';
import { unpack } from '../sources/record.js';
import type { AckedState, HubAccount, HubRelation, PublishCounts, TargetConfig } from '../targets/types.js';
import { holderIsAlive, type LockHolder } from './lock.js';
import { readAll, readOne, type Row } from './rows.js';
import type { Store } from './store.js';

function toTarget(r: Row): TargetConfig {
  return {
    name: r.name as string,
    kind: r.kind as TargetConfig['kind'],
    settings: JSON.parse(r.settings as string) as TargetConfig['settings'],
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
  };
}

function toState(r: Row): AckedState {
  return {
    accountId: r.account_id as number,
    accountCreated: r.account_created as string,
    remoteId: (r.remote_id as string | null) ?? null,
    hash: r.hash as string,
    active: r.active === 1,
    ackedAt: r.acked_at as string,
  };
}

export interface PublishRun {
  id: number;
  target: string;
  startedAt: string;
  finishedAt: string | null;
  actor: string;
  status: 'running' | 'completed' | 'stopped' | 'failed';
  planId: string | null;
  forced: boolean;
  approved: string | null;
  stopReason: string | null;
  counts: Partial<PublishCounts>;
  failures: { userId: number | null; message: string }[];
}

function toRun(r: Row): PublishRun {
  return {
    id: r.id as number,
    target: r.target as string,
    startedAt: r.started_at as string,
    finishedAt: (r.finished_at as string | null) ?? null,
    actor: r.actor as string,
    status: r.status as PublishRun['status'],
    planId: (r.plan_id as string | null) ?? null,
    forced: r.forced === 1,
    approved: (r.approved as string | null) ?? null,
    stopReason: (r.stop_reason as string | null) ?? null,
    counts: JSON.parse(r.counts as string) as PublishRun['counts'],
    failures: JSON.parse(r.failures as string) as PublishRun['failures'],
  };
}

/** Is a relation current on `today` (R2: an ended or future relation does not count)? */
function current(r: HubRelation, today: string): boolean {
  return (r.startDate === null || r.startDate <= today) && (r.endDate === null || r.endDate >= today);
}

export class TargetStore {
  constructor(private readonly store: Store) {}

  private get db() {
    return this.store.db;
  }

  // ---- settings --------------------------------------------------------------------------------------
  targets(): TargetConfig[] {
    return readAll(this.db, toTarget, 'SELECT * FROM targets ORDER BY name');
  }

  target(name: string): TargetConfig | undefined {
    return readOne(this.db, toTarget, 'SELECT * FROM targets WHERE name = ?', name);
  }

  save(t: TargetConfig): void {
    this.db
      .prepare(
        `INSERT INTO targets (name, kind, settings, created_at, updated_at) VALUES (@name, @kind, @settings, @createdAt, @updatedAt)
         ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, settings = excluded.settings, updated_at = excluded.updated_at`,
      )
      .run({ ...t, settings: JSON.stringify(t.settings) });
  }

  /** Removes a target with everything it acknowledged and its history. */
  remove(name: string): void {
    for (const table of ['target_state', 'target_groups', 'publish_runs', 'target_lock']) this.db.prepare(`DELETE FROM ${table} WHERE target = ?`).run(name);
    this.db.prepare('DELETE FROM targets WHERE name = ?').run(name);
  }

  /** Forgets what a target acknowledged (its output or URL changed: everything is sent again). */
  forget(name: string): void {
    this.db.prepare('DELETE FROM target_state WHERE target = ?').run(name);
    this.db.prepare('DELETE FROM target_groups WHERE target = ?').run(name);
  }

  // ---- acknowledged state (R16) ----------------------------------------------------------------------
  /** What the target acknowledged, in account id order (the publish plan merges it with the accounts). */
  *states(target: string): IterableIterator<AckedState> {
    for (const r of this.db.prepare('SELECT * FROM target_state WHERE target = ? ORDER BY account_id').iterate(target) as Iterable<Row>) yield toState(r);
  }

  stateSummary(target: string): { active: number; inactive: number; lastAck: string | null } {
    const r = this.db
      .prepare('SELECT coalesce(sum(active), 0) AS a, count(*) AS n, max(acked_at) AS last FROM target_state WHERE target = ?')
      .get(target) as { a: number; n: number; last: string | null };
    return { active: r.a, inactive: r.n - r.a, lastAck: r.last };
  }

  /** Records acknowledgements, in one transaction (a batch of a publish). */
  ack(target: string, rows: AckedState[], gone: number[]): void {
    if (rows.length === 0 && gone.length === 0) return;
    const up = this.db.prepare(
      `INSERT INTO target_state (target, account_id, account_created, remote_id, hash, active, acked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (target, account_id) DO UPDATE SET account_created = excluded.account_created, remote_id = excluded.remote_id,
         hash = excluded.hash, active = excluded.active, acked_at = excluded.acked_at`,
    );
    const del = this.db.prepare('DELETE FROM target_state WHERE target = ? AND account_id = ?');
    this.store.transaction(() => {
      for (const s of rows) up.run(target, s.accountId, s.accountCreated, s.remoteId, s.hash, s.active ? 1 : 0, s.ackedAt);
      for (const id of gone) del.run(target, id);
    });
  }

  /** Remote ids of the accounts a target acknowledged as active (SCIM group members). */
  activeRemoteIds(target: string): Map<number, string> {
    const rows = this.db.prepare('SELECT account_id, remote_id FROM target_state WHERE target = ? AND active = 1 AND remote_id IS NOT NULL').raw().all(target) as [number, string][];
    return new Map(rows);
  }

  groups(target: string): Map<string, { remoteId: string; hash: string }> {
    const rows = this.db.prepare('SELECT key, remote_id, hash FROM target_groups WHERE target = ?').all(target) as { key: string; remote_id: string; hash: string }[];
    return new Map(rows.map((r) => [r.key, { remoteId: r.remote_id, hash: r.hash }]));
  }

  ackGroup(target: string, key: string, remoteId: string, hash: string, at: string): void {
    this.db
      .prepare(
        `INSERT INTO target_groups (target, key, remote_id, hash, acked_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (target, key) DO UPDATE SET remote_id = excluded.remote_id, hash = excluded.hash, acked_at = excluded.acked_at`,
      )
      .run(target, key, remoteId, hash, at);
  }

  forgetGroup(target: string, key: string): void {
    this.db.prepare('DELETE FROM target_groups WHERE target = ? AND key = ?').run(target, key);
  }

  // ---- publish history ---------------------------------------------------------------------------------
  startRun(r: { target: string; startedAt: string; actor: string; planId: string; forced: boolean; approved: string | null; stopReason: string | null; status: PublishRun['status']; counts: Partial<PublishCounts> }): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO publish_runs (target, started_at, actor, status, plan_id, forced, approved, stop_reason, counts, finished_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(r.target, r.startedAt, r.actor, r.status, r.planId, r.forced ? 1 : 0, r.approved, r.stopReason, JSON.stringify(r.counts), r.status === 'running' ? null : r.startedAt)
        .lastInsertRowid,
    );
  }

  finishRun(id: number, r: { finishedAt: string; status: PublishRun['status']; counts: PublishCounts; failures: PublishRun['failures'] }): void {
    this.db
      .prepare('UPDATE publish_runs SET finished_at = ?, status = ?, counts = ?, failures = ? WHERE id = ?')
      .run(r.finishedAt, r.status, JSON.stringify(r.counts), JSON.stringify(r.failures.slice(0, 1000)), id);
  }

  lastRun(target: string): PublishRun | undefined {
    const r = this.db.prepare('SELECT * FROM publish_runs WHERE target = ? ORDER BY id DESC LIMIT 1').get(target) as Row | undefined;
    return r && toRun(r);
  }

  lastCompletedRun(target: string): PublishRun | undefined {
    const r = this.db.prepare("SELECT * FROM publish_runs WHERE target = ? AND status = 'completed' ORDER BY id DESC LIMIT 1").get(target) as Row | undefined;
    return r && toRun(r);
  }

  // ---- one publish per target at a time ----------------------------------------------------------------
  lock(target: string, actor: string, now: string): () => void {
    const me: LockHolder = { pid: process.pid, host: os.hostname(), actor, since: now };
    this.store.transaction(() => {
      const held = this.db.prepare('SELECT pid, host, actor, since FROM target_lock WHERE target = ?').get(target) as LockHolder | undefined;
      if (held !== undefined && holderIsAlive(held, Date.parse(now))) {
        throw new BasishubError('SYNC_LOCKED', `Another publish to ${target} is running: started by ${held.actor} at ${held.since} (process ${held.pid} on ${held.host}).`, {
          hint: 'Wait for it to finish; this run sent nothing. A lock left by a killed publish is taken over automatically.',
          details: { holder: held },
        });
      }
      this.db.prepare('INSERT OR REPLACE INTO target_lock (target, pid, host, actor, since) VALUES (?, ?, ?, ?, ?)').run(target, me.pid, me.host, me.actor, me.since);
    });
    return () => {
      this.db.prepare('DELETE FROM target_lock WHERE target = ? AND pid = ? AND host = ?').run(target, me.pid, me.host);
    };
  }

  // ---- the hub as the targets see it (R15) --------------------------------------------------------------
  /**
   * Every account, active or deleted, in id order, with its relations when asked: those of its active
   * links that are current today; for an account no source offers (protected, hub-owned), the last
   * ones its links knew, without dates: the person still works there as far as the hub knows.
   */
  *accounts(today: string, withRelations: boolean): IterableIterator<HubAccount> {
    const accounts = this.db
      .prepare('SELECT id, created_at, given_name, prefix, family_name, email, role, status FROM accounts ORDER BY id')
      .raw()
      .iterate() as Iterable<[number, string, string, string, string, string, string, string]>;
    const links = withRelations
      ? (this.db.prepare('SELECT account_id, external_id, active, record FROM links ORDER BY account_id').raw().iterate() as Iterator<[number, string, number, string]>)
      : null;
    let next = links?.next();
    for (const a of accounts) {
      let relations: HubRelation[] = [];
      if (links !== null) {
        let fallback: HubRelation[] | null = null;
        while (next !== undefined && !next.done && next.value[0] < a[0]) next = links.next();
        while (next !== undefined && !next.done && next.value[0] === a[0]) {
          const [, externalId, active, record] = next.value;
          for (const r of unpack(externalId, record).relations) {
            if (active === 1 && current(r, today)) relations.push(r);
            else (fallback ??= []).push(r);
          }
          next = links.next();
        }
        if (relations.length === 0 && fallback !== null) relations = fallback.map((r) => ({ organisation: r.organisation, group: r.group, startDate: null, endDate: null }));
      }
      yield {
        id: a[0],
        createdAt: a[1],
        givenName: a[2],
        prefix: a[3],
        familyName: a[4],
        email: a[5],
        role: a[6] as HubAccount['role'],
        active: a[7] === 'active',
        relations: dedupe(relations),
      };
    }
  }
}

function dedupe(relations: HubRelation[]): HubRelation[] {
  if (relations.length < 2) return relations;
  const seen = new Set<string>();
  const out: HubRelation[] = [];
  for (const r of relations) {
    const key = `${r.organisation}\x1f${r.group}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out.sort((x, y) => (x.organisation + '\x1f' + x.group < y.organisation + '\x1f' + y.group ? -1 : 1));
}
