/**
 * The `exceptions` table: the import-exceptions list (R4–R10), one entry per listed account.
 */
import type { Account, ExceptionEntry, Link } from '../model.js';
import { toAccount } from './accounts.js';
import { toLink } from './links.js';
import { mapForReading, Queries, readAll, readOne, rowCodec, type Row } from './rows.js';

export const exceptionCodec = rowCodec<ExceptionEntry>('account_id:int reason until:? created_at created_by updated_at updated_by');

/** The model object of an `exceptions` row. */
export function toException(r: Row): ExceptionEntry {
  return exceptionCodec.read(r);
}

/** What the review needs of every entry to put it in its groups (ExceptionQueries.exceptionFacts). */
export interface ExceptionFacts {
  accountId: number;
  createdAt: string;
  until: string | null;
  offered: boolean;
}

export class ExceptionQueries extends Queries {
  exception(accountId: number): ExceptionEntry | undefined {
    return readOne(this.db, exceptionCodec.read, 'SELECT * FROM exceptions WHERE account_id = ?', accountId);
  }

  exceptions(): ExceptionEntry[] {
    return readAll(this.db, exceptionCodec.read, 'SELECT * FROM exceptions ORDER BY created_at, account_id');
  }

  /** The entries from `offset` in list order (oldest first), at most `limit`: a page without reading the rest. */
  exceptionsPage(offset: number, limit: number): ExceptionEntry[] {
    return readAll(this.db, exceptionCodec.read, 'SELECT * FROM exceptions ORDER BY created_at, account_id LIMIT ? OFFSET ?', limit, offset);
  }

  /** The entries of these accounts, in list order. */
  exceptionsOf(ids: readonly number[]): ExceptionEntry[] {
    const sql = 'SELECT * FROM exceptions WHERE account_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, account_id';
    return readAll(this.db, exceptionCodec.read, sql, JSON.stringify(ids));
  }

  exceptionCount(): number {
    return this.db.prepare('SELECT count(*) FROM exceptions').pluck().get() as number;
  }

  /**
   * Per entry, in list order, only what decides which review groups it is in: when it was listed, its end
   * date, and whether a source offers the account (an active link). No account row and no record is read.
   */
  exceptionFacts(): ExceptionFacts[] {
    this.mapForReading();
    const rows = this.db
      .prepare(
        `SELECT e.account_id, e.created_at, e.until, EXISTS (SELECT 1 FROM links l WHERE l.account_id = e.account_id AND l.active) AS offered
         FROM exceptions e ORDER BY e.created_at, e.account_id`,
      )
      .raw()
      .all() as [number, string, string | null, number][];
    return rows.map(([accountId, createdAt, until, offered]) => ({ accountId, createdAt, until, offered: offered === 1 }));
  }

  /**
   * The accounts on the exception list (or only these of them) and their links, in two queries (not two
   * per entry). CROSS JOIN: from the list to the accounts, never a scan of all links. The rows of a long
   * list lie all over a large hub: they are read through a memory map (see mapForReading).
   */
  listedAccounts(ids?: readonly number[]): { accounts: Map<number, Account>; links: Map<number, Link[]> } {
    this.mapForReading();
    const e = ids === undefined ? 'exceptions e' : '(SELECT value AS account_id FROM json_each(@ids)) e';
    const params = ids === undefined ? {} : { ids: JSON.stringify(ids) };
    const accounts = new Map<number, Account>();
    for (const r of this.db.prepare(`SELECT a.* FROM ${e} CROSS JOIN accounts a ON a.id = e.account_id`).all(params) as Row[])
      accounts.set(r.id as number, toAccount(r));
    const links = new Map<number, Link[]>();
    const rows = this.db
      .prepare(`SELECT l.* FROM ${e} CROSS JOIN links l ON l.account_id = e.account_id ORDER BY e.account_id, l.source, l.external_id`)
      .all(params) as Row[];
    for (const r of rows) {
      const l = toLink(r);
      const list = links.get(l.accountId);
      if (list === undefined) links.set(l.accountId, [l]);
      else list.push(l);
    }
    return { accounts, links };
  }

  /** See mapForReading in rows.ts. */
  mapForReading(): void {
    mapForReading(this.db);
  }

  /** Adds an entry, or changes its reason and end date (who added it and when stays: R6). */
  saveException(e: ExceptionEntry): void {
    this.db
      .prepare(
        `INSERT INTO exceptions (account_id, reason, until, created_at, created_by, updated_at, updated_by)
         VALUES (@account_id, @reason, @until, @created_at, @created_by, @updated_at, @updated_by)
         ON CONFLICT (account_id) DO UPDATE SET reason = excluded.reason, until = excluded.until,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(exceptionCodec.write(e));
  }

  removeException(accountId: number): void {
    this.db.prepare('DELETE FROM exceptions WHERE account_id = ?').run(accountId);
  }
}
