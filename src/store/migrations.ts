/**
 * The hub's schema, as numbered migrations. PRAGMA user_version holds the number of the last one
 * applied; a database with a higher number than this program knows is refused (db.ts).
 */
import { relationsSuffixSql } from '../sources/record.js';
import type Database from 'better-sqlite3';
import { sqlFold } from './search.js';
import { buildNameKeys, buildSearchIndex, SEARCH_INDEX_SQL, SEARCH_NAMES_SQL } from './search-index.js';

export interface Migration {
  version: number;
  description: string;
  sql: string;
  /** What the migration does after its SQL that SQL cannot (in the same transaction). */
  run?: (db: Database.Database) => void;
}

/**
 * The statement that writes the search row of the accounts that `where` selects (alias a): the folded
 * text that `users list --search` and the account picker look in (names, email, each link's
 * source:externalId and the relations of its record: schools, groups), and the folded name that lists
 * are ordered by. (A record's own copy of the name and email is left out: the account has them.)
 * Folded once, when written, in plain SQL (src/store/search.ts), so that a search runs in SQLite alone.
 * The fold is a long expression (a replace() per letter with a diacritic), so it appears twice here,
 * once for the name and once for the whole text: folding the joined text is folding each part.
 */
export function searchRowSql(where: string): string {
  // DELETE, then INSERT (not INSERT OR REPLACE): in a trigger, the outer statement's conflict policy
  // (an upsert's, say) would override the OR REPLACE.
  const links = `coalesce((SELECT group_concat(char(31) || l.source || ':' || l.external_id || ${relationsSuffixSql('l.record')}, '') FROM links l WHERE l.account_id = a.id), '')`;
  return `DELETE FROM account_search WHERE account_id IN (SELECT a.id FROM accounts a WHERE ${where});
    INSERT INTO account_search (account_id, name_key, text)
    SELECT a.id, ${sqlFold(`a.family_name || char(31) || a.given_name`)},
      ${sqlFold(`a.given_name || ' ' || a.prefix || ' ' || a.family_name || ' ' || a.given_name || ' ' || a.family_name || char(31) || a.email || ${links}`)}
    FROM accounts a WHERE ${where};`;
}

/**
 * The audit entries `exceptions review` looks for among a million (schema v7): lapsed entries, the
 * syncs that kept a listed account only because it was listed, and the decisions on entries. Partial
 * indexes: they hold these rare entries only, so a first sync's million creates cost them nothing (a
 * bulk load keeps them; see Store.suspendIndexes). A query must state the same condition to use one.
 */
export const AUDIT_LAPSE = "action = 'lapse'";
export const AUDIT_PROTECT = "action = 'protect'";
export const AUDIT_DECISION = "action IN ('exception.add', 'exception.edit')";

/**
 * How many accounts there are of each status and owner (schema v7, table account_counts), so that a
 * list's first page can say "20 of 1,000,000 active accounts" without counting a million index entries.
 * Kept by triggers, which a bulk load suspends with the search triggers (their names begin alike) and
 * replaces by a count at its end (Store.suspendIndexes).
 */
export const ACCOUNT_RECOUNT_SQL = `DELETE FROM account_counts;
  INSERT INTO account_counts (status, owner, n) SELECT status, owner, count(*) FROM accounts GROUP BY status, owner;`;

function accountCountsSql(): string {
  const plus = (r: string) =>
    `INSERT INTO account_counts (status, owner, n) VALUES (${r}.status, ${r}.owner, 1) ON CONFLICT (status, owner) DO UPDATE SET n = n + 1;`;
  const minus = (r: string) => `UPDATE account_counts SET n = n - 1 WHERE status = ${r}.status AND owner = ${r}.owner;`;
  return `
    CREATE TABLE IF NOT EXISTS account_counts (status TEXT NOT NULL, owner TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (status, owner)) WITHOUT ROWID;
    ${ACCOUNT_RECOUNT_SQL}
    CREATE TRIGGER IF NOT EXISTS account_search_count_insert AFTER INSERT ON accounts BEGIN ${plus('NEW')} END;
    CREATE TRIGGER IF NOT EXISTS account_search_count_delete AFTER DELETE ON accounts BEGIN ${minus('OLD')} END;
    CREATE TRIGGER IF NOT EXISTS account_search_count_update AFTER UPDATE OF status, owner ON accounts
      WHEN OLD.status IS NOT NEW.status OR OLD.owner IS NOT NEW.owner BEGIN ${minus('OLD')} ${plus('NEW')} END;`;
}

/** The triggers of schema v6, replaced in v7: each held the statement above, 195 KB of SQL in all. */
const V6_TRIGGERS = ['account_insert', 'account_update', 'account_delete', 'link_insert', 'link_update', 'link_delete'].map((t) => `account_search_${t}`);

/**
 * The triggers that keep account_search in step with every write to accounts and links. The statement
 * that writes a row is held once, by an INSTEAD OF trigger on the view account_search_refresh; the
 * triggers on accounts and links insert the account's id into that view. SQLite parses the whole
 * schema when a connection first uses it, so every command pays for the schema's size: with the
 * statement in every trigger (schema v6) that was 195 KB, some 15–40 ms of every command's start.
 */
export function searchTriggersSql(): string {
  const refresh = (id: string) => `INSERT INTO account_search_refresh (account_id) VALUES (${id});`;
  return `
    CREATE VIEW IF NOT EXISTS account_search_refresh AS SELECT NULL AS account_id WHERE 0;
    CREATE TRIGGER IF NOT EXISTS account_search_refresh INSTEAD OF INSERT ON account_search_refresh BEGIN ${searchRowSql('a.id = NEW.account_id')} END;
    CREATE TRIGGER IF NOT EXISTS account_search_account_insert AFTER INSERT ON accounts BEGIN ${refresh('NEW.id')} END;
    CREATE TRIGGER IF NOT EXISTS account_search_account_update AFTER UPDATE OF given_name, prefix, family_name, email ON accounts BEGIN ${refresh('NEW.id')} END;
    CREATE TRIGGER IF NOT EXISTS account_search_account_delete AFTER DELETE ON accounts BEGIN DELETE FROM account_search WHERE account_id = OLD.id; END;
    CREATE TRIGGER IF NOT EXISTS account_search_link_insert AFTER INSERT ON links BEGIN ${refresh('NEW.account_id')} END;
    CREATE TRIGGER IF NOT EXISTS account_search_link_update AFTER UPDATE OF source, external_id, account_id, record ON links BEGIN
      ${refresh('NEW.account_id')} INSERT INTO account_search_refresh (account_id) SELECT OLD.account_id WHERE OLD.account_id <> NEW.account_id; END;
    CREATE TRIGGER IF NOT EXISTS account_search_link_delete AFTER DELETE ON links BEGIN ${refresh('OLD.account_id')} END;`;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'accounts, source links, the exception list, sync runs and the audit trail',
    sql: `
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE sources (
        name        TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,
        format      TEXT NOT NULL,
        file        TEXT NOT NULL,
        match_field TEXT NOT NULL,
        map         TEXT NOT NULL DEFAULT '{}',
        priority    INTEGER NOT NULL DEFAULT 0,
        delimiter   TEXT,
        encoding    TEXT,
        date_format TEXT,
        grace_days  INTEGER NOT NULL DEFAULT 0,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );

      CREATE TABLE accounts (
        id                INTEGER PRIMARY KEY,
        given_name        TEXT NOT NULL DEFAULT '',
        prefix            TEXT NOT NULL DEFAULT '',
        family_name       TEXT NOT NULL DEFAULT '',
        email             TEXT NOT NULL DEFAULT '',
        role              TEXT NOT NULL DEFAULT '',
        status            TEXT NOT NULL CHECK (status IN ('active', 'deleted')),
        owner             TEXT NOT NULL CHECK (owner IN ('source', 'hub')),
        not_offered_since TEXT,
        created_at        TEXT NOT NULL,
        updated_at        TEXT NOT NULL,
        deleted_at        TEXT,
        deleted_by        TEXT,
        deleted_cause     TEXT
      );
      CREATE INDEX accounts_email ON accounts (lower(email)) WHERE email <> '';
      CREATE INDEX accounts_not_offered ON accounts (not_offered_since) WHERE not_offered_since IS NOT NULL;

      -- (source, externalId) -> account. record: the packed record as last read (src/sources/record.ts);
      -- fp: its fingerprint, NULL to make the next sync look at it again.
      CREATE TABLE links (
        source         TEXT NOT NULL,
        external_id    TEXT NOT NULL,
        account_id     INTEGER NOT NULL REFERENCES accounts (id),
        active         INTEGER NOT NULL,
        record         TEXT NOT NULL,
        fp             INTEGER,
        next_check     TEXT,
        inactive_since TEXT,
        created_at     TEXT NOT NULL,
        PRIMARY KEY (source, external_id)
      ) WITHOUT ROWID;
      CREATE INDEX links_account ON links (account_id);

      CREATE TABLE exceptions (
        account_id INTEGER PRIMARY KEY REFERENCES accounts (id),
        reason     TEXT NOT NULL CHECK (trim(reason) <> ''),
        until      TEXT,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
      );

      CREATE TABLE runs (
        id          INTEGER PRIMARY KEY,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        actor       TEXT NOT NULL,
        dry_run     INTEGER NOT NULL DEFAULT 0,
        status      TEXT NOT NULL CHECK (status IN ('completed', 'stopped')),
        plan_id     TEXT,
        forced      INTEGER NOT NULL DEFAULT 0,
        approved    TEXT,
        stop_reason TEXT,
        counts      TEXT NOT NULL DEFAULT '{}',
        files       TEXT NOT NULL DEFAULT '[]'
      );

      -- Every change, by a sync (run_id set) or a person. before/after: JSON of what changed.
      CREATE TABLE audit (
        id          INTEGER PRIMARY KEY,
        at          TEXT NOT NULL,
        actor       TEXT NOT NULL,
        action      TEXT NOT NULL,
        account_id  INTEGER,
        run_id      INTEGER,
        source      TEXT,
        external_id TEXT,
        detail      TEXT NOT NULL DEFAULT '',
        before      TEXT,
        after       TEXT,
        reason      TEXT
      );
      CREATE INDEX audit_account ON audit (account_id, id) WHERE account_id IS NOT NULL;
      CREATE INDEX audit_run ON audit (run_id, id) WHERE run_id IS NOT NULL;

      -- The changes a stopped run planned, so that they can be reviewed before --approve.
      CREATE TABLE planned_changes (
        run_id      INTEGER NOT NULL REFERENCES runs (id),
        seq         INTEGER NOT NULL,
        action      TEXT NOT NULL,
        account_id  INTEGER,
        source      TEXT,
        external_id TEXT,
        detail      TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;

      -- At most one row: the sync that holds the lock.
      CREATE TABLE sync_lock (
        id       INTEGER PRIMARY KEY CHECK (id = 1),
        pid      INTEGER NOT NULL,
        host     TEXT NOT NULL,
        actor    TEXT NOT NULL,
        since    TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'an audit trail that a first sync of a million people can write: creates as their record, runs by id range',
    // A first sync of a national export writes a million creates. Their detail and after are rendered
    // from the record when read (src/engine/describe.ts); earlier entries keep their text. A run's
    // entries are the ids from first_audit to last_audit (a sync writes them in one transaction, with
    // nothing in between), which spares an index of a million entries.
    sql: `
      ALTER TABLE audit ADD COLUMN record TEXT;
      ALTER TABLE runs ADD COLUMN first_audit INTEGER;
      ALTER TABLE runs ADD COLUMN last_audit INTEGER;
      UPDATE runs SET first_audit = (SELECT min(id) FROM audit WHERE run_id = runs.id),
                      last_audit = (SELECT max(id) FROM audit WHERE run_id = runs.id);
      DROP INDEX audit_run;
    `,
  },
  {
    version: 3,
    description: 'the source settings that the last applied sync used, so that a settings change takes effect at once',
    // synced_settings: JSON of the settings that decide what a source's records mean (src/app/sources.ts,
    // settingsSnapshot), as the last applied sync read them; NULL until a sync or an edit records them.
    // A sync whose sources' settings differ from it evaluates their accounts again.
    sql: `
      ALTER TABLE sources ADD COLUMN synced_settings TEXT;
    `,
  },
  {
    version: 4,
    description: 'what a sync changed, kept so that it can be reverted: each account as it was before the run',
    // One row per existing account that a run changed: the account, its links and its list entry as
    // they were before (src/store/undo.ts), and a fingerprint of what the run left, to tell whether
    // anything changed the account since. Accounts a run creates need no row: before it they did not
    // exist. Runs that started before this migration have no rows and can be reverted only partly
    // (meta 'undo_from_run': the first run that has them). runs.reverts: the run a revert undid.
    sql: `
      CREATE TABLE run_undo (
        run_id     INTEGER NOT NULL,
        account_id INTEGER NOT NULL,
        before     TEXT NOT NULL,
        after_fp   INTEGER NOT NULL,
        PRIMARY KEY (run_id, account_id)
      ) WITHOUT ROWID;
      ALTER TABLE runs ADD COLUMN reverts INTEGER;
      INSERT INTO meta (key, value) SELECT 'undo_from_run', coalesce(max(id), 0) + 1 FROM runs;
    `,
  },
  {
    version: 5,
    description: 'target systems: their settings, what each acknowledged per account, and their publish history',
    // Self-contained: no foreign key to accounts, on purpose. A purged account's row must outlive it,
    // so that the next publish removes it from the target (R15). account_created tells an account id
    // that SQLite handed out again after a purge from the account that had it before. IF NOT EXISTS:
    // the migration may be renumbered when merged with others, and must then apply cleanly again.
    sql: `
      CREATE TABLE IF NOT EXISTS targets (
        name       TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        settings   TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      -- Per target and account: what the target acknowledged. hash: of what was sent; remote_id: the
      -- target's id of the account (SCIM); active: whether it was sent as active.
      CREATE TABLE IF NOT EXISTS target_state (
        target          TEXT NOT NULL,
        account_id      INTEGER NOT NULL,
        account_created TEXT NOT NULL,
        remote_id       TEXT,
        hash            TEXT NOT NULL,
        active          INTEGER NOT NULL,
        acked_at        TEXT NOT NULL,
        PRIMARY KEY (target, account_id)
      ) WITHOUT ROWID;

      -- SCIM groups (schools and classes) a target acknowledged, by their key in the hub.
      CREATE TABLE IF NOT EXISTS target_groups (
        target    TEXT NOT NULL,
        key       TEXT NOT NULL,
        remote_id TEXT NOT NULL,
        hash      TEXT NOT NULL,
        acked_at  TEXT NOT NULL,
        PRIMARY KEY (target, key)
      ) WITHOUT ROWID;

      CREATE TABLE IF NOT EXISTS publish_runs (
        id          INTEGER PRIMARY KEY,
        target      TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        actor       TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('running', 'completed', 'stopped', 'failed')),
        plan_id     TEXT,
        forced      INTEGER NOT NULL DEFAULT 0,
        approved    TEXT,
        stop_reason TEXT,
        counts      TEXT NOT NULL DEFAULT '{}',
        failures    TEXT NOT NULL DEFAULT '[]'
      );
      CREATE INDEX IF NOT EXISTS publish_runs_target ON publish_runs (target, id);

      -- One publish per target at a time (a lock left by a killed publish is taken over).
      CREATE TABLE IF NOT EXISTS target_lock (
        target TEXT PRIMARY KEY,
        pid    INTEGER NOT NULL,
        host   TEXT NOT NULL,
        actor  TEXT NOT NULL,
        since  TEXT NOT NULL
      );
    `,
  },
  {
    version: 6,
    description: 'a search row per account, folded once when written, so that a search and the first page of a list read no million rows',
    // account_search: per account the folded text a search looks in and the folded name lists are
    // ordered by (searchRowSql). Kept by triggers on accounts and links, so every write keeps it: a sync,
    // a person's edit, a delete, restore, purge or revert. accounts_status: how many accounts a list has
    // in all, counted in the index. A bulk load (a first sync) drops the triggers
    // and the index and writes the rows once at its end (Store.suspendIndexes). Self-contained and
    // re-runnable (IF NOT EXISTS; the rows are written anew), should it be renumbered. Written out when
    // it runs (a getter): folding it into SQL would otherwise cost every start of every command.
    get sql() {
      return `
      CREATE TABLE IF NOT EXISTS account_search (
        account_id INTEGER PRIMARY KEY,
        name_key   TEXT NOT NULL,
        text       TEXT NOT NULL
      );
      ${searchRowSql('1')}
      CREATE INDEX IF NOT EXISTS account_search_name ON account_search (name_key, account_id);
      CREATE INDEX IF NOT EXISTS accounts_status ON accounts (status, owner);
      ${searchTriggersSql()}
    `;
    },
  },
  {
    version: 7,
    description:
      'the search triggers hold the statement that writes a search row once, not six times (a smaller schema for every command to parse); indexes of the audit entries a review looks for',
    // The rows themselves are the same (searchRowSql writes what v6 wrote). Self-contained and
    // re-runnable (DROP IF EXISTS, then IF NOT EXISTS), should it be renumbered. Built when run, as v6's: the
    // trigger SQL is long, and a hub that is up to date (every start but an upgrade's) never needs it.
    get sql() {
      return `
      ${V6_TRIGGERS.map((t) => `DROP TRIGGER IF EXISTS ${t};`).join('\n      ')}
      ${searchTriggersSql()}
      CREATE INDEX IF NOT EXISTS audit_review_lapse ON audit (id) WHERE ${AUDIT_LAPSE};
      CREATE INDEX IF NOT EXISTS audit_review_protect ON audit (account_id, id) WHERE ${AUDIT_PROTECT};
      CREATE INDEX IF NOT EXISTS audit_review_decision ON audit (account_id, id) WHERE ${AUDIT_DECISION};
      ${accountCountsSql()}
    `;
    },
  },
  {
    version: 8,
    description: 'links by account with whether each is active: whether a source offers a listed account is read from the index alone',
    // `exceptions review` asks this of every entry on the list (10,000 of a million accounts): from the
    // index alone that is a seek per entry, not a seek and a read of the link's row (with its record).
    // Queries by account_id use it as they used links_account. Self-contained and re-runnable.
    sql: `
      DROP INDEX IF EXISTS links_account;
      CREATE INDEX IF NOT EXISTS links_account_active ON links (account_id, active);
    `,
  },
  {
    version: 9,
    description: 'what a file target acknowledged, as one snapshot per target instead of a row per account',
    // A file target is rewritten whole, so what it acknowledged is stored whole: per account its id,
    // hash, creation time and active flag, packed (src/targets/snapshot.ts); `created` holds the
    // distinct creation times as a JSON array. A target's rows in target_state stay valid until its
    // next publish writes a snapshot and removes them: nothing is converted here. Self-contained and
    // re-runnable (IF NOT EXISTS), should it be renumbered.
    sql: `
      CREATE TABLE IF NOT EXISTS target_snapshot (
        target   TEXT PRIMARY KEY,
        acked_at TEXT NOT NULL,
        accounts INTEGER NOT NULL,
        active   INTEGER NOT NULL,
        created  TEXT NOT NULL,
        data     BLOB NOT NULL
      );
    `,
  },
  {
    version: 10,
    description:
      'a search index: a 512-bit trigram signature per search row, stored by bit per segment of accounts, so that a search reads only the rows that may match',
    // src/store/search-index.ts. The bitmaps are made in JavaScript from the rows the hub has (a few
    // seconds at a million). Self-contained and re-runnable (IF NOT EXISTS; the bitmaps are made anew).
    sql: SEARCH_INDEX_SQL,
    run: buildSearchIndex,
  },
  {
    version: 11,
    description:
      "the search index's name keys: the first bytes of each account's folded name, so that a search's page comes in name order without reading every match",
    // src/store/search-index.ts. Made from the search rows the hub has (a second or two at a million);
    // self-contained and re-runnable (IF NOT EXISTS; the keys are made anew where there are none).
    sql: SEARCH_NAMES_SQL,
    run: buildNameKeys,
  },
  {
    version: 12,
    description:
      'the search index\'s second half: a second bit per trigram by another hash, so that text of one trigram ("ozt") leaves under 2% of the rows to read, not a sixth',
    // src/store/search-index.ts. The slices' keys change (1,024 bits a segment), so the index is made
    // anew from the search rows the hub has (a few seconds at a million). Self-contained and re-runnable.
    sql: SEARCH_INDEX_SQL,
    run: buildSearchIndex,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
