/**
 * The hub's side of the target systems: their settings, what each acknowledged per account (R16), their
 * publish history, a lock per target, and the hub's accounts as the targets see them (R15).
 */
import os from 'node:os';
import { BasishubError } from '../errors.js';
import { hasRelationsSql, relationsSuffixSql, unpack } from '../sources/record.js';
import { relationsText } from '../targets/files.js';
import { AckSnapshot } from '../targets/snapshot.js';
import type { AckedState, HubAccount, HubRelation, PublishCounts, TargetConfig } from '../targets/types.js';
import { holderIsAlive, type LockHolder } from './lock.js';
import { readAll, readOne, type Row } from './rows.js';
import type { Store } from './store.js';

function toTarget(r: Row): TargetConfig {
  return {
    name: r.name as string,
    kind: r.kind as TargetConfig['kind'],
    settings: JSON.parse(r.settings as string) as TargetConfig['settings'],
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
  };
}

export interface PublishRun {
  id: number;
  target: string;
  startedAt: string;
  finishedAt: string | null;
  actor: string;
  status: 'running' | 'completed' | 'stopped' | 'failed';
  planId: string | null;
  forced: boolean;
  approved: string | null;
  stopReason: string | null;
  counts: Partial<PublishCounts>;
  failures: { userId: number | null; message: string }[];
}

function toRun(r: Row): PublishRun {
  return {
    id: r.id as number,
    target: r.target as string,
    startedAt: r.started_at as string,
    finishedAt: (r.finished_at as string | null) ?? null,
    actor: r.actor as string,
    status: r.status as PublishRun['status'],
    planId: (r.plan_id as string | null) ?? null,
    forced: r.forced === 1,
    approved: (r.approved as string | null) ?? null,
    stopReason: (r.stop_reason as string | null) ?? null,
    counts: JSON.parse(r.counts as string) as PublishRun['counts'],
    failures: JSON.parse(r.failures as string) as PublishRun['failures'],
  };
}

/** Is a relation current on `today` (R2: an ended or future relation does not count)? */
function current(r: HubRelation, today: string): boolean {
  return (r.startDate === null || r.startDate <= today) && (r.endDate === null || r.endDate >= today);
}

export class TargetStore {
  constructor(private readonly store: Store) {}

  private get db() {
    return this.store.db;
  }

  // ---- settings --------------------------------------------------------------------------------------
  targets(): TargetConfig[] {
    return readAll(this.db, toTarget, 'SELECT * FROM targets ORDER BY name');
  }

  target(name: string): TargetConfig | undefined {
    return readOne(this.db, toTarget, 'SELECT * FROM targets WHERE name = ?', name);
  }

  save(t: TargetConfig): void {
    this.db
      .prepare(
        `INSERT INTO targets (name, kind, settings, created_at, updated_at) VALUES (@name, @kind, @settings, @createdAt, @updatedAt)
         ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, settings = excluded.settings, updated_at = excluded.updated_at`,
      )
      .run({ ...t, settings: JSON.stringify(t.settings) });
  }

  /** Removes a target with everything it acknowledged and its history. */
  remove(name: string): void {
    for (const table of ['target_state', 'target_snapshot', 'target_groups', 'publish_runs', 'target_lock'])
      this.db.prepare(`DELETE FROM ${table} WHERE target = ?`).run(name);
    this.db.prepare('DELETE FROM targets WHERE name = ?').run(name);
  }

  /** Forgets what a target acknowledged (its output or URL changed: everything is sent again). */
  forget(name: string): void {
    for (const table of ['target_state', 'target_snapshot', 'target_groups']) this.db.prepare(`DELETE FROM ${table} WHERE target = ?`).run(name);
  }

  // ---- acknowledged state (R16) ----------------------------------------------------------------------
  /**
   * What the target acknowledged, in account id order (the publish plan merges it with the accounts):
   * a file target's snapshot, or its rows (a SCIM target, or a file target not published since the
   * snapshots came).
   */
  *states(target: string): IterableIterator<AckedState> {
    yield* this.ackedIn(target)(EVERY_ID);
  }

  /**
   * What the target acknowledged of a range of accounts at a time, in account id order (a publish in
   * slices asks for each): its snapshot is read once, its rows by range.
   */
  ackedIn(target: string): (range: IdRange) => Iterable<AckedState> {
    const snap = this.snapshot(target);
    if (snap !== null) return (range) => snap.snapshot.states(snap.ackedAt, range);
    const rows = this.db
      .prepare(
        `SELECT account_id, account_created, remote_id, hash, active, acked_at FROM target_state
         WHERE target = ? AND account_id > ? AND account_id <= ? ORDER BY account_id`,
      )
      .raw();
    return function* (range) {
      for (const r of rows.iterate(target, range.after, range.last) as Iterable<[number, string, string | null, string, number, string]>)
        yield { accountId: r[0], accountCreated: r[1], remoteId: r[2] ?? null, hash: r[3], active: r[4] === 1, ackedAt: r[5] };
    };
  }

  /** A file target's acknowledged snapshot, and when it was acknowledged (null: none). */
  snapshot(target: string): { snapshot: AckSnapshot; ackedAt: string } | null {
    const r = this.db.prepare('SELECT acked_at, created, data FROM target_snapshot WHERE target = ?').get(target) as
      { acked_at: string; created: string; data: Buffer } | undefined;
    return r === undefined ? null : { snapshot: AckSnapshot.decode(JSON.parse(r.created) as string[], r.data), ackedAt: r.acked_at };
  }

  /**
   * Records that a file target holds exactly these accounts now, acknowledged at `at`: one row for the
   * target, in place of the row per account it may have had.
   */
  saveSnapshot(target: string, snapshot: AckSnapshot, at: string): void {
    this.store.transaction(() => {
      this.db.prepare('DELETE FROM target_state WHERE target = ?').run(target);
      this.db
        .prepare('INSERT OR REPLACE INTO target_snapshot (target, acked_at, accounts, active, created, data) VALUES (?, ?, ?, ?, ?, ?)')
        .run(target, at, snapshot.length, snapshot.active, JSON.stringify(snapshot.created), snapshot.encode());
    });
  }

  stateSummary(target: string): { active: number; inactive: number; lastAck: string | null } {
    const snap = this.db.prepare('SELECT accounts AS n, active AS a, acked_at AS last FROM target_snapshot WHERE target = ?').get(target) as
      { a: number; n: number; last: string } | undefined;
    if (snap !== undefined) return { active: snap.a, inactive: snap.n - snap.a, lastAck: snap.last };
    const r = this.db.prepare('SELECT coalesce(sum(active), 0) AS a, count(*) AS n, max(acked_at) AS last FROM target_state WHERE target = ?').get(target) as {
      a: number;
      n: number;
      last: string | null;
    };
    return { active: r.a, inactive: r.n - r.a, lastAck: r.last };
  }

  /** Records acknowledgements, in one transaction (a batch of a publish). */
  ack(target: string, rows: AckedState[], gone: number[]): void {
    if (rows.length === 0 && gone.length === 0) return;
    const up = this.db.prepare(
      `INSERT INTO target_state (target, account_id, account_created, remote_id, hash, active, acked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (target, account_id) DO UPDATE SET account_created = excluded.account_created, remote_id = excluded.remote_id,
         hash = excluded.hash, active = excluded.active, acked_at = excluded.acked_at`,
    );
    const del = this.db.prepare('DELETE FROM target_state WHERE target = ? AND account_id = ?');
    this.store.transaction(() => {
      for (const s of rows) up.run(target, s.accountId, s.accountCreated, s.remoteId, s.hash, s.active ? 1 : 0, s.ackedAt);
      for (const id of gone) del.run(target, id);
    });
  }

  /** Whether a target acknowledged any account yet (a first publish sends everything). */
  hasAcknowledged(target: string): boolean {
    for (const table of ['target_snapshot', 'target_state'])
      if (this.db.prepare(`SELECT 1 FROM ${table} WHERE target = ? LIMIT 1`).get(target) !== undefined) return true;
    return false;
  }

  /** Remote ids of the accounts a target acknowledged as active (SCIM group members). */
  activeRemoteIds(target: string): Map<number, string> {
    const rows = this.db
      .prepare('SELECT account_id, remote_id FROM target_state WHERE target = ? AND active = 1 AND remote_id IS NOT NULL')
      .raw()
      .all(target) as [number, string][];
    return new Map(rows);
  }

  groups(target: string): Map<string, { remoteId: string; hash: string }> {
    const rows = this.db.prepare('SELECT key, remote_id, hash FROM target_groups WHERE target = ?').all(target) as {
      key: string;
      remote_id: string;
      hash: string;
    }[];
    return new Map(rows.map((r) => [r.key, { remoteId: r.remote_id, hash: r.hash }]));
  }

  ackGroup(target: string, key: string, remoteId: string, hash: string, at: string): void {
    this.db
      .prepare(
        `INSERT INTO target_groups (target, key, remote_id, hash, acked_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (target, key) DO UPDATE SET remote_id = excluded.remote_id, hash = excluded.hash, acked_at = excluded.acked_at`,
      )
      .run(target, key, remoteId, hash, at);
  }

  forgetGroup(target: string, key: string): void {
    this.db.prepare('DELETE FROM target_groups WHERE target = ? AND key = ?').run(target, key);
  }

  // ---- publish history ---------------------------------------------------------------------------------
  startRun(r: {
    target: string;
    startedAt: string;
    actor: string;
    planId: string;
    forced: boolean;
    approved: string | null;
    stopReason: string | null;
    status: PublishRun['status'];
    counts: Partial<PublishCounts>;
  }): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO publish_runs (target, started_at, actor, status, plan_id, forced, approved, stop_reason, counts, finished_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          r.target,
          r.startedAt,
          r.actor,
          r.status,
          r.planId,
          r.forced ? 1 : 0,
          r.approved,
          r.stopReason,
          JSON.stringify(r.counts),
          r.status === 'running' ? null : r.startedAt,
        ).lastInsertRowid,
    );
  }

  finishRun(id: number, r: { finishedAt: string; status: PublishRun['status']; counts: PublishCounts; failures: PublishRun['failures'] }): void {
    this.db
      .prepare('UPDATE publish_runs SET finished_at = ?, status = ?, counts = ?, failures = ? WHERE id = ?')
      .run(r.finishedAt, r.status, JSON.stringify(r.counts), JSON.stringify(r.failures.slice(0, 1000)), id);
  }

  lastRun(target: string): PublishRun | undefined {
    const r = this.db.prepare('SELECT * FROM publish_runs WHERE target = ? ORDER BY id DESC LIMIT 1').get(target) as Row | undefined;
    return r && toRun(r);
  }

  lastCompletedRun(target: string): PublishRun | undefined {
    const r = this.db.prepare("SELECT * FROM publish_runs WHERE target = ? AND status = 'completed' ORDER BY id DESC LIMIT 1").get(target) as Row | undefined;
    return r && toRun(r);
  }

  // ---- one publish per target at a time ----------------------------------------------------------------
  lock(target: string, actor: string, now: string): () => void {
    const me: LockHolder = { pid: process.pid, host: os.hostname(), actor, since: now };
    this.store.transaction(() => {
      const held = this.db.prepare('SELECT pid, host, actor, since FROM target_lock WHERE target = ?').get(target) as LockHolder | undefined;
      if (held !== undefined && holderIsAlive(held, Date.parse(now))) {
        throw new BasishubError(
          'SYNC_LOCKED',
          `Another publish to ${target} is running: started by ${held.actor} at ${held.since} (process ${held.pid} on ${held.host}).`,
          {
            hint: 'Wait for it to finish; this run sent nothing. A lock left by a killed publish is taken over automatically.',
            details: { holder: held },
          },
        );
      }
      this.db
        .prepare('INSERT OR REPLACE INTO target_lock (target, pid, host, actor, since) VALUES (?, ?, ?, ?, ?)')
        .run(target, me.pid, me.host, me.actor, me.since);
    });
    return () => {
      this.db.prepare('DELETE FROM target_lock WHERE target = ? AND pid = ? AND host = ?').run(target, me.pid, me.host);
    };
  }

  // ---- the hub as the targets see it (R15) --------------------------------------------------------------
  /** The lowest and the highest account id, or null when the hub has no account. */
  idSpan(): { first: number; last: number } | null {
    // Each in a query of its own: SQLite reads one end of the table for a lone min() or max(), and every row for both.
    const [first, last] = this.db.prepare('SELECT (SELECT min(id) FROM accounts), (SELECT max(id) FROM accounts)').raw().get() as [
      number | null,
      number | null,
    ];
    return first === null || last === null ? null : { first, last };
  }

  /**
   * Every account (or only the active ones), in id order, with its relations when asked: those of its
   * active links that are current today; for an account no source offers (protected, hub-owned), the
   * last ones its links knew, without dates: the person still works there as far as the hub knows.
   * `relations`: true for the relations and their text (what a file account's hash covers), 'text' for
   * the text alone (planning a file target: nothing is unpacked where it need not be), false for none.
   *
   * Most accounts have one link, and then their relations follow from that link's active flag and the
   * relations part of its packed record alone (today is the same for the whole pass). Where that part
   * has no dates, it is the text itself, active or not; the relations are worked out once per distinct
   * part and shared, frozen, by every account with the same: pupils of one class share one array, and
   * the writers work out a school's and a class's ids once per array (src/targets/files.ts, Roster).
   */
  *accounts(today: string, relations: boolean | 'text', activeOnly = false, range: IdRange = EVERY_ID): IterableIterator<HubAccount> {
    // A page of accounts at a time, and their links by the same id range: a statement's `all()` costs
    // less per row than stepping it row by row (the caller's transaction keeps every page in one snapshot).
    // The creation time only where it differs from the one read last (null where it is the same): the
    // accounts of one sync share theirs, and a million of them need not be made a million strings.
    const accountPage = this.db
      .prepare(
        `SELECT id, CASE WHEN created_at = ? THEN NULL ELSE created_at END, given_name, prefix, family_name, email, role, status = 'active'
         FROM accounts WHERE id > ? AND id <= ?${activeOnly ? " AND status = 'active'" : ''} ORDER BY id LIMIT ${PAGE}`,
      )
      .raw();
    // Only the relations part of a packed record (from its first record separator): the attributes are the account's own.
    const linkPage =
      relations !== false
        ? this.db
            .prepare(
              `SELECT account_id, active, ${relationsSuffixSql('record', true)} FROM links
               WHERE account_id BETWEEN ? AND ? AND ${hasRelationsSql('record', true)} ORDER BY account_id`,
            )
            .raw()
        : null;
    const shared = new SharedRelations(today);
    const full = relations === true;
    const mine: [number, string][] = [];
    let created = '';
    for (let after = range.after; ;) {
      const page = accountPage.all(created, after, range.last) as [number, string | null, string, string, string, string, string, number][];
      if (page.length === 0) return;
      after = page[page.length - 1][0];
      const links = linkPage === null ? null : (linkPage.all(page[0][0], after) as [number, number, string][]);
      let l = 0;
      for (const a of page) {
        let rel: readonly HubRelation[] = NONE;
        let text = '';
        if (links !== null) {
          while (l < links.length && links[l][0] < a[0]) l++;
          if (l < links.length && links[l][0] === a[0]) {
            if (l + 1 === links.length || links[l + 1][0] !== a[0]) rel = shared.ofOne(links[l][1], links[l++][2], full);
            else {
              mine.length = 0;
              for (; l < links.length && links[l][0] === a[0]; l++) mine.push([links[l][1], links[l][2]]);
              rel = shared.ofMany(mine, full);
            }
            text = shared.text;
          }
        }
        if (a[1] !== null) created = a[1];
        yield new StoredAccount(a[0], created, a[2], a[3], a[4], a[5], a[6] as HubAccount['role'], a[7] === 1, rel, links === null ? undefined : text);
      }
    }
  }
}

/** The relations of a StoredAccount are one relation without dates, read from its text when asked for. */
const ONE_FROM_TEXT: readonly HubRelation[] = Object.freeze([]);

/**
 * An account as accounts() yields it. Where its relations are one relation without dates (nearly
 * every account), they are read from their text only when asked for: a roster file (SDS, OneRoster)
 * finds an account's place by that text alone (src/targets/files.ts, Roster), and a million accounts
 * are then spared an array, an object and two strings each.
 */
class StoredAccount implements HubAccount {
  constructor(
    readonly id: number,
    readonly createdAt: string,
    readonly givenName: string,
    readonly prefix: string,
    readonly familyName: string,
    readonly email: string,
    readonly role: HubAccount['role'],
    readonly active: boolean,
    private rel: readonly HubRelation[],
    readonly relationsText: string | undefined,
  ) {}

  get relations(): readonly HubRelation[] {
    if (this.rel === ONE_FROM_TEXT) {
      // Organisation and group, as unpack() reads them.
      const part = this.relationsText!;
      const o = part.indexOf(US, 1);
      const g = part.indexOf(US, o + 1);
      this.rel = [{ organisation: part.slice(1, o), group: part.slice(o + 1, g), startDate: null, endDate: null }];
    }
    return this.rel;
  }
}

/** Accounts with an id in (after, last]: a part of the hub that a publish reads on its own (src/app/publish-split.ts). */
export interface IdRange {
  after: number;
  last: number;
}

export const EVERY_ID: IdRange = { after: Number.MIN_SAFE_INTEGER, last: Number.MAX_SAFE_INTEGER };

/** Accounts per page read (see accounts()). */
const PAGE = 512;

const NONE: readonly HubRelation[] = Object.freeze([]);

/** The relations of an account from its links' active flags and packed records (see accounts()). */
function relationsOf(links: readonly (readonly [number, string])[], today: string): HubRelation[] {
  let relations: HubRelation[] = [];
  let fallback: HubRelation[] | null = null;
  for (const [active, record] of links) {
    for (const r of unpack('', record).relations) {
      if (active === 1 && current(r, today)) relations.push(r);
      else (fallback ??= []).push(r);
    }
  }
  if (relations.length === 0 && fallback !== null)
    relations = fallback.map((r) => ({ organisation: r.organisation, group: r.group, startDate: null, endDate: null }));
  return dedupe(relations);
}

/**
 * Whether any relation in a relations part has a date: without dates, each one ends in two empty
 * fields. A part without dates is the relations' text as it is (sorted, without duplicates, as a
 * record is packed), whether its link is active or not.
 */
function hasDates(part: string): boolean {
  let end = part.indexOf(RS, 1);
  for (;;) {
    const e = end < 0 ? part.length : end;
    if (part.charCodeAt(e - 1) !== 0x1f || part.charCodeAt(e - 2) !== 0x1f) return true;
    if (end < 0) return false;
    end = part.indexOf(RS, end + 1);
  }
}

/**
 * An account's relations and their text (what a file account's hash covers) from its links. Most
 * accounts have one link, whose relations follow from its active flag and its relations part alone
 * (today is the same for the whole pass). A part without dates is its own text, active link or not;
 * with one relation it is read as it is, with more they are worked out once per distinct part and
 * shared, frozen, by every account with the same.
 */
class SharedRelations {
  private readonly seen = new Map<string, readonly HubRelation[]>();
  /** The text of the relations last worked out (what a file account's hash covers). */
  text = '';

  constructor(private readonly today: string) {}

  /** `full`: the relations (else NONE: only their text, in `text`). */
  ofOne(active: number, part: string, full: boolean): readonly HubRelation[] {
    if (hasDates(part)) {
      const r = relationsOf([[active, part]], this.today);
      this.text = relationsText(r);
      return full ? r : NONE;
    }
    this.text = part;
    if (!full) return NONE;
    // One relation without dates: read from the text when asked for (StoredAccount).
    if (part.indexOf(RS, 1) < 0) return ONE_FROM_TEXT;
    let hit = this.seen.get(part);
    if (hit === undefined) {
      const relations = relationsOf([[active, part]], this.today);
      for (const r of relations) Object.freeze(r);
      hit = Object.freeze(relations);
      // A hub where nearly everyone's relations differ must not keep them all.
      if (this.seen.size >= 10_000) this.seen.clear();
      this.seen.set(part, hit);
    }
    return hit;
  }

  ofMany(links: readonly (readonly [number, string])[], full: boolean): readonly HubRelation[] {
    const r = relationsOf(links, this.today);
    this.text = relationsText(r);
    return full ? r : NONE;
  }
}

const US = '\x1f';
const RS = '\x1e';

function dedupe(relations: HubRelation[]): HubRelation[] {
  if (relations.length < 2) return relations;
  const seen = new Set<string>();
  const out: HubRelation[] = [];
  for (const r of relations) {
    const key = `${r.organisation}\x1f${r.group}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out.sort((x, y) => (x.organisation + '\x1f' + x.group < y.organisation + '\x1f' + y.group ? -1 : 1));
}
