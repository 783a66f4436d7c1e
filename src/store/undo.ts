/**
 * The undo record of sync runs (schema v4, table run_undo): for every existing account a run changes,
 * the account as it was before (src/engine/undo.ts, AccountSnapshot) and the fingerprint of what the run
 * left. Reading a snapshot, writing one back, and finding what changed an account since a run.
 */
import type Database from 'better-sqlite3';
import type { AccountPlan } from '../engine/types.js';
import type { ExceptionEntry } from '../model.js';
import { snapshotAfterPlan, stateFingerprint, type AccountSnapshot, type LinkState } from '../engine/undo.js';
import { toException } from './exceptions.js';
import { RowDiffWriter } from './rowdiff.js';
import type { Store } from './store.js';

export interface UndoRow {
  accountId: number;
  before: AccountSnapshot;
  afterFp: number;
}

export interface LaterChange {
  at: string;
  actor: string;
  action: string;
  runId: number | null;
}

/** Whether two small snapshot parts are the same (both from `capture` or from its JSON: same key order). */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const ACCOUNT_COLUMNS = 'given_name, prefix, family_name, email, role, status, owner, not_offered_since, deleted_at, deleted_by, deleted_cause';
const LINK_COLUMNS = 'source, external_id, active, record, fp, next_check, inactive_since, created_at';

/** A row of ACCOUNT_COLUMNS, LINK_COLUMNS as a snapshot's part. */
function toAccount(a: unknown[]): AccountSnapshot['account'] {
  return {
    givenName: a[0] as string,
    prefix: a[1] as string,
    familyName: a[2] as string,
    email: a[3] as string,
    role: a[4] as AccountSnapshot['account']['role'],
    status: a[5] as AccountSnapshot['account']['status'],
    owner: a[6] as AccountSnapshot['account']['owner'],
    notOfferedSince: (a[7] as string | null) ?? null,
    deletedAt: (a[8] as string | null) ?? null,
    deletedBy: (a[9] as string | null) ?? null,
    deletedCause: (a[10] as string | null) ?? null,
  };
}

function toLinkState(l: unknown[]): LinkState {
  return {
    source: l[0] as string,
    externalId: l[1] as string,
    active: l[2] === 1,
    record: l[3] as string,
    fp: (l[4] as number | null) ?? null,
    nextCheck: (l[5] as string | null) ?? null,
    inactiveSince: (l[6] as string | null) ?? null,
    createdAt: l[7] as string,
  };
}

/** A list entry as a snapshot keeps it: without the account id, which the snapshot is of. */
function entryOf({ accountId: _, ...entry }: ExceptionEntry): NonNullable<AccountSnapshot['entry']> {
  return entry;
}

/** Reads and writes account snapshots, with statements prepared once per run. */
export class Snapshots {
  private readonly stmt: Record<string, Database.Statement>;
  /** Writes an account's row and links where they differ (shared with the sync's plan writer). */
  readonly rows: RowDiffWriter;

  constructor(private readonly store: Store) {
    const db = store.db;
    this.rows = new RowDiffWriter(db);
    this.stmt = {
      account: db.prepare(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ?`),
      links: db.prepare(`SELECT ${LINK_COLUMNS} FROM links WHERE account_id = ? ORDER BY source, external_id`),
      entry: db.prepare('SELECT * FROM exceptions WHERE account_id = ?'),
      // The same, for a set of accounts given as a JSON array of ids (captureMany).
      accounts: db.prepare(`SELECT id, ${ACCOUNT_COLUMNS} FROM accounts WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`),
      linksOf: db.prepare(
        `SELECT account_id, ${LINK_COLUMNS} FROM links WHERE account_id IN (SELECT value FROM json_each(?)) ORDER BY account_id, source, external_id`,
      ),
      entries: db.prepare('SELECT * FROM exceptions WHERE account_id IN (SELECT value FROM json_each(?)) ORDER BY account_id'),
      saveUndo: db.prepare('INSERT OR REPLACE INTO run_undo (run_id, account_id, before, after_fp) VALUES (?, ?, ?, ?)'),
      dropLink: db.prepare('DELETE FROM links WHERE source = ? AND external_id = ? AND account_id = ?'),
      // A link that another account holds by now is left to it (only --force gets this far).
      putLink: db.prepare(
        `INSERT INTO links (source, external_id, account_id, active, record, fp, next_check, inactive_since, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (source, external_id) DO UPDATE SET active = excluded.active, record = excluded.record, fp = excluded.fp,
           next_check = excluded.next_check, inactive_since = excluded.inactive_since WHERE links.account_id = excluded.account_id`,
      ),
      dropEntry: db.prepare('DELETE FROM exceptions WHERE account_id = ?'),
      putEntry: db.prepare(
        `INSERT OR REPLACE INTO exceptions (account_id, reason, until, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  /** The account as it is now; undefined when it is gone (purged). */
  capture(accountId: number): AccountSnapshot | undefined {
    const a = this.stmt.account.raw().get(accountId) as unknown[] | undefined;
    if (a === undefined) return undefined;
    const e = this.stmt.entry.get(accountId) as Record<string, unknown> | undefined;
    return {
      account: toAccount(a),
      links: (this.stmt.links.raw().all(accountId) as unknown[][]).map(toLinkState),
      entry: e === undefined ? null : entryOf(toException(e)),
    };
  }

  /**
   * Many accounts as they are now, by id (a purged one is missing): one ordered pass over each table
   * instead of three small queries per account, so that a revert of thousands of changes reads the
   * hub's pages in order, each once.
   */
  captureMany(ids: readonly number[]): Map<number, AccountSnapshot> {
    const out = new Map<number, AccountSnapshot>();
    if (ids.length === 0) return out;
    const json = JSON.stringify(ids);
    for (const a of this.stmt.accounts.raw().iterate(json) as Iterable<unknown[]>) {
      out.set(a[0] as number, { account: toAccount(a.slice(1)), links: [], entry: null });
    }
    for (const l of this.stmt.linksOf.raw().iterate(json) as Iterable<unknown[]>) out.get(l[0] as number)?.links.push(toLinkState(l.slice(1)));
    for (const row of this.stmt.entries.iterate(json) as Iterable<Record<string, unknown>>) {
      const e = toException(row);
      const snap = out.get(e.accountId);
      if (snap !== undefined) snap.entry = entryOf(e);
    }
    return out;
  }

  /** Keeps what a run needs to undo its change of one account. */
  saveUndo(runId: number, accountId: number, before: AccountSnapshot, after: AccountSnapshot): void {
    this.stmt.saveUndo.run(runId, accountId, JSON.stringify(before), stateFingerprint(after));
  }

  /**
   * Makes the account what `to` says: its row, exactly these links, this list entry. Only what differs is
   * written (src/store/rowdiff.ts): fewer pages to commit (a revert touches accounts all over the hub),
   * and the search row is rewritten only when the searchable text changes.
   */
  restore(accountId: number, current: AccountSnapshot, to: AccountSnapshot, now: string): void {
    const s = this.stmt;
    this.rows.account(accountId, current.account, to.account, now);
    const was = new Map(current.links.map((l) => [`${l.source}\x1f${l.externalId}`, l]));
    const keep = new Set(to.links.map((l) => `${l.source}\x1f${l.externalId}`));
    for (const l of current.links) if (!keep.has(`${l.source}\x1f${l.externalId}`)) s.dropLink.run(l.source, l.externalId, accountId);
    for (const l of to.links) {
      const old = was.get(`${l.source}\x1f${l.externalId}`);
      if (old !== undefined) this.rows.link(old, l, accountId);
      else s.putLink.run(l.source, l.externalId, accountId, l.active ? 1 : 0, l.record, l.fp, l.nextCheck, l.inactiveSince, l.createdAt);
    }
    const e = to.entry;
    if (sameJson(current.entry, e)) return;
    if (e === null) s.dropEntry.run(accountId);
    else s.putEntry.run(accountId, e.reason, e.until, e.createdAt, e.createdBy, e.updatedAt, e.updatedBy);
  }
}

/**
 * Records the undo rows of a sync while its plan is written (src/store/apply.ts): the snapshot before,
 * read for a batch of accounts at a time just before they are written (one ordered pass per table, not
 * three small queries per account), and the fingerprint of the snapshot the plan leaves.
 */
export class UndoRecorder {
  private readonly snapshots: Snapshots;

  constructor(
    store: Store,
    private readonly runId: number,
    private readonly now: string,
  ) {
    this.snapshots = new Snapshots(store);
  }

  /**
   * The existing accounts' plans, each with its account as it is before the plan is written (undefined
   * for one that is gone), read UNDO_BATCH accounts at a time. Each plan writes its own account's rows
   * only, so reading a batch ahead of writing it reads what each plan finds.
   */
  *withSnapshots(plans: readonly AccountPlan[]): IterableIterator<[AccountPlan, AccountSnapshot | undefined]> {
    for (let i = 0; i < plans.length; i += UNDO_BATCH) {
      const batch = plans.slice(i, i + UNDO_BATCH);
      const before = this.snapshots.captureMany(batch.map((p) => p.key));
      for (const p of batch) yield [p, before.get(p.key)];
    }
  }

  /** Call after the plan of an existing account is written, with the account as it was before (and after, if made). */
  save(plan: AccountPlan, before: AccountSnapshot, after = snapshotAfterPlan(before, plan, this.now)): void {
    this.snapshots.saveUndo(this.runId, plan.key, before, after);
  }
}

/** How many accounts' snapshots a sync reads at a time: a few MB at most, and the pages in order. */
const UNDO_BATCH = 1000;

/** The undo rows of a run, by account id. */
export function* undoRows(store: Store, runId: number): IterableIterator<UndoRow> {
  const rows = store.db.prepare('SELECT account_id, before, after_fp FROM run_undo WHERE run_id = ? ORDER BY account_id').raw().iterate(runId) as Iterable<
    [number, string, number]
  >;
  for (const r of rows) yield { accountId: r[0], before: JSON.parse(r[1]) as AccountSnapshot, afterFp: r[2] };
}

/** The accounts a run created: its 'create' entries in the audit trail. */
export function createdBy(store: Store, runId: number): { accountId: number; source: string | null; externalId: string | null }[] {
  const run = store.db.prepare('SELECT first_audit, last_audit FROM runs WHERE id = ?').get(runId) as { first_audit: number | null; last_audit: number | null };
  if (run.first_audit === null) return [];
  return (
    store.db
      .prepare(
        "SELECT account_id, source, external_id FROM audit WHERE id BETWEEN ? AND ? AND run_id = ? AND action = 'create' AND account_id IS NOT NULL ORDER BY id",
      )
      .raw()
      .all(run.first_audit, run.last_audit, runId) as [number, string | null, string | null][]
  ).map((r) => ({ accountId: r[0], source: r[1], externalId: r[2] }));
}

/** Whether run `runId` kept undo rows (runs before schema v4 did not). */
export function hasUndo(store: Store, runId: number): boolean {
  const from = Number(store.meta('undo_from_run') ?? '1');
  return runId >= from;
}

/** What changed an account after audit entry `afterId`: who, when, which run (a few, oldest first). */
export function laterChanges(store: Store, accountId: number, afterId: number, limit = 5): LaterChange[] {
  let stmt = laterStmts.get(store.db);
  if (stmt === undefined) {
    // Once per connection: a revert asks this for every account a run created.
    stmt = store.db
      .prepare(
        "SELECT at, actor, action, run_id FROM audit WHERE account_id = ? AND id > ? AND action NOT IN ('protect', 'pending', 'keep') ORDER BY id LIMIT ?",
      )
      .raw();
    laterStmts.set(store.db, stmt);
  }
  return (stmt.all(accountId, afterId, limit) as [string, string, string, number | null][]).map((r) => ({ at: r[0], actor: r[1], action: r[2], runId: r[3] }));
}

const laterStmts = new WeakMap<object, Database.Statement>();

/**
 * laterChanges for many accounts at once (ids: a JSON array or a list), in one ordered pass over the
 * audit trail's account index: only the accounts that something changed after `afterId` are in the map.
 */
export function laterChangesMany(store: Store, ids: readonly number[], afterId: number, limit = 5): Map<number, LaterChange[]> {
  const out = new Map<number, LaterChange[]>();
  if (ids.length === 0) return out;
  const rows = store.db
    .prepare(
      `SELECT a.account_id, a.at, a.actor, a.action, a.run_id FROM json_each(?) j CROSS JOIN audit a
       WHERE a.account_id = j.value AND a.id > ? AND a.action NOT IN ('protect', 'pending', 'keep') ORDER BY a.account_id, a.id`,
    )
    .raw()
    .iterate(JSON.stringify(ids), afterId) as Iterable<[number, string, string, string, number | null]>;
  for (const r of rows) {
    let list = out.get(r[0]);
    if (list === undefined) out.set(r[0], (list = []));
    if (list.length < limit) list.push({ at: r[1], actor: r[2], action: r[3], runId: r[4] });
  }
  return out;
}
