/**
 * The hub store: one connection and the queries of every table, each table in its own module with its
 * row codec (rows.ts) and its SQL:
 *
 * | module | tables, purpose |
 * |---|---|
 * | sources.ts | `sources`: each source's settings |
 * | accounts.ts | `accounts` (and `account_search`, read for the users list); erasing an account |
 * | links.ts | `links`: (source, externalId) → account |
 * | exceptions.ts | `exceptions`: the import-exceptions list |
 * | audit.ts | `audit`: the trail, stored as written (src/app/trail.ts renders a create kept as its record) |
 * | runs.ts | `runs` and `planned_changes` |
 * | meta.ts | `meta`: settings and markers |
 * | bulk.ts | a bulk load: indexes suspended, rollback journal |
 *
 * `Store` has all of their queries (`store.account(id)`, `store.audit(...)`), so that a use case needs one
 * object. Modules with a purpose of their own keep their own SQL beside it, on the same connection: the
 * engine's view of the hub for one sync (hubview.ts), writing a sync's plan (apply.ts) and an existing
 * account where it changes (rowdiff.ts, shared with the revert), the undo record
 * of runs (undo.ts), the sync lock (lock.ts), the target systems' tables (targets.ts), the search rows
 * (search.ts, migrations.ts), the integrity check (check.ts) and the schema (migrations.ts).
 * Nothing else in the program runs SQL on the hub (the bench, src/bench, seeds and probes hubs of its own).
 */
import type { DB } from './db.js';
import { AccountQueries } from './accounts.js';
import { AuditQueries } from './audit.js';
import { BulkQueries } from './bulk.js';
import { ExceptionQueries } from './exceptions.js';
import { LinkQueries } from './links.js';
import { MetaQueries } from './meta.js';
import { RunQueries } from './runs.js';
import { SourceQueries } from './sources.js';

export type { AccountFilter } from './accounts.js';
export type { AuditInput, StoredAuditEntry } from './audit.js';
export type { RunFile, RunRecord, StoredChange } from './runs.js';

const TABLES = [SourceQueries, AccountQueries, LinkQueries, ExceptionQueries, AuditQueries, RunQueries, MetaQueries, BulkQueries];

// The queries of every table module, as methods of the Store (see the table above).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Store extends SourceQueries, AccountQueries, LinkQueries, ExceptionQueries, AuditQueries, RunQueries, MetaQueries, BulkQueries {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Store {
  constructor(readonly db: DB) {}

  /** Runs `fn` in one write transaction (BEGIN IMMEDIATE): all of it or nothing. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }
}

for (const table of TABLES) {
  for (const name of Object.getOwnPropertyNames(table.prototype)) {
    if (name === 'constructor') continue;
    // Two modules with a query of the same name would hide one of them: that is a mistake, said at once.
    if (Object.prototype.hasOwnProperty.call(Store.prototype, name)) throw new Error(`Store: two table modules define ${name}()`);
    Object.defineProperty(Store.prototype, name, Object.getOwnPropertyDescriptor(table.prototype, name)!);
  }
}
