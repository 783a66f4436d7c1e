/**
 * The `links` table: which (source, externalId) is bound to which account, with the packed record as last
 * read (src/sources/record.ts) and what the next sync needs to skip an unchanged record.
 */
import type { Link } from '../model.js';
import { Queries, readAll, readOne, rowCodec, type Row } from './rows.js';

export const linkCodec = rowCodec<Link>('source external_id account_id:int active:bool record fp:int? next_check:? inactive_since:? created_at');

/** The model object of a `links` row. */
export function toLink(r: Row): Link {
  return linkCodec.read(r);
}

/** The links of many accounts (a JSON array of ids as the one parameter), in account order: prepared once where it runs in batches (hubview.ts). */
export const LINKS_OF_MANY_SQL = 'SELECT * FROM links WHERE account_id IN (SELECT value FROM json_each(?)) ORDER BY account_id, source, external_id';

export class LinkQueries extends Queries {
  link(source: string, externalId: string): Link | undefined {
    return readOne(this.db, linkCodec.read, 'SELECT * FROM links WHERE source = ? AND external_id = ?', source, externalId);
  }

  allLinks(): Link[] {
    return readAll(this.db, linkCodec.read, 'SELECT * FROM links ORDER BY account_id, source, external_id');
  }

  linksOf(accountId: number): Link[] {
    return readAll(this.db, linkCodec.read, 'SELECT * FROM links WHERE account_id = ? ORDER BY source, external_id', accountId);
  }

  /** Links of these accounts, in one query. */
  linksOfMany(ids: readonly number[]): Link[] {
    return readAll(this.db, linkCodec.read, LINKS_OF_MANY_SQL, JSON.stringify(ids));
  }

  linkCount(source: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM links WHERE source = ?').get(source) as { n: number }).n;
  }

  /** The accounts linked to this source and to no other: removing the source leaves them without a link. */
  linkedToSourceOnly(source: string): number[] {
    return this.db
      .prepare(
        `SELECT DISTINCT account_id FROM links l WHERE source = ?
           AND NOT EXISTS (SELECT 1 FROM links o WHERE o.account_id = l.account_id AND o.source <> l.source)`,
      )
      .pluck()
      .all(source) as number[];
  }

  /** Makes the next sync look at the account's links again (after a hub edit, R13). */
  invalidateLinks(accountId: number): void {
    this.db.prepare('UPDATE links SET fp = NULL WHERE account_id = ?').run(accountId);
  }

  deleteLinks(accountId: number): void {
    this.db.prepare('DELETE FROM links WHERE account_id = ?').run(accountId);
  }
}
