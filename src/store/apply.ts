/**
 * Applies a sync plan to the hub. The caller runs it inside one transaction (R1: all of a sync or
 * nothing); every change goes to the audit trail with the run id.
 */
import type { AccountPlan, Change, LinkWrite } from '../engine/types.js';
import type { Store } from './store.js';
import { searchRow } from './search.js';
import { SearchIndexBuilder } from './search-index.js';
import { UndoRecorder } from './undo.js';
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
  private searchIndex?: SearchIndexBuilder;

  constructor(
    private readonly store: Store,
    private readonly runId: number,
    private readonly actor: string,
    private readonly now: string,
  ) {
    const db = store.db;
    this.undo = new UndoRecorder(store, runId, now);
    this.stmt = {
      insertAccount: db.prepare(
        `INSERT INTO accounts (given_name, prefix, family_name, email, role, status, owner, not_offered_since, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateAccount: db.prepare(
        `UPDATE accounts SET given_name = ?, prefix = ?, family_name = ?, email = ?, role = ?, status = ?, owner = ?,
           not_offered_since = ?, updated_at = ?, deleted_at = ?, deleted_by = ?, deleted_cause = ? WHERE id = ?`,
      ),
      insertLink: db.prepare(
        `INSERT INTO links (source, external_id, account_id, active, record, fp, next_check, inactive_since, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateLink: db.prepare('UPDATE links SET active = ?, record = ?, fp = ?, next_check = ?, inactive_since = ? WHERE source = ? AND external_id = ?'),
      unlist: db.prepare('DELETE FROM exceptions WHERE account_id = ?'),
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

  /** Writes one account's plan; returns the account's id. */
  apply(plan: AccountPlan): number {
    const s = this.stmt;
    const a = plan.after;
    let id = plan.key;
    const saveUndo = plan.before === null ? null : this.undo.before(plan);
    if (plan.before === null) {
      if (a === null) throw new Error('a new account needs its attributes');
      id = Number(
        s.insertAccount.run(a.givenName, a.prefix, a.familyName, a.email, a.role, a.status, a.owner, a.notOfferedSince, this.now, this.now).lastInsertRowid,
      );
    } else if (a !== null) {
      const b = plan.before;
      const deleting = a.status === 'deleted' && b.status !== 'deleted';
      const reviving = a.status === 'active' && b.status === 'deleted';
      s.updateAccount.run(
        a.givenName,
        a.prefix,
        a.familyName,
        a.email,
        a.role,
        a.status,
        a.owner,
        a.notOfferedSince,
        this.now,
        deleting ? this.now : reviving ? null : b.deletedAt,
        deleting ? this.actor : reviving ? null : b.deletedBy,
        deleting ? detail('deletedByRun', { run: this.runId }) : reviving ? null : b.deletedCause,
        id,
      );
    }
    for (const l of plan.links) this.writeLink(id, l);
    if (this.insertSearch !== undefined && plan.before === null && a !== null) {
      const row = searchRow(a, plan.links);
      this.insertSearch.run(id, row.nameKey, row.text);
      this.searchIndex?.add(id, row.text);
    }
    if (plan.unlist) s.unlist.run(id);
    for (const c of plan.changes) this.audit(c, id);
    saveUndo?.();
    return id;
  }

  private writeLink(accountId: number, l: LinkWrite): void {
    const active = l.active ? 1 : 0;
    if (l.isNew) {
      this.stmt.insertLink.run(l.source, l.externalId, accountId, active, l.record, l.fp, l.nextCheck, l.inactiveSince, this.now);
    } else {
      this.stmt.updateLink.run(active, l.record, l.fp, l.nextCheck, l.inactiveSince, l.source, l.externalId);
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
