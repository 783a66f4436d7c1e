/**
 * Applies a sync plan to the hub. The caller runs it inside one transaction (R1: all of a sync or
 * nothing); every change goes to the audit trail with the run id.
 */
import type { AccountPlan, Change, LinkWrite } from '../engine/types.js';
import { snapshotAfterPlan, type AccountRowState, type AccountSnapshot, type LinkState } from '../engine/undo.js';
import type Database from 'better-sqlite3';
import type { Store } from './store.js';
import { searchRow } from './search.js';
import { SearchIndexBuilder } from './search-index.js';
import { withStreamingCache } from './cache.js';
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
  /** While the search triggers are suspended (`writeSearchRowsOnce`): writes each account's search row once. */
  private search?: SearchRowWriter;
  /** While the triggers that count the accounts are suspended (writeSearchRowsOnce): the counts' changes. */
  private counting?: AccountCounts;
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
    // The load counts the accounts again at its end (src/store/bulk.ts): what was counted before is written now.
    this.counting?.write();
    this.counting = undefined;
  }

  /** Writes the search index's last block of the rows written since writeSearchRows. */
  finishSearchRows(): void {
    this.searchIndex?.finish();
  }

  /**
   * From now on, writes each account's search row once, after its rows, where the triggers wrote it for
   * every row that named a searchable column: twice for a renamed account (its names, its link's record)
   * and twice for a new one (src/store/bulk.ts, suspendSearchWrites). The row is the triggers' own
   * statement (the view account_search_refresh), so it is what they write. The rows' bits and keys in
   * the search index are set here too (SearchIndexBuilder), instead of noting each row for the fold at
   * the run's end to read again. Returns the function that writes the last rows and puts the triggers
   * back, in the same transaction.
   */
  writeSearchRowsOnce(): () => void {
    const restore = this.store.suspendSearchWrites(true);
    if (restore === null) return () => {};
    this.search = new SearchRowWriter(this.store);
    this.counting = new AccountCounts(this.store.db);
    return () => {
      this.search?.flush();
      this.counting?.write();
      this.search = this.counting = undefined;
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
    this.counting?.write(); // before a bulk load's recount (src/store/bulk.ts), which counts them
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
      if (before !== undefined) this.counting?.moved(before.account, to);
    }
    let searchable = before === undefined || (a !== null && !sameSearchable(before.account, a));
    for (const l of plan.links) {
      const old = l.isNew ? undefined : before?.links.find((o) => o.source === l.source && o.externalId === l.externalId);
      this.writeLink(id, l, old);
      if (old === undefined || old.record !== l.record) searchable = true;
    }
    // The account as the plan leaves it: its search row's text, and the fingerprint its undo row keeps.
    const after = before === undefined ? undefined : snapshotAfterPlan(before, plan, this.now);
    // Only while the triggers are suspended (writeSearchRowsOnce; else they write the row). Without its
    // account as it was, the triggers' statement makes the row from what was written.
    if (searchable) this.search?.write(id, after?.account ?? null, after?.links ?? [], false);
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
    this.counting?.add(a.status, a.owner, 1);
    for (const l of plan.links) this.writeLink(id, l, undefined);
    if (this.insertSearch !== undefined) {
      const row = searchRow(a, plan.links);
      this.insertSearch.run(id, row.nameKey, row.text);
      this.searchIndex?.add(id, row.text, row.nameKey);
    } else this.search?.write(id, a, plan.links, true);
    for (const c of plan.changes) {
      // A million times in a first sync: a create kept as its record, straight to its statement.
      if (c.record !== undefined && c.action === 'create' && c.before === undefined && c.after === undefined) {
        this.stmt.auditRecordedCreate.run(id, c.source, c.externalId, c.record);
      } else this.audit(c, id);
    }
    return id;
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
export function sameSearchable(x: AccountRowState, y: Omit<AccountRowState, 'deletedAt' | 'deletedBy' | 'deletedCause'>): boolean {
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

/**
 * Writes accounts' search rows once each while their triggers are suspended (Store.suspendSearchWrites(true)):
 * a sync's plan writer and a revert, where the triggers wrote a row for every statement that named a
 * searchable column (twice for a renamed account: its names, its link's record). The rows' bits and keys
 * in the search index are set here too (SearchIndexBuilder), instead of noting each row for the fold at
 * the run's end to read again. Call `flush` before the triggers are put back.
 */
export class SearchRowWriter {
  /** The triggers' own statement (the view account_search_refresh): the row of an account with more links. */
  private readonly refresh: Database.Statement;
  /** Not INSERT OR REPLACE: a statement that may delete a row as well as write one keeps a statement journal; an UPDATE, or an INSERT where there is no row, does not. */
  private readonly put: Database.Statement;
  private readonly add: Database.Statement;
  /** Reads a search row that the triggers' statement wrote. */
  private readonly read: Database.Statement;
  /**
   * The search rows to write, in account order: an id, and its name key and text (both null: the
   * triggers' statement makes the row). Written in one pass (flush).
   */
  private readonly pending: { ids: number[]; names: (string | null)[]; texts: (string | null)[]; fresh: boolean[] } = {
    ids: [],
    names: [],
    texts: [],
    fresh: [],
  };

  constructor(private readonly store: Store) {
    const db = store.db;
    this.refresh = db.prepare('INSERT INTO account_search_refresh (account_id) VALUES (?)');
    this.put = db.prepare('UPDATE account_search SET name_key = ?, text = ? WHERE account_id = ?');
    this.add = db.prepare('INSERT INTO account_search (name_key, text, account_id) VALUES (?, ?, ?)');
    this.read = db.prepare('SELECT name_key, text FROM account_search WHERE account_id = ?').raw();
  }

  /**
   * Notes account `id`'s search row, written with the others by flush (`fresh`: a new account). With at
   * most one link, made here in JavaScript (searchRow, the triggers' text character for character:
   * test/store/search.test.ts), which costs a few microseconds where the triggers' SQL fold costs about 70
   * (a chain of replace()s, src/store/search.ts): a 1% churn resync of a million people writes 20,000 of
   * them. With more links (or `a` null: the account as written), the order SQLite joins them in (its
   * index of links by account) decides the text, so the triggers' own statement writes it.
   */
  write(id: number, a: AccountRowState | NonNullable<AccountPlan['after']> | null, links: readonly LinkState[] | readonly LinkWrite[], fresh: boolean): void {
    const p = this.pending;
    const row = a !== null && links.length <= 1 ? searchRow(a, links) : null;
    p.ids.push(id);
    p.names.push(row === null ? null : row.nameKey);
    p.texts.push(row === null ? null : row.text);
    p.fresh.push(fresh);
    if (p.ids.length >= SEARCH_BATCH) this.flush();
  }

  /**
   * Writes the search rows noted by write, in account order, apart from the accounts' other rows. Their
   * index by name (account_search_name) is in name order, so each row moves an entry of a page anywhere
   * in it: written among the account, link and undo rows, whose pages stream through the 16 MiB page
   * cache, its pages were pushed out between one row and the next and written to the WAL up to ten times
   * each (a 1% churn resync of a million people: 20,000 of them); written together, with little else
   * passing through the cache, most stay in it until the commit.
   */
  flush(): void {
    const { ids, names, texts, fresh } = this.pending;
    if (ids.length === 0) return;
    // A new account's row goes at the table's end wherever it is written, so the new ones are written in
    // the order of their names: each page of the index by name is then written once, in turn.
    const all = ids.map((_, i) => i);
    const byName = all.filter((i) => fresh[i]).sort((x, y) => compareText(names[x], names[y]));
    for (const i of [...all.filter((i) => !fresh[i]), ...byName]) {
      if (texts[i] === null) {
        this.refresh.run(ids[i]);
        const row = this.read.get(ids[i]) as [string, string] | undefined;
        if (row !== undefined) [names[i], texts[i]] = row;
      } else if (this.put.run(names[i], texts[i], ids[i]).changes === 0) this.add.run(names[i], texts[i], ids[i]);
    }
    // Then their bits and keys, segment by segment (the ids ascend: existing accounts, then new ones).
    // Each slice is read and written once: a small page cache (which also pushes the rows' pages out now,
    // to the WAL, where the commit would write them) leaves its memory to the builder's 8 MB.
    withStreamingCache(this.store.db, () => {
      const index = new SearchIndexBuilder(this.store.db);
      for (let i = 0; i < ids.length; i++) if (texts[i] !== null) index.add(ids[i], texts[i]!, names[i] ?? '');
      index.finish();
    });
    ids.length = names.length = texts.length = fresh.length = 0;
  }
}

/**
 * The accounts' counts by status and owner (account_counts, schema v7) that a plan writer or a revert changes, kept
 * here while their triggers are suspended and written in one statement per pair. With the triggers, each
 * new account and each deletion fired one, and a statement that fires a trigger keeps a statement
 * journal: a copy of every page it changes or pushes out of the page cache, in case it must be undone
 * alone (3.7 GB of copies in a 1% churn resync of a million people, in a temporary file).
 */
export class AccountCounts {
  private readonly delta = new Map<string, number>();
  private readonly stmt: Database.Statement;

  constructor(db: Database.Database) {
    this.stmt = db.prepare('INSERT INTO account_counts (status, owner, n) VALUES (?, ?, ?) ON CONFLICT (status, owner) DO UPDATE SET n = n + excluded.n');
  }

  add(status: string, owner: string, n: number): void {
    const key = `${status}\x1f${owner}`;
    this.delta.set(key, (this.delta.get(key) ?? 0) + n);
  }

  /** An existing account written from `from` to `to`. */
  moved(from: Pick<AccountRowState, 'status' | 'owner'>, to: Pick<AccountRowState, 'status' | 'owner'>): void {
    if (from.status === to.status && from.owner === to.owner) return;
    this.add(from.status, from.owner, -1);
    this.add(to.status, to.owner, 1);
  }

  /** Writes the changes counted since the last write. */
  write(): void {
    for (const [key, n] of this.delta) {
      const [status, owner] = key.split('\x1f');
      if (n !== 0) this.stmt.run(status, owner, n);
    }
    this.delta.clear();
  }
}

/** Texts in SQLite's order (the index by name), null first. */
function compareText(x: string | null, y: string | null): number {
  return x === y ? 0 : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
}

/** How many search rows SearchRowWriter.flush writes at most at a time (a few MB of text). */
const SEARCH_BATCH = 50_000;

/** What an account's row is compared with when it could not be read: nothing equal, every column written. */
const UNKNOWN_ROW = {} as AccountRowState;
const UNKNOWN_LINK = {} as LinkState;
