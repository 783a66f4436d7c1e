/**
 * The engine's read-only view of the hub (src/engine/types.ts, HubView), for one sync. A source's links
 * are streamed past the engine once (`eachLink`), in pages and with a small page cache, and never held:
 * the engine looks each one up in the export's own index, so a million links cost no second index of a
 * million keys. Accounts, their links and list entries are read on demand, only for the few
 * accounts a sync has to look at. What the deletion limit needs (how many live
 * accounts the links point to) is counted on the way.
 *
 * The caller runs the planning in one read transaction (src/app/sync.ts), so that all of it sees one
 * snapshot of the hub.
 */
import type { Candidates, HubView, LinkSummary } from '../engine/types.js';
import type { Account, ExceptionEntry, Link, MatchField } from '../model.js';
import { toAccount } from './accounts.js';
import { withStreamingCache } from './cache.js';
import { toException } from './exceptions.js';
import { LINKS_OF_MANY_SQL, toLink } from './links.js';
import type { Row } from './rows.js';
import type { Store } from './store.js';

/**
 * Links read per query while streaming: .all() on a page costs about half of .iterate() per row. And a
 * page small enough to die young: the young generation is kept at 1 MiB (src/heap.ts), and a page of
 * 4096 links (a few hundred KB of rows) outlived the collections that came while it was read, to be
 * copied and promoted (planning at 1M: 1.42-1.83 s cpu with 4096, 1.15-1.58 with 512).
 */
const LINK_PAGE = 512;

/**
 * A streamed link as three values: the account id, whether the link is active and whether its next
 * check is due come as one integer (`account_id * 4 + active * 2 + due`), which SQLite makes: each value
 * a row returns costs better-sqlite3 a JavaScript value, and at a million links five values took
 * about 0.1 s more than three.
 */
const STREAMED = `external_id, fp, account_id * 4 + active * 2 + coalesce(next_check <= @today, 0)`;

type LinkRow = [externalId: string, fp: number | null, accountAndFlags: number];

/** The rows of the accounts read ahead (readAhead), by account id; model objects are made on each read. */
interface Ahead {
  ids: Set<number>;
  accounts: Map<number, Row>;
  links: Map<number, Row[]>;
  entries: Map<number, Row>;
}

export class StoreHubView implements HubView {
  private readonly stmt;
  private readonly maxAccountId: number;
  /** Accounts with status 'active' when the view was made. */
  private readonly activeAccounts: number;
  /** By account id: 1 for a deleted account. */
  private readonly deleted: Uint8Array;
  /** By account id: 1 for an account not deleted that a streamed link points to. */
  private readonly live: Uint8Array;
  private liveCount = 0;
  /** The sources whose links were streamed (and counted into `live`). */
  private readonly streamed = new Set<string>();
  private ahead: Ahead | null = null;

  constructor(
    private readonly store: Store,
    private readonly sourceNames: string[],
  ) {
    const db = store.db;
    this.stmt = {
      account: db.prepare('SELECT * FROM accounts WHERE id = ?'),
      linksOf: db.prepare('SELECT * FROM links WHERE account_id = ? ORDER BY source, external_id'),
      exception: db.prepare('SELECT * FROM exceptions WHERE account_id = ?'),
      // The same for a set of accounts, given as a JSON array of ids (readAhead).
      accounts: db.prepare('SELECT * FROM accounts WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id'),
      linksOfMany: db.prepare(LINKS_OF_MANY_SQL),
      exceptions: db.prepare('SELECT * FROM exceptions WHERE account_id IN (SELECT value FROM json_each(?)) ORDER BY account_id'),
      // R12 with R5: every active account with the key, and whether a link of the source that is
      // active (a record of it claims the account) holds it. One with only inactive links to the source
      // is a candidate (R5: no record of that source claims it any more); one that a record claims is
      // not, but makes the record a conflict (the engine decides).
      byEmail: db
        .prepare(
          `SELECT id, EXISTS (SELECT 1 FROM links l WHERE l.account_id = a.id AND l.source = ? AND l.active = 1)
             FROM accounts a WHERE lower(email) = ? AND email <> '' AND status = 'active' ORDER BY id`,
        )
        .raw(),
      byExternalId: db
        .prepare(
          `SELECT DISTINCT a.id, EXISTS (SELECT 1 FROM links l WHERE l.account_id = a.id AND l.source = ? AND l.active = 1)
             FROM links o JOIN accounts a ON a.id = o.account_id
            WHERE o.external_id = ? AND o.source <> ? AND a.status = 'active' ORDER BY a.id`,
        )
        .raw(),
      activeLinked: db.prepare("SELECT count(*) FROM accounts a WHERE status = 'active' AND EXISTS (SELECT 1 FROM links l WHERE l.account_id = a.id)").pluck(),
      firstLinks: db.prepare(`SELECT ${STREAMED} FROM links WHERE source = @source ORDER BY external_id LIMIT ${LINK_PAGE}`).raw(),
      nextLinks: db.prepare(`SELECT ${STREAMED} FROM links WHERE source = @source AND external_id > @after ORDER BY external_id LIMIT ${LINK_PAGE}`).raw(),
    };
    this.maxAccountId = db.prepare('SELECT coalesce(max(id), 0) FROM accounts').pluck().get() as number;
    this.deleted = new Uint8Array(this.maxAccountId + 1);
    this.live = new Uint8Array(this.maxAccountId + 1);
    let deletedCount = 0;
    for (const id of db.prepare("SELECT id FROM accounts WHERE status = 'deleted'").pluck().iterate() as Iterable<number>) {
      this.deleted[id] = 1;
      deletedCount++;
    }
    this.activeAccounts = store.accountCount() - deletedCount;
  }

  eachLink(source: string, today: string, visit: (externalId: string, link: LinkSummary) => void): void {
    const db = this.store.db;
    const summary: LinkSummary = { accountId: 0, active: false, fp: null, checkDue: false, accountDeleted: false };
    // The links are read once, in order: keeping their pages in SQLite's cache (16 MiB, see db.ts)
    // helps nothing after it and costs that much memory at a million links.
    withStreamingCache(db, () => {
      let page = this.stmt.firstLinks.all({ source, today }) as LinkRow[];
      while (page.length > 0) {
        for (const r of page) {
          const flags = r[2] & 3; // the low bits, exact for any account id (ToInt32 keeps them)
          const accountId = (r[2] - flags) / 4;
          const deleted = this.deleted[accountId] === 1;
          summary.accountId = accountId;
          summary.fp = r[1];
          summary.active = flags >= 2;
          summary.checkDue = (flags & 1) === 1;
          summary.accountDeleted = deleted;
          visit(r[0], summary);
          if (!deleted && this.live[accountId] === 0) {
            this.live[accountId] = 1;
            this.liveCount++;
          }
        }
        if (page.length < LINK_PAGE) break;
        page = this.stmt.nextLinks.all({ source, today, after: page[page.length - 1][0] }) as LinkRow[];
      }
    });
    this.streamed.add(source);
  }

  /**
   * Active accounts with at least one link (the base of the default deletion limit): counted on the
   * way once every source's links were streamed, as a sync's planning does (a removed source's links
   * are removed with it); else counted by SQLite.
   */
  activeLinkedAccountCount(): number {
    if (this.sourceNames.every((n) => this.streamed.has(n))) return this.liveCount;
    return this.stmt.activeLinked.get() as number;
  }

  /** Reads these accounts, their links and list entries in one ordered pass per table, for the calls that follow. */
  readAhead(ids: readonly number[]): void {
    const json = JSON.stringify(ids);
    const ahead: Ahead = { ids: new Set(ids), accounts: new Map(), links: new Map(), entries: new Map() };
    for (const r of this.stmt.accounts.iterate(json) as Iterable<Row>) ahead.accounts.set(r.id as number, r);
    for (const r of this.stmt.linksOfMany.iterate(json) as Iterable<Row>) {
      const id = r.account_id as number;
      let list = ahead.links.get(id);
      if (list === undefined) ahead.links.set(id, (list = []));
      list.push(r);
    }
    for (const r of this.stmt.exceptions.iterate(json) as Iterable<Row>) ahead.entries.set(r.account_id as number, r);
    this.ahead = ahead;
  }

  account(id: number): Account {
    const r = this.ahead?.accounts.get(id);
    return toAccount(r ?? (this.stmt.account.get(id) as Row));
  }

  linksOf(accountId: number): Link[] {
    if (this.ahead?.ids.has(accountId)) return (this.ahead.links.get(accountId) ?? []).map(toLink);
    return (this.stmt.linksOf.all(accountId) as Row[]).map(toLink);
  }

  exception(accountId: number): ExceptionEntry | undefined {
    const r = this.ahead?.ids.has(accountId) ? this.ahead.entries.get(accountId) : (this.stmt.exception.get(accountId) as Row | undefined);
    return r === undefined ? undefined : toException(r);
  }

  /**
   * Whether a key can meet any account: an active account holds it, whether linked to the source or not
   * (one that a record of the source claims makes a conflict, R12). A first sync into an empty hub has
   * none, and asks nothing per record.
   */
  hasCandidates(): boolean {
    return this.activeAccounts > 0;
  }

  candidates(source: string, field: MatchField, value: string): Candidates {
    let rows: [number, number][];
    if (field === 'email') rows = this.stmt.byEmail.all(source, value.toLowerCase()) as [number, number][];
    else if (field === 'externalId') rows = this.stmt.byExternalId.all(source, value, source) as [number, number][];
    else return { open: [], claimed: [] };
    const found: Candidates = { open: [], claimed: [] };
    for (const [id, claimed] of rows) (claimed === 1 ? found.claimed : found.open).push(id);
    return found;
  }

  unofferedAccountIds(): Iterable<number> {
    // The few accounts not offered, through their partial index: SQLite would take the index on status
    // (a million active accounts, each looked up: 0.1-0.2 s at a million).
    return this.store.db
      .prepare(
        `SELECT id FROM accounts a INDEXED BY accounts_not_offered WHERE status = 'active' AND not_offered_since IS NOT NULL
           AND EXISTS (SELECT 1 FROM links l WHERE l.account_id = a.id) ORDER BY id`,
      )
      .pluck()
      .all() as number[];
  }

  lapsedExceptionIds(today: string): Iterable<number> {
    return this.store.db.prepare('SELECT account_id FROM exceptions WHERE until IS NOT NULL AND until < ? ORDER BY account_id').pluck().all(today) as number[];
  }
}
