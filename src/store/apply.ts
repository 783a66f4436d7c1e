/**
 * Applies a sync plan to the hub. The caller runs it inside one transaction (R1: all of a sync or
 * nothing); every change goes to the audit trail with the run id.
 */
import type { AccountPlan, Change, LinkWrite } from '../engine/types.js';
import { snapshotAfterPlan, type AccountRowState, type AccountSnapshot, type LinkState } from '../engine/undo.js';
import type { Store } from './store.js';
import { searchRow } from './search.js';
import { SearchIndexBuilder } from './search-index.js';
import { UndoRecorder } from './undo.js';
import { RowDiffWriter } from './rowdiff.js';
import { detail } from '../engine/describe.js';

export interface AppliedChange {
  action: string;
  userId: number | null;
  source: string | null;
  externalId: string | null;
  detail: string;
}

export class PlanWriter {
  private readonly stmt;
  /** Keeps each changed account as it was, so that the run can be reverted (R18). */
  private readonly undo: UndoRecorder;
  /** During a bulk load (the search triggers suspended): the statement that writes a new account's search row. */
  private insertSearch?: { run(...params: unknown[]): unknown };
  /** Writes an existing account's row and links where they change (src/store/rowdiff.ts). */
  private readonly rows: RowDiffWriter;
  /** While the search triggers are suspended (`writeSearchRowsOnce`): writes one account's search row. */
  private refreshSearch?: { run(...params: unknown[]): unknown };
  /** The same, for a row made here in JavaScript (see writeSearchRow). */
  private putSearch?: { run(...params: unknown[]): unknown };
  private searchIndex?: SearchIndexBuilder;

  constructor(
    private readonly store: Store,
    private readonly runId: number,
    private readonly actor: string,
    private readonly now: string,
  ) {
    const db = store.db;
    this.undo = new UndoRecorder(store, runId, now);
    this.rows = new RowDiffWriter(db);
    // The run's own constants (its time, actor and id) are part of the statements that a first sync runs
    // a million times each, not values bound on every row: binding them cost a first sync of a million
    // people about 0.5 s of cpu (with the foreign-key checks a bulk load leaves out: Store.withRollbackJournal).
    const at = sqlText(now);
    this.stmt = {
      insertAccount: db.prepare(
        `INSERT INTO accounts (given_name, prefix, family_name, email, role, status, owner, not_offered_since, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ${at}, ${at})`,
      ),
      insertLink: db.prepare(
        `INSERT INTO links (source, external_id, account_id, active, record, fp, next_check, inactive_since, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ${at})`,
      ),
      unlist: db.prepare('DELETE FROM exceptions WHERE account_id = ?'),
      // A create kept as its record (engine/create.ts): the row store.audit writes for it, with less work a row.
      auditRecordedCreate: db.prepare(
        `INSERT INTO audit (at, actor, action, account_id, run_id, source, external_id, detail, record)
         VALUES (${at}, ${sqlText(actor)}, 'create', ?, ${sqlInteger(runId)}, ?, ?, '', ?)`,
      ),
    };
  }

  /**
   * From now on, writes the search row of each new account (src/store/search.ts) here, as its triggers
   * would: for a bulk load, whose triggers are suspended (Store.suspendIndexes). Folded in JavaScript
   * from what the plan holds, it costs a first sync a fraction of what the triggers' SQL did.
   */
  writeSearchRows(): void {
    this.insertSearch = this.store.db.prepare('INSERT INTO account_search (account_id, name_key, text) VALUES (?, ?, ?)');
    this.searchIndex = new SearchIndexBuilder(this.store.db);
  }

  /** Writes the search index's last block of the rows written since writeSearchRows. */
  finishSearchRows(): void {
    this.searchIndex?.finish();
  }

  /**
   * From now on, writes each account's search row once, after its rows, where the triggers wrote it for
   * every row that named a searchable column: twice for a renamed account (its names, its link's record)
   * and twice for a new one (src/store/bulk.ts, suspendSearchWrites). The row is the triggers' own
   * statement (the view account_search_refresh), so it is what they write. Returns the function that
   * puts the triggers back, in the same transaction.
   */
  writeSearchRowsOnce(): () => void {
    const restore = this.store.suspendSearchWrites();
    if (restore === null) return () => {};
    this.refreshSearch = this.store.db.prepare('INSERT INTO account_search_refresh (account_id) VALUES (?)');
    this.putSearch = this.store.db.prepare('INSERT OR REPLACE INTO account_search (account_id, name_key, text) VALUES (?, ?, ?)');
    return () => {
      this.refreshSearch = undefined;
      this.putSearch = undefined;
      restore();
    };
  }

  /**
   * Writes the plans of existing accounts: their rows in account order, each with its account as it is
   * before (read in batches, src/store/undo.ts), so that the pages of the accounts, their search rows and
   * the indexes by account are each read and written once rather than here and there over the hub; then
   * their audit entries in the plans' order, so that the trail reads as the plan does. `onEach` after each.
   */
  applyExisting(plans: readonly AccountPlan[], onEach: () => void = () => {}): void {
    const byAccount = [...plans].sort((a, b) => a.key - b.key);
    for (const [plan, before] of this.undo.withSnapshots(byAccount)) {
      this.apply(plan, before, false);
      onEach();
    }
    for (const plan of plans) for (const c of plan.changes) this.audit(c, plan.key);
  }

  /**
   * Writes one account's plan; returns the account's id. An existing account's plan comes with the
   * account as it is (`applyExisting`): kept for a revert (R18), and what only the changed columns are
   * written against. `audited`: whether its audit entries are written here (else the caller writes them).
   */
  apply(plan: AccountPlan, before?: AccountSnapshot, audited = true): number {
    if (plan.before === null) return this.create(plan);
    const id = plan.key;
    const a = plan.after;
    if (a !== null) {
      const b = plan.before;
      const deleting = a.status === 'deleted' && b.status !== 'deleted';
      const reviving = a.status === 'active' && b.status === 'deleted';
      const to: AccountRowState = {
        givenName: a.givenName,
        prefix: a.prefix,
        familyName: a.familyName,
        email: a.email,
        role: a.role,
        status: a.status,
        owner: a.owner,
        notOfferedSince: a.notOfferedSince,
        deletedAt: deleting ? this.now : reviving ? null : b.deletedAt,
        deletedBy: deleting ? this.actor : reviving ? null : b.deletedBy,
        deletedCause: deleting ? detail('deletedByRun', { run: this.runId }) : reviving ? null : b.deletedCause,
      };
      this.rows.account(id, before?.account ?? UNKNOWN_ROW, to, this.now);
    }
    let searchable = before === undefined || (a !== null && !sameSearchable(before.account, a));
    for (const l of plan.links) {
      const old = l.isNew ? undefined : before?.links.find((o) => o.source === l.source && o.externalId === l.externalId);
      this.writeLink(id, l, old);
      if (old === undefined || old.record !== l.record) searchable = true;
    }
    // The account as the plan leaves it: its search row's text, and the fingerprint its undo row keeps.
    const after = before === undefined ? undefined : snapshotAfterPlan(before, plan, this.now);
    if (searchable) {
      if (after === undefined) this.refreshSearch?.run(id);
      else this.writeSearchRow(id, after.account, after.links);
    }
    if (plan.unlist) this.stmt.unlist.run(id);
    if (audited) for (const c of plan.changes) this.audit(c, id);
    if (before !== undefined) this.undo.save(plan, before, after);
    return id;
  }

  /** A new account: its row, its links, its audit entries and (during a bulk load) its search row. */
  private create(plan: AccountPlan): number {
    const a = plan.after;
    if (a === null) throw new Error('a new account needs its attributes');
    const id = Number(this.stmt.insertAccount.run(a.givenName, a.prefix, a.familyName, a.email, a.role, a.status, a.owner, a.notOfferedSince).lastInsertRowid);
    for (const l of plan.links) this.writeLink(id, l, undefined);
    if (this.insertSearch !== undefined) {
      const row = searchRow(a, plan.links);
      this.insertSearch.run(id, row.nameKey, row.text);
      this.searchIndex?.add(id, row.text, row.nameKey);
    } else this.writeSearchRow(id, a, plan.links);
    for (const c of plan.changes) {
      // A million times in a first sync: a create kept as its record, straight to its statement.
      if (c.record !== undefined && c.action === 'create' && c.before === undefined && c.after === undefined) {
        this.stmt.auditRecordedCreate.run(id, c.source, c.externalId, c.record);
      } else this.audit(c, id);
    }
    return id;
  }

  /**
   * Writes an account's search row (while the triggers are suspended, `writeSearchRowsOnce`). With at
   * most one link, made here in JavaScript (searchRow, the triggers' text character for character:
   * test/store/search.test.ts), which costs a few microseconds where the triggers' SQL fold costs about
   * 70 (a chain of replace()s, src/store/search.ts): a 1% churn resync of a million people writes
   * 20,000 of them. With more links, the order SQLite joins them in (its index of links by account)
   * decides the text, so the triggers' own statement writes it.
   */
  private writeSearchRow(id: number, a: AccountRowState | NonNullable<AccountPlan['after']>, links: readonly LinkState[] | readonly LinkWrite[]): void {
    if (this.putSearch !== undefined && links.length <= 1) {
      const row = searchRow(a, links);
      this.putSearch.run(id, row.nameKey, row.text);
    } else this.refreshSearch?.run(id);
  }

  /** A new link is inserted; an existing one gets the columns that differ from `old` (all without it). */
  private writeLink(accountId: number, l: LinkWrite, old: LinkState | undefined): void {
    if (l.isNew) {
      this.stmt.insertLink.run(l.source, l.externalId, accountId, l.active ? 1 : 0, l.record, l.fp, l.nextCheck, l.inactiveSince);
    } else {
      this.rows.link(old ?? { ...UNKNOWN_LINK, source: l.source, externalId: l.externalId }, l);
    }
  }

  audit(c: Change, accountId: number | null): void {
    this.store.audit({
      at: this.now,
      actor: this.actor,
      action: c.action,
      accountId,
      runId: this.runId,
      source: c.source,
      externalId: c.externalId,
      // A create stored as its record (engine/create.ts) keeps no text beside it: the record renders it.
      detail: c.record === undefined ? c.detail : '',
      before: c.before,
      after: c.after,
      record: c.record,
    });
  }
}

/** Whether the searchable columns (names, email) of two states of an account are the same. */
function sameSearchable(x: AccountRowState, y: Omit<AccountRowState, 'deletedAt' | 'deletedBy' | 'deletedCause'>): boolean {
  return x.givenName === y.givenName && x.prefix === y.prefix && x.familyName === y.familyName && x.email === y.email;
}

/** A text as an SQL literal. */
function sqlText(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** An integer as an SQL literal (never anything else). */
function sqlInteger(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return String(n);
}

/** What an account's row is compared with when it could not be read: nothing equal, every column written. */
const UNKNOWN_ROW = {} as AccountRowState;
const UNKNOWN_LINK = {} as LinkState;
