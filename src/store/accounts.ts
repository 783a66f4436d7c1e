/**
 * The `accounts` table: reading accounts, the users list and its search (the search rows of schema v6,
 * kept by triggers), editing, and erasing an account with what the other tables hold of it.
 */
import type { Account } from '../model.js';
import { mapForReading, Queries, readAll, readOne, rowCodec, type Row } from './rows.js';
import { accountCount, searchAccounts, storedFold } from './search.js';
import { foldSearchIndex } from './search-index.js';

export const accountCodec = rowCodec<Account>(
  'id:int given_name prefix family_name email role status owner not_offered_since:? created_at updated_at deleted_at:? deleted_by:? deleted_cause:?',
);

/** The model object of an `accounts` row. */
export function toAccount(r: Row): Account {
  return accountCodec.read(r);
}

export interface AccountFilter {
  status?: 'active' | 'deleted';
  owner?: 'source' | 'hub';
  search?: string;
  limit?: number;
  /** false: only the page is wanted, not how many match in all (a search then reads no sample to estimate it). */
  count?: boolean;
}

export class AccountQueries extends Queries {
  account(id: number): Account | undefined {
    return readOne(this.db, accountCodec.read, 'SELECT * FROM accounts WHERE id = ?', id);
  }

  accountsByEmail(email: string): Account[] {
    return readAll(this.db, accountCodec.read, "SELECT * FROM accounts WHERE lower(email) = lower(?) AND email <> '' ORDER BY id", email);
  }

  /** From the counts the triggers keep (schema v7): counting the table reads a page of its index per 1,600 accounts, into the page cache. */
  accountCount(): number {
    return this.db.prepare('SELECT coalesce(sum(n), 0) FROM account_counts').pluck().get() as number;
  }

  /** The accounts that match, in the order of accountPage; callers sort for people (src/dutch.ts). */
  listAccounts(f: AccountFilter = {}): Account[] {
    return this.accountPage({ ...f, count: false }).accounts;
  }

  /**
   * The accounts that match (at most f.limit), and how many match in all (`estimated`: a search's count
   * from a sample, src/store/search-page.ts). A search looks for the folded
   * text in each account's search row (schema v6: names, email, source:externalId, schools, groups), in
   * SQLite alone. The order is that of the folded names, which is the Dutch order but for a rare letter
   * (ø, ß): a page is the first accounts in that order; callers sort it with byDutchName.
   */
  accountPage(f: AccountFilter = {}): { accounts: Account[]; total: number; estimated: boolean } {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (f.status) {
      where.push('a.status = @status');
      params.status = f.status;
    }
    if (f.owner) {
      where.push('a.owner = @owner');
      params.owner = f.owner;
    }
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const q = f.search === undefined ? '' : storedFold(f.search.trim());
    if (q === '') {
      const limit = f.limit ? 'LIMIT @limit' : '';
      const rows = this.db
        // CROSS JOIN: walk the name index in order and stop at the page's end, rather than sort a million.
        .prepare(`SELECT a.* FROM account_search s CROSS JOIN accounts a ON a.id = s.account_id ${cond} ORDER BY s.name_key, s.account_id ${limit}`)
        .all({ ...params, ...(f.limit ? { limit: f.limit } : {}) }) as Row[];
      const total = f.limit && rows.length === f.limit ? accountCount(this.db, f) : rows.length;
      return { accounts: rows.map(toAccount), total, estimated: false };
    }
    // The matches first (src/store/search.ts), then the accounts of the page only.
    // Through a memory map: the picker's process searches at every keystroke, and the pages a search
    // touched stay mapped (about half the time from the second keystroke on; no slower the first time).
    mapForReading(this.db);
    const found = searchAccounts(this.db, q, f, { page: f.limit || undefined, count: f.count !== false });
    const byId = this.db.prepare('SELECT * FROM accounts WHERE id = ?');
    return { accounts: found.ids.map((id) => toAccount(byId.get(id) as Row)), total: found.total, estimated: found.estimated };
  }

  /** Folds the search rows written since into the search index (src/store/search-index.ts): a sync's end. */
  foldSearchIndex(): void {
    foldSearchIndex(this.db);
  }

  updateAccount(id: number, patch: Partial<Omit<Account, 'id' | 'createdAt'>>): void {
    const sets = Object.keys(patch).map((k) => `${accountCodec.column(k as keyof Account)} = @${k}`);
    if (sets.length === 0) return;
    this.db.prepare(`UPDATE accounts SET ${sets.join(', ')} WHERE id = @id`).run({ ...patch, id });
  }

  /** Deleted accounts whose deletion lies before `iso`, oldest first. */
  deletedBefore(iso: string): Account[] {
    return readAll(this.db, accountCodec.read, "SELECT * FROM accounts WHERE status = 'deleted' AND deleted_at < ? ORDER BY deleted_at, id", iso);
  }

  /** Erases an account: its row, links and list entry; its audit entries and planned changes lose their personal data. */
  purgeAccount(id: number): void {
    this.db.prepare('DELETE FROM links WHERE account_id = ?').run(id);
    this.db.prepare('DELETE FROM exceptions WHERE account_id = ?').run(id);
    this.db
      .prepare("UPDATE audit SET detail = '[purged]', before = NULL, after = NULL, reason = NULL, external_id = NULL, record = NULL WHERE account_id = ?")
      .run(id);
    this.db.prepare("UPDATE planned_changes SET detail = '[purged]', external_id = NULL WHERE account_id = ?").run(id);
    this.db.prepare('DELETE FROM accounts WHERE id = ?').run(id);
  }
}
