/**
 * The hub store: every query the use cases run. Rows are mapped to the entities of src/model.ts here,
 * and nowhere else.
 */
import type Database from 'better-sqlite3';
import type { DB } from './db.js';
import { ACCOUNT_RECOUNT_SQL, AUDIT_DECISION, AUDIT_LAPSE, AUDIT_PROTECT, searchRowSql } from './migrations.js';
import { accountCount, matchingAccountIds, storedFold } from './search.js';
import { describeRecordedCreate } from '../engine/describe.js';
import type { Account, AuditEntry, ExceptionEntry, Link, SourceConfig } from '../model.js';

type Row = Record<string, unknown>;

function parseJson(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : null;
}

export function toAccount(r: Row): Account {
  return {
    id: r.id as number,
    givenName: r.given_name as string,
    prefix: r.prefix as string,
    familyName: r.family_name as string,
    email: r.email as string,
    role: r.role as Account['role'],
    status: r.status as Account['status'],
    owner: r.owner as Account['owner'],
    notOfferedSince: (r.not_offered_since as string | null) ?? null,
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
    deletedAt: (r.deleted_at as string | null) ?? null,
    deletedBy: (r.deleted_by as string | null) ?? null,
    deletedCause: (r.deleted_cause as string | null) ?? null,
  };
}

export function toLink(r: Row): Link {
  return {
    source: r.source as string,
    externalId: r.external_id as string,
    accountId: r.account_id as number,
    active: r.active === 1,
    record: r.record as string,
    fp: (r.fp as number | null) ?? null,
    nextCheck: (r.next_check as string | null) ?? null,
    inactiveSince: (r.inactive_since as string | null) ?? null,
    createdAt: r.created_at as string,
  };
}

function toException(r: Row): ExceptionEntry {
  return {
    accountId: r.account_id as number,
    reason: r.reason as string,
    until: (r.until as string | null) ?? null,
    createdAt: r.created_at as string,
    createdBy: r.created_by as string,
    updatedAt: r.updated_at as string,
    updatedBy: r.updated_by as string,
  };
}

function toSource(r: Row): SourceConfig {
  return {
    name: r.name as string,
    kind: r.kind as SourceConfig['kind'],
    format: r.format as SourceConfig['format'],
    file: r.file as string,
    match: r.match_field as SourceConfig['match'],
    map: parseJson(r.map) as SourceConfig['map'],
    priority: r.priority as number,
    delimiter: (r.delimiter as string | null) ?? null,
    encoding: (r.encoding as SourceConfig['encoding']) ?? null,
    dateFormat: (r.date_format as string | null) ?? null,
    graceDays: r.grace_days as number,
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
  };
}

/** The audit entries of run @runId: its id range (schema v2), then the run id to be sure. */
const RUN_RANGE = `id BETWEEN (SELECT first_audit FROM runs WHERE id = @runId) AND (SELECT last_audit FROM runs WHERE id = @runId)
  AND run_id = @runId`;

function toAudit(r: Row): AuditEntry {
  const described = r.record == null ? null : describeRecordedCreate(r.source as string, r.external_id as string, r.record as string);
  return {
    id: r.id as number,
    at: r.at as string,
    actor: r.actor as string,
    action: r.action as string,
    accountId: (r.account_id as number | null) ?? null,
    runId: (r.run_id as number | null) ?? null,
    source: (r.source as string | null) ?? null,
    externalId: (r.external_id as string | null) ?? null,
    detail: described === null ? (r.detail as string) : described.detail,
    before: parseJson(r.before),
    after: described === null ? parseJson(r.after) : described.after,
    reason: (r.reason as string | null) ?? null,
  };
}

export interface AuditInput {
  at: string;
  actor: string;
  action: string;
  accountId?: number | null;
  runId?: number | null;
  source?: string | null;
  externalId?: string | null;
  detail?: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  /** A sync's create from one record, stored as that record instead of detail and after (engine/describe.ts). */
  record?: string;
}

export interface RunRecord {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  actor: string;
  dryRun: boolean;
  status: 'completed' | 'stopped';
  planId: string | null;
  forced: boolean;
  approved: string | null;
  stopReason: string | null;
  counts: Record<string, number>;
  files: RunFile[];
  /** The run that this run reverted (`sync revert`, schema v4); null for a sync. */
  reverts?: number | null;
}

export interface RunFile {
  source: string;
  path: string;
  checksum: string;
  records: number;
  rows: number;
}

function toRun(r: Row): RunRecord {
  return {
    id: r.id as number,
    startedAt: r.started_at as string,
    finishedAt: (r.finished_at as string | null) ?? null,
    actor: r.actor as string,
    dryRun: r.dry_run === 1,
    status: r.status as RunRecord['status'],
    planId: (r.plan_id as string | null) ?? null,
    forced: r.forced === 1,
    approved: (r.approved as string | null) ?? null,
    stopReason: (r.stop_reason as string | null) ?? null,
    counts: parseJson(r.counts) as Record<string, number>,
    files: parseJson(r.files) as RunFile[],
    reverts: (r.reverts as number | null | undefined) ?? null,
  };
}

export interface AccountFilter {
  status?: 'active' | 'deleted';
  owner?: 'source' | 'hub';
  search?: string;
  limit?: number;
}

export class Store {
  constructor(readonly db: DB) {}

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /**
   * Runs `fn` (the bulk load of a first sync into an empty hub) with a rollback journal instead of the
   * WAL. New pages are then written once, into the file; the WAL writes each twice, into the log and
   * again at the checkpoint (measured: about 3 s less for a million people). It is as safe: a crash
   * leaves a journal that the next open rolls back. What changes is that other commands wait for the
   * commit instead of reading the (empty) hub as it was. When another connection has the hub open the
   * mode cannot change, and the load runs in WAL mode; the next open restores WAL mode in any case
   * (db.ts).
   */
  withRollbackJournal<T>(fn: () => T): T {
    const timeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    let switched = false;
    this.db.pragma('busy_timeout = 0');
    try {
      switched = this.db.pragma('journal_mode = DELETE', { simple: true }) === 'delete';
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    } finally {
      this.db.pragma(`busy_timeout = ${timeout}`);
    }
    try {
      return fn();
    } finally {
      if (switched) {
        try {
          this.db.pragma('journal_mode = WAL');
        } catch {
          // A reader holds the hub at this moment: the next open switches back (db.ts, configure).
        }
      }
    }
  }

  // ---- sources -------------------------------------------------------------------------------------
  sources(): SourceConfig[] {
    return (this.db.prepare('SELECT * FROM sources ORDER BY priority DESC, name').all() as Row[]).map(toSource);
  }

  source(name: string): SourceConfig | undefined {
    const r = this.db.prepare('SELECT * FROM sources WHERE name = ?').get(name) as Row | undefined;
    return r && toSource(r);
  }

  saveSource(s: SourceConfig): void {
    this.db
      .prepare(
        `INSERT INTO sources (name, kind, format, file, match_field, map, priority, delimiter, encoding, date_format, grace_days, created_at, updated_at)
         VALUES (@name, @kind, @format, @file, @match, @map, @priority, @delimiter, @encoding, @dateFormat, @graceDays, @createdAt, @updatedAt)
         ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, format = excluded.format, file = excluded.file,
           match_field = excluded.match_field, map = excluded.map, priority = excluded.priority, delimiter = excluded.delimiter,
           encoding = excluded.encoding, date_format = excluded.date_format, grace_days = excluded.grace_days, updated_at = excluded.updated_at`,
      )
      .run({ ...s, map: JSON.stringify(s.map) });
  }

  /** The settings snapshot the last applied sync used (schema v3), or null. */
  syncedSettings(name: string): string | null {
    const r = this.db.prepare('SELECT synced_settings AS s FROM sources WHERE name = ?').get(name) as { s: string | null } | undefined;
    return r?.s ?? null;
  }

  setSyncedSettings(name: string, snapshot: string): void {
    this.db.prepare('UPDATE sources SET synced_settings = ? WHERE name = ?').run(snapshot, name);
  }

  removeSource(name: string): void {
    this.db.prepare('DELETE FROM links WHERE source = ?').run(name);
    this.db.prepare('DELETE FROM sources WHERE name = ?').run(name);
  }

  linkCount(source: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM links WHERE source = ?').get(source) as { n: number }).n;
  }

  // ---- accounts ------------------------------------------------------------------------------------
  account(id: number): Account | undefined {
    const r = this.db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as Row | undefined;
    return r && toAccount(r);
  }

  accountsByEmail(email: string): Account[] {
    return (this.db.prepare("SELECT * FROM accounts WHERE lower(email) = lower(?) AND email <> '' ORDER BY id").all(email) as Row[]).map(
      toAccount,
    );
  }

  link(source: string, externalId: string): Link | undefined {
    const r = this.db.prepare('SELECT * FROM links WHERE source = ? AND external_id = ?').get(source, externalId) as Row | undefined;
    return r && toLink(r);
  }

  allLinks(): Link[] {
    return (this.db.prepare('SELECT * FROM links ORDER BY account_id, source, external_id').all() as Row[]).map(toLink);
  }

  linksOf(accountId: number): Link[] {
    return (this.db.prepare('SELECT * FROM links WHERE account_id = ? ORDER BY source, external_id').all(accountId) as Row[]).map(toLink);
  }

  /** The accounts that match, in the order of accountPage; callers sort for people (src/dutch.ts). */
  listAccounts(f: AccountFilter = {}): Account[] {
    return this.accountPage(f).accounts;
  }

  /**
   * The accounts that match (at most f.limit), and how many match in all. A search looks for the folded
   * text in each account's search row (schema v6: names, email, source:externalId, schools, groups), in
   * SQLite alone. The order is that of the folded names, which is the Dutch order but for a rare letter
   * (ø, ß): a page is the first accounts in that order; callers sort it with byDutchName.
   */
  accountPage(f: AccountFilter = {}): { accounts: Account[]; total: number } {
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
      return { accounts: rows.map(toAccount), total };
    }
    // The matches first (one pass over the search rows), then the accounts of the page only.
    const ids = matchingAccountIds(this.db, q, f);
    const page = f.limit ? ids.slice(0, f.limit) : ids;
    const byId = this.db.prepare('SELECT * FROM accounts WHERE id = ?');
    return { accounts: page.map((id) => toAccount(byId.get(id) as Row)), total: ids.length };
  }

  updateAccount(id: number, patch: Partial<Omit<Account, 'id' | 'createdAt'>>): void {
    const cols: Record<string, string> = {
      givenName: 'given_name',
      prefix: 'prefix',
      familyName: 'family_name',
      email: 'email',
      role: 'role',
      status: 'status',
      owner: 'owner',
      notOfferedSince: 'not_offered_since',
      updatedAt: 'updated_at',
      deletedAt: 'deleted_at',
      deletedBy: 'deleted_by',
      deletedCause: 'deleted_cause',
    };
    const sets = Object.keys(patch).map((k) => `${cols[k]} = @${k}`);
    if (sets.length === 0) return;
    this.db.prepare(`UPDATE accounts SET ${sets.join(', ')} WHERE id = @id`).run({ ...patch, id });
  }

  /** Makes the next sync look at the account's links again (after a hub edit, R13). */
  invalidateLinks(accountId: number): void {
    this.db.prepare('UPDATE links SET fp = NULL WHERE account_id = ?').run(accountId);
  }

  deleteLinks(accountId: number): void {
    this.db.prepare('DELETE FROM links WHERE account_id = ?').run(accountId);
  }

  /** Deleted accounts whose deletion lies before `iso`, oldest first. */
  deletedBefore(iso: string): Account[] {
    return (this.db.prepare("SELECT * FROM accounts WHERE status = 'deleted' AND deleted_at < ? ORDER BY deleted_at, id").all(iso) as Row[]).map(toAccount);
  }

  /** Erases an account: its row, links and list entry; its audit entries lose their personal data. */
  purgeAccount(id: number): void {
    this.db.prepare('DELETE FROM links WHERE account_id = ?').run(id);
    this.db.prepare('DELETE FROM exceptions WHERE account_id = ?').run(id);
    this.db.prepare("UPDATE audit SET detail = '[purged]', before = NULL, after = NULL, reason = NULL, external_id = NULL, record = NULL WHERE account_id = ?").run(id);
    this.db.prepare("UPDATE planned_changes SET detail = '[purged]', external_id = NULL WHERE account_id = ?").run(id);
    this.db.prepare('DELETE FROM accounts WHERE id = ?').run(id);
  }

  private mapped = false;

  /**
   * From now on, reads this connection's pages through a memory map instead of copying each into
   * SQLite's cache: for reads that visit rows all over a large hub (10,000 listed accounts of a million
   * lie on most of its pages), about half the time. Not for a sync or a publish: mapped pages that were
   * read count toward a process's peak memory.
   */
  mapForReading(): void {
    if (this.mapped) return;
    this.db.pragma('mmap_size = 2147418112');
    this.mapped = true;
  }

  // ---- the exception list --------------------------------------------------------------------------
  exception(accountId: number): ExceptionEntry | undefined {
    const r = this.db.prepare('SELECT * FROM exceptions WHERE account_id = ?').get(accountId) as Row | undefined;
    return r && toException(r);
  }

  exceptionFromRow(r: Row): ExceptionEntry {
    return toException(r);
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
    for (const r of this.db.prepare(`SELECT a.* FROM ${e} CROSS JOIN accounts a ON a.id = e.account_id`).all(params) as Row[]) accounts.set(r.id as number, toAccount(r));
    const links = new Map<number, Link[]>();
    const rows = this.db.prepare(`SELECT l.* FROM ${e} CROSS JOIN links l ON l.account_id = e.account_id ORDER BY e.account_id, l.source, l.external_id`).all(params) as Row[];
    for (const r of rows) {
      const l = toLink(r);
      const list = links.get(l.accountId);
      if (list === undefined) links.set(l.accountId, [l]);
      else list.push(l);
    }
    return { accounts, links };
  }

  /** Links of these accounts, in one query. */
  linksOfMany(ids: readonly number[]): Link[] {
    return (this.db.prepare('SELECT * FROM links WHERE account_id IN (SELECT value FROM json_each(?)) ORDER BY account_id, source, external_id').all(JSON.stringify(ids)) as Row[]).map(toLink);
  }

  exceptions(): ExceptionEntry[] {
    return (this.db.prepare('SELECT * FROM exceptions ORDER BY created_at, account_id').all() as Row[]).map(toException);
  }

  saveException(e: ExceptionEntry): void {
    this.db
      .prepare(
        `INSERT INTO exceptions (account_id, reason, until, created_at, created_by, updated_at, updated_by)
         VALUES (@accountId, @reason, @until, @createdAt, @createdBy, @updatedAt, @updatedBy)
         ON CONFLICT (account_id) DO UPDATE SET reason = excluded.reason, until = excluded.until,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(e);
  }

  removeException(accountId: number): void {
    this.db.prepare('DELETE FROM exceptions WHERE account_id = ?').run(accountId);
  }

  // ---- audit ---------------------------------------------------------------------------------------
  private auditStmt?: Database.Statement;

  /** Writes one audit entry (every change, by a sync or a person, goes through here). */
  audit(e: AuditInput): number {
    this.auditStmt ??= this.db.prepare(
      `INSERT INTO audit (at, actor, action, account_id, run_id, source, external_id, detail, before, after, reason, record)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    return Number(
      this.auditStmt.run(
        e.at,
        e.actor,
        e.action,
        e.accountId ?? null,
        e.runId ?? null,
        e.source ?? null,
        e.externalId ?? null,
        e.detail ?? '',
        e.before === undefined ? null : JSON.stringify(e.before),
        e.after === undefined ? null : JSON.stringify(e.after),
        e.reason ?? null,
        e.record ?? null,
      ).lastInsertRowid,
    );
  }

  auditEntries(f: { accountId?: number; runId?: number; since?: string; limit?: number; order?: 'asc' | 'desc' }): AuditEntry[] {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (f.accountId !== undefined) {
      where.push('account_id = @accountId');
      params.accountId = f.accountId;
    }
    if (f.runId !== undefined) {
      where.push(RUN_RANGE);
      params.runId = f.runId;
    }
    if (f.since !== undefined) {
      where.push('at >= @since');
      params.since = f.since;
    }
    const order = f.order === 'asc' ? 'ASC' : 'DESC';
    const sql = `SELECT * FROM audit ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id ${order}${
      f.limit !== undefined ? ' LIMIT @limit' : ''
    }`;
    if (f.limit !== undefined) params.limit = f.limit;
    return (this.db.prepare(sql).all(params) as Row[]).map(toAudit);
  }

  /** The hub's revision: the id of the last audit entry. Every change writes one. */
  revision(): number {
    return (this.db.prepare('SELECT coalesce(max(id), 0) AS r FROM audit').get() as { r: number }).r;
  }

  // ---- runs ----------------------------------------------------------------------------------------
  insertRun(r: Omit<RunRecord, 'id'>): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO runs (started_at, finished_at, actor, dry_run, status, plan_id, forced, approved, stop_reason, counts, files)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          r.startedAt,
          r.finishedAt,
          r.actor,
          r.dryRun ? 1 : 0,
          r.status,
          r.planId,
          r.forced ? 1 : 0,
          r.approved,
          r.stopReason,
          JSON.stringify(r.counts),
          JSON.stringify(r.files),
        ).lastInsertRowid,
    );
  }

  /**
   * Ends a run. `auditAfter`: the revision before the run wrote its first audit entry; every entry
   * after it is the run's, because a sync writes them in one transaction.
   */
  finishRun(id: number, patch: { finishedAt: string; counts: Record<string, number>; planId: string | null; auditAfter: number }): void {
    const last = this.revision();
    this.db
      .prepare('UPDATE runs SET finished_at = ?, counts = ?, plan_id = ?, first_audit = ?, last_audit = ? WHERE id = ?')
      .run(
        patch.finishedAt,
        JSON.stringify(patch.counts),
        patch.planId,
        last > patch.auditAfter ? patch.auditAfter + 1 : null,
        last > patch.auditAfter ? last : null,
        id,
      );
  }

  run(id: number): RunRecord | undefined {
    const r = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as Row | undefined;
    return r && toRun(r);
  }

  runs(limit: number): RunRecord[] {
    return (this.db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit) as Row[]).map(toRun);
  }

  /**
   * The last completed, real sync's files: the base of the source-health check. Reverts read no files,
   * and a run that was reverted is no base either: after a revert the next night is compared with the
   * run before the bad one.
   */
  lastCompletedRun(): RunRecord | undefined {
    const r = this.db
      .prepare(
        `SELECT * FROM runs WHERE status = 'completed' AND dry_run = 0 AND reverts IS NULL
           AND id NOT IN (SELECT reverts FROM runs WHERE reverts IS NOT NULL) ORDER BY id DESC LIMIT 1`,
      )
      .get() as
      | Row
      | undefined;
    return r && toRun(r);
  }

  savePlannedChanges(runId: number, changes: Iterable<{ action: string; accountId: number | null; source: string | null; externalId: string | null; detail: string }>): void {
    const ins = this.db.prepare(
      'INSERT INTO planned_changes (run_id, seq, action, account_id, source, external_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    let seq = 0;
    for (const c of changes) ins.run(runId, seq++, c.action, c.accountId, c.source, c.externalId, c.detail);
  }

  plannedChanges(runId: number): { action: string; accountId: number | null; source: string | null; externalId: string | null; detail: string }[] {
    return (
      this.db.prepare('SELECT * FROM planned_changes WHERE run_id = ? ORDER BY seq').all(runId) as Row[]
    ).map((r) => ({
      action: r.action as string,
      accountId: (r.account_id as number | null) ?? null,
      source: (r.source as string | null) ?? null,
      externalId: (r.external_id as string | null) ?? null,
      detail: r.detail as string,
    }));
  }

  /**
   * The changes of a completed run, streamed from the audit trail in the order the run made them; a page
   * of them (offset, limit), of one action only if given (`sync show` of a large run: its first page).
   */
  *runChanges(
    runId: number,
    page: { action?: string; offset?: number; limit?: number } = {},
  ): IterableIterator<{ action: string; userId: number | null; source: string | null; externalId: string | null; detail: string }> {
    const rows = this.db
      .prepare(`SELECT action, account_id, source, external_id, detail, record FROM audit WHERE ${RUN_RANGE}${page.action === undefined ? '' : ' AND action = @action'} ORDER BY id LIMIT @limit OFFSET @offset`)
      .raw()
      .iterate({ runId, limit: page.limit ?? -1, offset: page.offset ?? 0, ...(page.action === undefined ? {} : { action: page.action }) }) as Iterable<[string, number | null, string | null, string | null, string, string | null]>;
    for (const r of rows) {
      const detail = r[5] === null ? r[4] : describeRecordedCreate(r[2]!, r[3]!, r[5]).detail;
      yield { action: r[0], userId: r[1], source: r[2], externalId: r[3], detail };
    }
  }

  /** How many changes of each action a completed run made, counted in SQLite. */
  runChangeCounts(runId: number): Map<string, number> {
    const rows = this.db.prepare(`SELECT action, count(*) AS n FROM audit WHERE ${RUN_RANGE} GROUP BY action`).all({ runId }) as { action: string; n: number }[];
    return new Map(rows.map((r) => [r.action, r.n]));
  }

  // ---- bulk loading ----------------------------------------------------------------------------------
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
    const triggers = this.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'account_search\\_%' ESCAPE '\\'").all() as { name: string; sql: string }[];
    const loadedAfter = (this.db.prepare('SELECT coalesce(max(id), 0) AS id FROM accounts').get() as { id: number }).id;
    for (const t of triggers) this.db.exec(`DROP TRIGGER "${t.name}"`);
    for (const i of indexes) this.db.exec(`DROP INDEX "${i.name}"`);
    return () => {
      for (const i of indexes) if (i.tbl !== 'account_search') this.db.exec(i.sql);
      // Unless the caller wrote them as it loaded (a sync's plan writer does: PlanWriter.writeSearchRows).
      if (!opts.searchRowsWritten) this.db.exec(searchRowSql(`a.id > ${loadedAfter}`));
      for (const i of indexes) if (i.tbl === 'account_search') this.db.exec(i.sql);
      this.db.exec(ACCOUNT_RECOUNT_SQL);
      for (const t of triggers) this.db.exec(t.sql);
    };
  }

  accountCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
  }

  // ---- review of the exception list --------------------------------------------------------
  /** A value of the `meta` table (not audited: it does not change the hub's revision). */
  meta(key: string): string | undefined {
    const r = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return r?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** The lapse entries with afterId < id <= upToId, oldest first (through their index, schema v7). */
  lapsesBetween(afterId: number, upToId: number): AuditEntry[] {
    return (this.db.prepare(`SELECT * FROM audit WHERE ${AUDIT_LAPSE} AND id > ? AND id <= ? ORDER BY id`).all(afterId, upToId) as Row[]).map(toAudit);
  }

  /**
   * Per account, the id of its newest audit entry of a kind the review looks for: a sync that kept it
   * only because it was listed ('protect'), or a decision on its entry (added, edited). Read from the
   * kind's own index (schema v7), never from the whole trail.
   */
  lastAuditIds(kind: 'protect' | 'decision'): Map<number, number> {
    const rows = this.db.prepare(`SELECT account_id, max(id) FROM audit WHERE ${kind === 'protect' ? AUDIT_PROTECT : AUDIT_DECISION} GROUP BY account_id`).raw().all() as [number, number][];
    return new Map(rows);
  }

  /** When audit entry `id` was written. */
  auditAt(id: number): string | undefined {
    return (this.db.prepare('SELECT at FROM audit WHERE id = ?').pluck().get(id) as string | undefined) ?? undefined;
  }
}
