/**
 * Writing an existing account's row and its links as a sync (src/store/apply.ts) or a revert
 * (src/store/undo.ts) leaves them: only the columns whose value changes. An UPDATE that names a column
 * updates every index on it and fires every trigger `AFTER UPDATE OF` it, whether its value changes or
 * not: naming the names and email rewrites the account's search row (src/store/search.ts), naming a
 * link's record rewrites it too, naming status and owner moves the account in their index. A sync that
 * deletes 10,000 accounts changes their status, not their names; writing only that keeps those pages
 * and that work out of the transaction. The statements are prepared once per set of columns.
 */
import type Database from 'better-sqlite3';
import type { AccountRowState, LinkState } from '../engine/undo.js';
import { accountCodec } from './accounts.js';
import type { DB } from './db.js';
import { linkCodec } from './links.js';

/** The account row's fields a sync or a revert writes, with their columns (as the table's codec names them). */
const ACCOUNT_FIELDS: readonly (keyof AccountRowState)[] = [
  'givenName',
  'prefix',
  'familyName',
  'email',
  'role',
  'status',
  'owner',
  'notOfferedSince',
  'deletedAt',
  'deletedBy',
  'deletedCause',
];
const ACCOUNT_COLUMNS = ACCOUNT_FIELDS.map((field) => [field, accountCodec.column(field)] as const);

/** A link's columns that change (its key, account and creation time stay). */
type LinkFields = Pick<LinkState, 'active' | 'record' | 'fp' | 'nextCheck' | 'inactiveSince'>;

const LINK_FIELDS: readonly (keyof LinkFields)[] = ['active', 'record', 'fp', 'nextCheck', 'inactiveSince'];
const LINK_COLUMNS = LINK_FIELDS.map((field) => [field, linkCodec.column(field)] as const);

function sqlValue(v: unknown): unknown {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

export class RowDiffWriter {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: DB) {}

  private statement(key: string, sql: () => string): Database.Statement {
    let s = this.statements.get(key);
    if (s === undefined) this.statements.set(key, (s = this.db.prepare(sql())));
    return s;
  }

  /** Writes account `id` as `to`, where it is `from` now: the columns that differ, and `updated_at`. */
  account(id: number, from: AccountRowState, to: AccountRowState, now: string): void {
    const columns: string[] = [];
    const values: unknown[] = [];
    for (const [field, column] of ACCOUNT_COLUMNS) {
      if (from[field] === to[field]) continue;
      columns.push(column);
      values.push(to[field]);
    }
    const key = `a:${columns.join(',')}`;
    const stmt = this.statement(key, () => `UPDATE accounts SET ${[...columns, 'updated_at'].map((c) => `${c} = ?`).join(', ')} WHERE id = ?`);
    stmt.run(...values, now, id);
  }

  /**
   * Writes link (source, externalId) as `to`, where it is `from` now: the columns that differ, nothing
   * when none does. With `accountId`, only while the link is still that account's (a revert).
   */
  link(from: LinkFields & { source: string; externalId: string }, to: LinkFields, accountId?: number): void {
    const columns: string[] = [];
    const values: unknown[] = [];
    for (const [field, column] of LINK_COLUMNS) {
      if (from[field] === to[field]) continue;
      columns.push(column);
      values.push(sqlValue(to[field]));
    }
    if (columns.length === 0) return;
    const guard = accountId === undefined ? '' : ' AND account_id = ?';
    const stmt = this.statement(
      `l:${columns.join(',')}${guard}`,
      () => `UPDATE links SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE source = ? AND external_id = ?${guard}`,
    );
    if (accountId === undefined) stmt.run(...values, from.source, from.externalId);
    else stmt.run(...values, from.source, from.externalId, accountId);
  }
}
