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
import { keyedPage, pageCandidates, walkedPage, type Keep, type SearchAnswer } from './search-page.js';

export type { SearchAnswer };

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

/**
 * The accounts whose search row contains `text` (folded as the rows are), in the order of their folded
 * names, of the status and owner asked for: all of them, or (`page`) the first ones and how many there
 * are (`count`; an estimate where counting would read every match: src/store/search-page.ts).
 *
 * All of them, one of two ways, the same answer: the search index (src/store/search-index.ts) leaves at
 * most CANDIDATES_AT_MOST rows that may hold what was typed ("jansen", an email, an id): GLOB on those
 * and on the rows written since the index was last folded; else one pass of GLOB over all rows.
 */
export function searchAccounts(db: Database.Database, text: string, f: SearchFilter, want: { page?: number; count: boolean }): SearchAnswer {
  // One read transaction: the index, the noted rows and the rows as one snapshot, though a sync commits
  // (and folds its noted rows into the index) in between.
  return db.transaction(() => answer(db, text, f, want))();
}

function answer(db: Database.Database, text: string, f: SearchFilter, want: { page?: number; count: boolean }): SearchAnswer {
  const q = storedFold(text);
  const glob = containsGlob(q);
  const query = queryBits(q);
  const bits = query?.bits ?? null;
  if (want.page !== undefined) {
    const keep = keeper(db, f);
    const page = { page: want.page, count: want.count };
    const candidates = bits === null ? null : pageCandidates(db, bits, keep);
    // Text of a trigram or none, or of so many candidates that the index does not name them ("groep",
    // the mail domain): first the rows at the start of the name order, where common text fills a page.
    const walk = query === null || query.oneTrigram || candidates === null;
    const found =
      (walk ? walkedPage(db, glob, keep, page, candidates) : null) ??
      (candidates === null ? null : keyedPage(db, candidates, glob, keep, { ...page, walked: walk }));
    if (found !== null) return found;
  }
  let ids: number[] | undefined;
  if (bits !== null) {
    const candidates = candidateIds(db, bits, CANDIDATES_AT_MOST);
    if (candidates !== null) ids = amongCandidates(db, candidates, glob);
  }
  // NOT INDEXED: one pass over the rows, then a sort of the matches; walking the name index instead
  // would read the rows in the index's order, all over the table.
  ids ??= db.prepare('SELECT account_id FROM account_search NOT INDEXED WHERE text GLOB ? ORDER BY name_key, account_id').pluck().all(glob) as number[];
  ids = withStatus(db, ids, f);
  return { ids: want.page === undefined ? ids : ids.slice(0, want.page), total: ids.length, estimated: false };
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
  return ids.filter(ids.length <= LOOKUP_MATCHES_UP_TO ? withStatusOf(db, f) : keeper(db, f).test);
}

/** Whether a status and owner ("active source") is of the status and owner asked for. */
function wanted(f: SearchFilter, statusOwner: string): boolean {
  const [status, owner] = statusOwner.split(' ');
  return (f.status === undefined || status === f.status) && (f.owner === undefined || owner === f.owner);
}

/**
 * Whether an account is of the status and owner asked for: most are active and source-owned, and the
 * ids of the classes that answer otherwise are read from the status index (the deleted ones, for the
 * active: 10,000 at a million) into one byte per id (`drop`: 1 for an account not asked for; null when
 * all are; undefined for a hub with ids too large for that, written by hand).
 */
function keeper(db: Database.Database, f: SearchFilter): Keep {
  if (f.status === undefined && f.owner === undefined) return { test: () => true, drop: null };
  const common = wanted(f, 'active source');
  const max = (db.prepare('SELECT max(id) FROM accounts').pluck().get() as number | null) ?? 0;
  if (!Number.isSafeInteger(max) || max > 2 ** 31) return { test: withStatusOf(db, f), drop: undefined };
  const drop = new Uint8Array(max + 1).fill(common ? 0 : 1);
  // As one text per class, parsed natively: 10,000 rows handed over one by one cost twice as much.
  const ids = db.prepare('SELECT group_concat(id) FROM accounts WHERE status = ? AND owner = ?').pluck();
  for (const [status, owner] of [
    ['deleted', 'source'],
    ['deleted', 'hub'],
    ['active', 'hub'],
  ]) {
    if (wanted(f, `${status} ${owner}`) === common) continue;
    const list = JSON.parse(`[${(ids.get(status, owner) as string | null) ?? ''}]`) as number[];
    for (let i = 0; i < list.length; i++) if (list[i] >= 0) drop[list[i]] = common ? 1 : 0;
  }
  return { test: (id) => !(id >= 0 && id <= max && drop[id] === 1), drop };
}

/** Whether an account is of the status and owner asked for, read from its row. */
function withStatusOf(db: Database.Database, f: SearchFilter): (id: number) => boolean {
  const row = db.prepare("SELECT status || ' ' || owner FROM accounts WHERE id = ?").pluck();
  return (id) => wanted(f, (row.get(id) as string | undefined) ?? '');
}

/** How many accounts there are of this status and owner (schema v7: counted as they are written). */
export function accountCount(db: Database.Database, f: SearchFilter): number {
  const n = db
    .prepare('SELECT coalesce(sum(n), 0) FROM account_counts WHERE (@status IS NULL OR status = @status) AND (@owner IS NULL OR owner = @owner)')
    .pluck()
    .get({ status: f.status ?? null, owner: f.owner ?? null });
  return n as number;
}
