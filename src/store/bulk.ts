/**
 * Loading in bulk (a first sync of a national export into an empty hub): the secondary indexes and the
 * search-row triggers suspended while a million rows go in, and the rollback journal instead of the WAL
 * (without foreign-key checks).
 */
import { ACCOUNT_RECOUNT_SQL, searchRowSql } from './migrations.js';
import { Queries } from './rows.js';
import { foldSearchIndex } from './search-index.js';

/**
 * The triggers that write an account's search row on every insert or update of an account or a link
 * (schema v7, searchTriggersSql in migrations.ts): a renamed account's row is written twice that way, once
 * for the account and once for its link's record, and a new account's twice too.
 */
const SEARCH_WRITE_TRIGGERS = ['account_search_account_insert', 'account_search_account_update', 'account_search_link_insert', 'account_search_link_update'];
/**
 * With `suspendSearchWrites(true)`: the triggers that note each search row written, for the search index
 * to fold (search-index.ts, schema v10), and those that count a new account or a changed status or
 * owner (account_counts, schema v7).
 */
const WRITER_TRIGGERS = ['account_search_note_insert', 'account_search_note_update', 'account_search_count_insert', 'account_search_count_update'];

export class BulkQueries extends Queries {
  /**
   * Suspends the triggers above, inside the caller's transaction, for a writer that writes each
   * account's search row once itself, through the view whose trigger holds the same statement
   * (`INSERT INTO account_search_refresh`: a sync's plan writer). With `all`, also the triggers that note
   * each search row for the search index and that count the accounts by status and owner (WRITER_TRIGGERS):
   * the writer then sets the rows' bits and keys (SearchIndexBuilder) and the counts itself. Returns the
   * function that puts them back (in the same transaction), or null, suspending nothing, where the hub
   * keeps its search rows otherwise.
   */
  suspendSearchWrites(all = false): (() => void) | null {
    const view = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'account_search_refresh'").get();
    if (view === undefined) return null;
    const names = all ? [...SEARCH_WRITE_TRIGGERS, ...WRITER_TRIGGERS] : SEARCH_WRITE_TRIGGERS;
    const triggers = this.db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(names)) as { name: string; sql: string }[];
    if (triggers.length !== names.length) return null;
    for (const t of triggers) this.db.exec(`DROP TRIGGER "${t.name}"`);
    return () => {
      for (const t of triggers) this.db.exec(t.sql);
    };
  }

  /**
   * Runs `fn` (the bulk load of a first sync into an empty hub) with a rollback journal instead of the
   * WAL. New pages are then written once, into the file; the WAL writes each twice, into the log and
   * again at the checkpoint (measured: about 3 s less for a million people). It is as safe: a crash
   * leaves a journal that the next open rolls back. What changes is that other commands wait for the
   * commit instead of reading the (empty) hub as it was. When another connection has the hub open the
   * mode cannot change, and the load runs in WAL mode; the next open restores WAL mode in any case
   * (db.ts).
   *
   * It also runs without SQLite's foreign-key checks: every link a load into an empty hub writes names
   * the account the same writer inserted just before it (src/store/apply.ts), and the check is a look-up
   * of that account for each of a million links (about 0.3 s of cpu). The checks are back when it returns.
   */
  withRollbackJournal<T>(fn: () => T): T {
    const timeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    const checkingKeys = this.db.pragma('foreign_keys', { simple: true }) === 1;
    let switched = false;
    this.db.pragma('busy_timeout = 0');
    try {
      switched = this.db.pragma('journal_mode = DELETE', { simple: true }) === 'delete';
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    } finally {
      this.db.pragma(`busy_timeout = ${timeout}`);
    }
    // (Outside a transaction: inside one, SQLite ignores the pragma.)
    if (checkingKeys) this.db.pragma('foreign_keys = OFF');
    try {
      return fn();
    } finally {
      if (checkingKeys) this.db.pragma('foreign_keys = ON');
      if (switched) {
        try {
          this.db.pragma('journal_mode = WAL');
        } catch {
          // A reader holds the hub at this moment: the next open switches back (db.ts, configure).
        }
      }
    }
  }

  /**
   * Drops the secondary indexes of the tables a sync writes and returns a function that builds them
   * again, from their own definitions in the schema. Inside one transaction, a million inserts and one
   * index build each cost far less than a million index updates (a first sync of a national export).
   */
  suspendIndexes(opts: { searchRowsWritten?: boolean } = {}): () => void {
    // Not the review's partial indexes (schema v7): a load writes none of their rare entries, and
    // building one again would read the whole audit trail.
    const indexes = this.db
      .prepare(
        "SELECT name, sql, tbl_name AS tbl FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('accounts', 'links', 'audit', 'account_search') AND name NOT LIKE 'audit\\_review\\_%' ESCAPE '\\' ORDER BY name",
      )
      .all() as { name: string; sql: string; tbl: string }[];
    // The search rows too (schema v6): written once at the end for the accounts loaded, not per insert.
    const triggers = this.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'account_search\\_%' ESCAPE '\\'").all() as {
      name: string;
      sql: string;
    }[];
    const loadedAfter = (this.db.prepare('SELECT coalesce(max(id), 0) AS id FROM accounts').get() as { id: number }).id;
    for (const t of triggers) this.db.exec(`DROP TRIGGER "${t.name}"`);
    for (const i of indexes) this.db.exec(`DROP INDEX "${i.name}"`);
    return () => {
      for (const i of indexes) if (i.tbl !== 'account_search') this.db.exec(i.sql);
      // Unless the caller wrote them as it loaded (a sync's plan writer does: PlanWriter.writeSearchRows).
      if (!opts.searchRowsWritten) {
        this.db.exec(searchRowSql(`a.id > ${loadedAfter}`));
        // Into the search index too (the trigger that notes them is suspended as well).
        this.db.exec(`INSERT OR IGNORE INTO search_dirty (account_id) SELECT account_id FROM account_search WHERE account_id > ${loadedAfter}`);
        foldSearchIndex(this.db);
      }
      for (const i of indexes) if (i.tbl === 'account_search') this.db.exec(i.sql);
      this.db.exec(ACCOUNT_RECOUNT_SQL); // the counts' triggers were suspended with the search triggers
      for (const t of triggers) this.db.exec(t.sql);
    };
  }
}
