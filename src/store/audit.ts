/**
 * The `audit` table: every change, by a sync or a person, with who, when, what and why. A sync's create
 * from one record is stored as that record (its `record` column, schema v2) instead of a detail and an
 * `after`: entries are read here as they are stored, and the use cases render such a create again
 * (src/app/trail.ts). The hub's revision is the id of its last audit entry.
 */
import type Database from 'better-sqlite3';
import type { AuditEntry } from '../model.js';
import type { DB } from './db.js';
import { AUDIT_DECISION, AUDIT_LAPSE, AUDIT_PROTECT } from './migrations.js';
import { Queries, readAll, rowCodec } from './rows.js';

/** An audit entry as stored: a create kept as its record has `record` set, an empty detail and no `after`. */
export interface StoredAuditEntry extends AuditEntry {
  record: string | null;
}

export const auditCodec = rowCodec<StoredAuditEntry>(
  'id:int at actor action account_id:int? run_id:int? source:? external_id:? detail before:json after:json reason:? record:?',
);

/** One entry to write: who (`actor`), when (`at`), what (`action`, the account, `detail`, before/after), why (`reason`). */
export interface AuditInput {
  at: string;
  actor: string;
  action: string;
  accountId?: number | null;
  runId?: number | null;
  source?: string | null;
  externalId?: string | null;
  detail?: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  /** A sync's create from one record, stored as that record instead of detail and after (engine/describe.ts). */
  record?: string;
}

export interface AuditFilter {
  accountId?: number;
  runId?: number;
  since?: string;
  limit?: number;
  order?: 'asc' | 'desc';
}

/** The audit entries of run @runId: its id range (schema v2), then the run id to be sure. */
export const RUN_RANGE = `id BETWEEN (SELECT first_audit FROM runs WHERE id = @runId) AND (SELECT last_audit FROM runs WHERE id = @runId)
  AND run_id = @runId`;

/** The hub's revision (see AuditQueries.revision). */
export function revisionOf(db: DB): number {
  return (db.prepare('SELECT coalesce(max(id), 0) AS r FROM audit').get() as { r: number }).r;
}

/** The statement that writes an entry, prepared once per connection (a person's bulk import writes thousands). */
const insertStatements = new WeakMap<object, Database.Statement>();

export class AuditQueries extends Queries {
  /** Writes one audit entry (every change, by a sync or a person, goes through here). */
  audit(e: AuditInput): number {
    let insert = insertStatements.get(this.db);
    if (insert === undefined) {
      insert = this.db.prepare(
        `INSERT INTO audit (at, actor, action, account_id, run_id, source, external_id, detail, before, after, reason, record)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      insertStatements.set(this.db, insert);
    }
    const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
    const ids = [e.accountId ?? null, e.runId ?? null, e.source ?? null, e.externalId ?? null] as const;
    return Number(
      insert.run(e.at, e.actor, e.action, ...ids, e.detail ?? '', json(e.before), json(e.after), e.reason ?? null, e.record ?? null).lastInsertRowid,
    );
  }

  auditEntries(f: AuditFilter): StoredAuditEntry[] {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (f.accountId !== undefined) {
      where.push('account_id = @accountId');
      params.accountId = f.accountId;
    }
    if (f.runId !== undefined) {
      where.push(RUN_RANGE);
      params.runId = f.runId;
    }
    if (f.since !== undefined) {
      where.push('at >= @since');
      params.since = f.since;
    }
    const order = f.order === 'asc' ? 'ASC' : 'DESC';
    const sql = `SELECT * FROM audit ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id ${order}${f.limit !== undefined ? ' LIMIT @limit' : ''}`;
    if (f.limit !== undefined) params.limit = f.limit;
    return readAll(this.db, auditCodec.read, sql, params);
  }

  /** The hub's revision: the id of the last audit entry. Every change writes one. */
  revision(): number {
    return revisionOf(this.db);
  }

  /** The lapse entries with afterId < id <= upToId, oldest first (through their index, schema v7). */
  lapsesBetween(afterId: number, upToId: number): StoredAuditEntry[] {
    return readAll(this.db, auditCodec.read, `SELECT * FROM audit WHERE ${AUDIT_LAPSE} AND id > ? AND id <= ? ORDER BY id`, afterId, upToId);
  }

  /**
   * Per account, the id of its newest audit entry of a kind the review looks for: a sync that kept it
   * only because it was listed ('protect'), or a decision on its entry (added, edited). Read from the
   * kind's own index (schema v7), never from the whole trail.
   */
  lastAuditIds(kind: 'protect' | 'decision'): Map<number, number> {
    const sql = `SELECT account_id, max(id) FROM audit WHERE ${kind === 'protect' ? AUDIT_PROTECT : AUDIT_DECISION} GROUP BY account_id`;
    return new Map(this.db.prepare(sql).raw().all() as [number, number][]);
  }

  /** When audit entry `id` was written. */
  auditAt(id: number): string | undefined {
    return (this.db.prepare('SELECT at FROM audit WHERE id = ?').pluck().get(id) as string | undefined) ?? undefined;
  }
}
