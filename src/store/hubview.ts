/**
 * The engine's read-only view of the hub (src/engine/types.ts, HubView), for one sync. The links of
 * every source are loaded once into compact arrays (a million links cost tens of megabytes, not
 * hundreds); accounts, their links and list entries are read on demand, only for the few accounts a
 * sync has to look at.
 *
 * Loading is one read transaction (one snapshot of the hub), and cheap at a million links (issue 6):
 * the links are scanned without a join (which accounts are deleted is a bitmap by account id, from one
 * scan of the accounts), in pages and with a small page cache, their arrays grow as they fill (no count query
 * first), and whether a source has match candidates at all is counted from what was loaded, not with a
 * query per account.
 */
import type { HubView, LinkSummary } from '../engine/types.js';
import type { Account, ExceptionEntry, Link, MatchField } from '../model.js';
import { toAccount, toLink, type Store } from './store.js';

const ACTIVE = 1;
const DELETED = 2;
/** SQLite's page cache while the links are loaded: 2 MiB (negative: KiB). */
const LOAD_CACHE_KIB = -2048;
/** Links read per query while loading. */
const LOAD_PAGE = 4096;

class SourceLinks {
  readonly index = new Map<string, number>();
  accountIds = new Float64Array(1024);
  fps = new Float64Array(1024); // NaN: no fingerprint
  flags = new Uint8Array(1024);
  readonly nextChecks = new Map<number, string>();
  size = 0;

  private grow(): void {
    const cap = this.accountIds.length * 2;
    const ids = new Float64Array(cap);
    ids.set(this.accountIds);
    this.accountIds = ids;
    const fps = new Float64Array(cap);
    fps.set(this.fps);
    this.fps = fps;
    const flags = new Uint8Array(cap);
    flags.set(this.flags);
    this.flags = flags;
  }

  add(externalId: string, accountId: number, fp: number | null, active: boolean, deleted: boolean, nextCheck: string | null): void {
    if (this.size === this.accountIds.length) this.grow();
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

  /** How many of these links are active. */
  get activeCount(): number {
    let n = 0;
    for (let i = 0; i < this.size; i++) if ((this.flags[i]! & ACTIVE) !== 0) n++;
    return n;
  }

  *activeIds(): IterableIterator<string> {
    for (const [id, i] of this.index) if ((this.flags[i]! & ACTIVE) !== 0) yield id;
  }

  /** How many distinct accounts that are not deleted these links point to. */
  liveAccounts(maxAccountId: number): number {
    return this.markLiveAccounts(new Uint8Array(maxAccountId + 1));
  }

  /** Marks in `seen` (by account id) the accounts not deleted that these links point to; returns how many were new. */
  markLiveAccounts(seen: Uint8Array): number {
    let n = 0;
    for (let i = 0; i < this.size; i++) {
      if ((this.flags[i]! & DELETED) !== 0) continue;
      const id = this.accountIds[i]!;
      if (seen[id] === 0) {
        seen[id] = 1;
        n++;
      }
    }
    return n;
  }
}

export class StoreHubView implements HubView {
  private readonly links = new Map<string, SourceLinks>();
  private readonly candidateCounts = new Map<string, number>();
  private readonly stmt;
  private maxAccountId = 0;
  /** Accounts with status 'active' when the view was loaded. */
  private activeAccounts = 0;

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
    // The load reads every page of the links once, in order: keeping those pages in SQLite's cache
    // (64 MiB, see db.ts) helps nothing after it and costs that much memory at a million links.
    const cacheSize = db.pragma('cache_size', { simple: true }) as number;
    db.pragma(`cache_size = ${LOAD_CACHE_KIB}`);
    try {
      db.transaction(() => this.load(sourceNames))();
    } finally {
      db.pragma(`cache_size = ${cacheSize}`);
    }
  }

  private load(sourceNames: string[]): void {
    const db = this.store.db;
    this.maxAccountId = db.prepare('SELECT coalesce(max(id), 0) FROM accounts').pluck().get() as number;
    const deleted = new Uint8Array(this.maxAccountId + 1);
    let deletedCount = 0;
    for (const id of db.prepare("SELECT id FROM accounts WHERE status = 'deleted'").pluck().iterate() as Iterable<number>) {
      deleted[id] = 1;
      deletedCount++;
    }
    this.activeAccounts = (db.prepare('SELECT count(*) FROM accounts').pluck().get() as number) - deletedCount;
    // In pages of LOAD_PAGE links, in key order: .all() on a page costs about half of .iterate() per row.
    const cols = 'SELECT external_id, account_id, fp, active, next_check FROM links WHERE source = ?';
    const first = db.prepare(`${cols} ORDER BY external_id LIMIT ${LOAD_PAGE}`).raw();
    const next = db.prepare(`${cols} AND external_id > ? ORDER BY external_id LIMIT ${LOAD_PAGE}`).raw();
    type Row = [string, number, number | null, number, string | null];
    for (const name of sourceNames) {
      const sl = new SourceLinks();
      for (let page = first.all(name) as Row[]; page.length > 0; page = next.all(name, page[page.length - 1]![0]) as Row[]) {
        for (const r of page) sl.add(r[0], r[1], r[2], r[3] === 1, deleted[r[1]] === 1, r[4]);
        if (page.length < LOAD_PAGE) break;
      }
      this.links.set(name, sl);
    }
  }

  /**
   * Active accounts with at least one link, as Store.activeLinkedAccountCount() counts them (the base of
   * the default deletion limit), from what was loaded: exact when the view holds every source's links,
   * as a sync's view does (a removed source's links are removed with it).
   */
  activeLinkedAccountCount(): number {
    const seen = new Uint8Array(this.maxAccountId + 1);
    let n = 0;
    for (const sl of this.links.values()) n += sl.markLiveAccounts(seen);
    return n;
  }

  link(source: string, externalId: string): LinkSummary | undefined {
    return this.links.get(source)?.get(externalId);
  }

  activeLinkCount(source: string): number {
    return this.links.get(source)?.activeCount ?? 0;
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
    if (n === undefined) {
      // Active accounts without a link of this source: all active ones, less those its links point to.
      const sl = this.links.get(source);
      n = sl === undefined ? (this.stmt.candidateCount.get(source) as number) : this.activeAccounts - sl.liveAccounts(this.maxAccountId);
      this.candidateCounts.set(source, n);
    }
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
