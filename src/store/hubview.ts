/**
 * The engine's read-only view of the hub (src/engine/types.ts, HubView), for one sync. The links of
 * every source are loaded once into compact arrays (a million links cost tens of megabytes, not
 * hundreds); accounts, their links and list entries are read on demand, only for the few accounts a
 * sync has to look at.
 */
import type { HubView, LinkSummary } from '../engine/types.js';
import type { Account, ExceptionEntry, Link, MatchField } from '../model.js';
import { toAccount, toLink, type Store } from './store.js';

const ACTIVE = 1;
const DELETED = 2;

class SourceLinks {
  readonly index = new Map<string, number>();
  accountIds: Float64Array;
  fps: Float64Array; // NaN: no fingerprint
  flags: Uint8Array;
  readonly nextChecks = new Map<number, string>();
  size = 0;

  constructor(capacity: number) {
    this.accountIds = new Float64Array(Math.max(16, capacity));
    this.fps = new Float64Array(Math.max(16, capacity));
    this.flags = new Uint8Array(Math.max(16, capacity));
  }

  add(externalId: string, accountId: number, fp: number | null, active: boolean, deleted: boolean, nextCheck: string | null): void {
    const i = this.size++;
    this.index.set(externalId, i);
    this.accountIds[i] = accountId;
    this.fps[i] = fp === null ? NaN : fp;
    this.flags[i] = (active ? ACTIVE : 0) | (deleted ? DELETED : 0);
    if (nextCheck !== null) this.nextChecks.set(i, nextCheck);
  }

  get(externalId: string): LinkSummary | undefined {
    const i = this.index.get(externalId);
    if (i === undefined) return undefined;
    const fp = this.fps[i]!;
    return {
      accountId: this.accountIds[i]!,
      active: (this.flags[i]! & ACTIVE) !== 0,
      fp: Number.isNaN(fp) ? null : fp,
      nextCheck: this.nextChecks.get(i) ?? null,
      accountDeleted: (this.flags[i]! & DELETED) !== 0,
    };
  }

  *activeIds(): IterableIterator<string> {
    for (const [id, i] of this.index) if ((this.flags[i]! & ACTIVE) !== 0) yield id;
  }
}

export class StoreHubView implements HubView {
  private readonly links = new Map<string, SourceLinks>();
  private readonly candidateCounts = new Map<string, number>();
  private readonly stmt;

  constructor(private readonly store: Store, sourceNames: string[]) {
    const db = store.db;
    this.stmt = {
      account: db.prepare('SELECT * FROM accounts WHERE id = ?'),
      linksOf: db.prepare('SELECT * FROM links WHERE account_id = ? ORDER BY source, external_id'),
      exception: db.prepare('SELECT * FROM exceptions WHERE account_id = ?'),
      byEmail: db
        .prepare(
          `SELECT id FROM accounts a WHERE lower(email) = ? AND email <> '' AND status = 'active'
             AND NOT EXISTS (SELECT 1 FROM links l WHERE l.account_id = a.id AND l.source = ?) ORDER BY id`,
        )
        .pluck(),
      byExternalId: db
        .prepare(
          `SELECT DISTINCT a.id FROM links o JOIN accounts a ON a.id = o.account_id
            WHERE o.external_id = ? AND o.source <> ? AND a.status = 'active'
              AND NOT EXISTS (SELECT 1 FROM links l WHERE l.account_id = a.id AND l.source = ?) ORDER BY a.id`,
        )
        .pluck(),
      candidateCount: db
        .prepare(
          `SELECT count(*) FROM accounts a WHERE status = 'active'
             AND NOT EXISTS (SELECT 1 FROM links l WHERE l.account_id = a.id AND l.source = ?)`,
        )
        .pluck(),
    };
    const countStmt = db.prepare('SELECT count(*) FROM links WHERE source = ?').pluck();
    const rows = db
      .prepare(
        `SELECT l.external_id, l.account_id, l.fp, l.active, a.status = 'deleted', l.next_check
           FROM links l JOIN accounts a ON a.id = l.account_id WHERE l.source = ?`,
      )
      .raw();
    for (const name of sourceNames) {
      const sl = new SourceLinks(countStmt.get(name) as number);
      for (const r of rows.iterate(name) as Iterable<[string, number, number | null, number, number, string | null]>) {
        sl.add(r[0], r[1], r[2], r[3] === 1, r[4] === 1, r[5]);
      }
      this.links.set(name, sl);
    }
  }

  link(source: string, externalId: string): LinkSummary | undefined {
    return this.links.get(source)?.get(externalId);
  }

  activeLinkIds(source: string): Iterable<string> {
    return this.links.get(source)?.activeIds() ?? [];
  }

  account(id: number): Account {
    return toAccount(this.stmt.account.get(id) as Record<string, unknown>);
  }

  linksOf(accountId: number): Link[] {
    return (this.stmt.linksOf.all(accountId) as Record<string, unknown>[]).map(toLink);
  }

  exception(accountId: number): ExceptionEntry | undefined {
    const r = this.stmt.exception.get(accountId) as Record<string, unknown> | undefined;
    return r === undefined ? undefined : this.store.exceptionFromRow(r);
  }

  hasCandidates(source: string): boolean {
    let n = this.candidateCounts.get(source);
    if (n === undefined) this.candidateCounts.set(source, (n = this.stmt.candidateCount.get(source) as number));
    return n > 0;
  }

  candidates(source: string, field: MatchField, value: string): number[] {
    if (field === 'email') return this.stmt.byEmail.all(value.toLowerCase(), source) as number[];
    if (field === 'externalId') return this.stmt.byExternalId.all(value, source, source) as number[];
    return [];
  }

  unofferedAccountIds(): Iterable<number> {
    return this.store.db
      .prepare(
        `SELECT id FROM accounts a WHERE status = 'active' AND not_offered_since IS NOT NULL
           AND EXISTS (SELECT 1 FROM links l WHERE l.account_id = a.id) ORDER BY id`,
      )
      .pluck()
      .all() as number[];
  }

  lapsedExceptionIds(today: string): Iterable<number> {
    return this.store.db.prepare('SELECT account_id FROM exceptions WHERE until IS NOT NULL AND until < ? ORDER BY account_id').pluck().all(today) as number[];
  }
}
