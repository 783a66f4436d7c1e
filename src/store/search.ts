/**
 * An account's search row (schema v6, table account_search), made in JavaScript: what the triggers'
 * SQL (searchRowSql in src/store/migrations.ts) writes, character for character, for a bulk load that
 * writes the rows itself. The folded name orders lists; the folded text is what a search looks in.
 *
 * The fold is plain SQL, so that the triggers work on any connection (the sqlite3 shell, a check): lower
 * case for ASCII (SQLite's lower()) and a table for the Latin letters with diacritics (U+00C0–U+024F:
 * Ö → o, ç → c, İ → i, Ø → ø), the letters of the names a Dutch school meets. storedFold is the same
 * fold in JavaScript, for the rows a bulk load writes and for what a person searches for.
 */
import type Database from 'better-sqlite3';
import { relationsSuffix } from '../sources/record.js';
import { candidateIds, queryBits } from './search-index.js';

let folds: Map<string, string> | undefined;

/** The letters with diacritics and what they fold to: made when first needed (not at every start). */
function foldTable(): Map<string, string> {
  if (folds === undefined) {
    folds = new Map();
    for (let c = 0xc0; c <= 0x24f; c++) {
      const ch = String.fromCodePoint(c);
      const folded = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
      if (folded !== ch) folds.set(ch, folded);
    }
  }
  return folds;
}

/** Text folded as the search rows store it (see above). */
export function storedFold(text: string): string {
  if (!/[\u0080-\uffff]/.test(text)) return text.toLowerCase();
  const table = foldTable();
  return text.replace(/[A-Z\u00c0-\u024f]/g, (c) => table.get(c) ?? c.toLowerCase());
}

/** The same fold as an SQL expression of `expr`. */
export function sqlFold(expr: string): string {
  let out = `lower(${expr})`;
  for (const [from, to] of foldTable()) out = `replace(${out}, '${from}', '${to}')`;
  // Most text is ASCII: lower() is then all it needs (the table is a chain of replace()s).
  return `(CASE WHEN (${expr}) GLOB '*[^' || char(1) || '-' || char(127) || ']*' THEN ${out} ELSE lower(${expr}) END)`;
}
/** Between the parts of a search row's text (char(31) in searchRowSql). */
const US = '\x1f';

export function searchRow(
  a: { givenName: string; prefix: string; familyName: string; email: string },
  links: readonly { source: string; externalId: string; record: string }[],
): { nameKey: string; text: string } {
  let text = `${a.givenName} ${a.prefix} ${a.familyName} ${a.givenName} ${a.familyName}${US}${a.email}`;
  for (const l of links) {
    // The record's relations (schools, groups), not its own copy of the name and email.
    text += `${US}${l.source}:${l.externalId}${relationsSuffix(l.record)}`;
  }
  return { nameKey: storedFold(a.familyName) + US + storedFold(a.givenName), text: storedFold(text) };
}

/**
 * A GLOB pattern that matches text containing `q` anywhere. GLOB compares bytes as they are (the rows
 * are folded already), which makes it the fastest of SQLite's ways to look for a part: measured on a
 * million search rows, GLOB takes a third to a half less time than instr(), which counts characters to
 * return a position nobody reads.
 */
export function containsGlob(q: string): string {
  return `*${q.replace(/[*?[]/g, (c) => `[${c}]`)}*`;
}

/** A status and owner to filter a search by (`users list --status … --owner …`). */
export interface SearchFilter {
  status?: 'active' | 'deleted';
  owner?: 'source' | 'hub';
}

/** Up to this many matches, each one's status and owner is read from its row; beyond, see below. */
const LOOKUP_MATCHES_UP_TO = 2000;

/** Read the candidates' rows one by one rather than all rows in one pass when there are at most this many. */
const CANDIDATES_AT_MOST = 80_000;
/** A page asked for without a count first looks for its matches among this many rows in name order. */
const WALK_ROWS = 5000;

/**
 * The ids of the accounts whose search row contains `text` (folded as the rows are), in the order of
 * their folded names, of the status and owner asked for. With `page` (and no status or owner), only the
 * first `page` of them are wanted, not how many there are in all (the picker).
 *
 * Three ways, the same answer: (1) for a page, the rows in name order until the page is full, when it
 * fills within the first WALK_ROWS ("ja", a school: common text); (2) the search index
 * (src/store/search-index.ts) leaves at most CANDIDATES_AT_MOST rows that may hold what was typed
 * ("jansen", an email, an id): GLOB on those and on the rows written since the index was last folded;
 * (3) one pass of GLOB over all rows.
 */
export function matchingAccountIds(db: Database.Database, text: string, f: SearchFilter, page?: number): number[] {
  // One read transaction: the index, the noted rows and the rows as one snapshot, though a sync commits
  // (and folds its noted rows into the index) in between.
  return db.transaction(() => matching(db, text, f, page))();
}

function matching(db: Database.Database, text: string, f: SearchFilter, page?: number): number[] {
  const q = storedFold(text);
  const glob = containsGlob(q);
  const bits = queryBits(q);
  if (page !== undefined && f.status === undefined && f.owner === undefined) {
    const first = db
      .prepare(
        `SELECT account_id FROM (SELECT account_id, name_key, text FROM account_search INDEXED BY account_search_name ORDER BY name_key, account_id LIMIT ${WALK_ROWS})
         WHERE text GLOB ? ORDER BY name_key, account_id LIMIT ${page}`,
      )
      .pluck()
      .all(glob) as number[];
    if (first.length === page) return first;
  }
  let ids: number[] | undefined;
  if (bits !== null) {
    const candidates = candidateIds(db, bits, CANDIDATES_AT_MOST);
    if (candidates !== null) ids = amongCandidates(db, candidates, glob);
  }
  // NOT INDEXED: one pass over the rows, then a sort of the matches; walking the name index instead
  // would read the rows in the index's order, all over the table.
  ids ??= db.prepare('SELECT account_id FROM account_search NOT INDEXED WHERE text GLOB ? ORDER BY name_key, account_id').pluck().all(glob) as number[];
  return withStatus(db, ids, f);
}

/** The matches among the candidates and the rows noted since the index was folded, in name order. */
function amongCandidates(db: Database.Database, candidates: readonly number[], glob: string): number[] {
  return db
    .prepare(
      `SELECT account_id FROM (
         SELECT s.account_id, s.name_key FROM json_each(@ids) j CROSS JOIN account_search s ON s.account_id = j.value WHERE s.text GLOB @glob
         UNION
         SELECT s.account_id, s.name_key FROM search_dirty d CROSS JOIN account_search s ON s.account_id = d.account_id WHERE s.text GLOB @glob
       ) ORDER BY name_key, account_id`,
    )
    .pluck()
    .all({ ids: JSON.stringify(candidates), glob }) as number[];
}

/**
 * The matches of the status and owner asked for. The status and owner of many matches are not read from
 * each account's row (18,000 matches of "jansen" in a million lie all over the accounts table: a third
 * of the search's time): most accounts are active and owned by a source, and the others are read from
 * the status index, which holds both.
 */
function withStatus(db: Database.Database, ids: number[], f: SearchFilter): number[] {
  if (f.status === undefined && f.owner === undefined) return ids;
  const wanted = (statusOwner: string) => {
    const [status, owner] = statusOwner.split(' ');
    return (f.status === undefined || status === f.status) && (f.owner === undefined || owner === f.owner);
  };
  if (ids.length <= LOOKUP_MATCHES_UP_TO) {
    const row = db.prepare("SELECT status || ' ' || owner FROM accounts WHERE id = ?").pluck();
    return ids.filter((id) => wanted(row.get(id) as string));
  }
  const others = new Map(
    db
      .prepare(
        "SELECT id, status || ' ' || owner FROM accounts WHERE status = 'deleted' UNION ALL SELECT id, status || ' ' || owner FROM accounts WHERE status = 'active' AND owner = 'hub'",
      )
      .raw()
      .all() as [number, string][],
  );
  return ids.filter((id) => wanted(others.get(id) ?? 'active source'));
}

/** How many accounts there are of this status and owner (schema v7: counted as they are written). */
export function accountCount(db: Database.Database, f: SearchFilter): number {
  const n = db
    .prepare('SELECT coalesce(sum(n), 0) FROM account_counts WHERE (@status IS NULL OR status = @status) AND (@owner IS NULL OR owner = @owner)')
    .pluck()
    .get({ status: f.status ?? null, owner: f.owner ?? null });
  return n as number;
}
