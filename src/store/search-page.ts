/**
 * A page of a search (`users list --search … --limit n`, the picker's 30 at each keystroke): the first
 * matches in the order of their folded names, and how many match in all: counted where every candidate
 * was read anyway, else estimated from a sample of the candidates (`estimated`), as reading all 18,000
 * matches of "jansen" among a million to count them takes longer than the whole rest of the command.
 *
 * The candidates of the search index (src/store/search-index.ts) are put in name order by their name
 * keys, without reading a row, and read in that order until the page is full: a candidate whose key is
 * larger than the keys of a page of matches cannot come before them. The rows noted since the index was
 * last folded (search_dirty), whose keys may be old, are read whole.
 */
import type Database from 'better-sqlite3';
import { candidateIds, nameKeys } from './search-index.js';

export interface SearchAnswer {
  /** The matches (all, or the page asked for), in the order of their folded names. */
  ids: number[];
  /** How many match in all (of the status and owner asked for). */
  total: number;
  /** Whether `total` is an estimate (a page whose matches were not all read). */
  estimated: boolean;
}

/** Whether an account is of the status and owner asked for. */
export type Keep = (id: number) => boolean;

/**
 * readAllUpTo: with at most this many candidates, all are read: the count is exact and costs a few
 * milliseconds. sample: candidates read to estimate how many match (500: within a few percent when most
 * candidates match, as for a name; within about 15% for one trigram, "ozt"). Changed only by the tests,
 * to run a small hub's searches the way a large hub's go.
 */
export const searchPaging = { readAllUpTo: 2000, sample: 500 };
/** With more candidates than this (a trigram or two), the page is found by one pass over all rows. */
const CANDIDATES_AT_MOST = 500_000;
/** A page asked for of text without a trigram looks for its matches among this many rows in name order. */
const WALK_ROWS = 5000;

/** Matches among `ids`, in name order (at most `limit`). */
function sortedMatches(db: Database.Database, ids: readonly number[], glob: string, limit = -1): number[] {
  if (ids.length === 0) return [];
  return db
    .prepare(
      'SELECT s.account_id FROM json_each(@ids) j CROSS JOIN account_search s ON s.account_id = j.value WHERE s.text GLOB @glob ORDER BY s.name_key, s.account_id LIMIT @limit',
    )
    .pluck()
    .all({ ids: JSON.stringify(ids), glob, limit }) as number[];
}

/** Matches among `ids`, in no order. */
function matchesAmong(db: Database.Database, ids: readonly number[], glob: string): number[] {
  return db
    .prepare('SELECT s.account_id FROM json_each(?) j CROSS JOIN account_search s ON s.account_id = j.value WHERE s.text GLOB ?')
    .pluck()
    .all(JSON.stringify(ids), glob) as number[];
}

/** `n` to two significant digits (an estimate: 18,050 → 18,000), as is below 100. */
function rounded(n: number): number {
  return n < 100 ? Math.round(n) : Number(n.toPrecision(2));
}

/** `n` of `ids`, evenly spread over them (all of them when they are fewer). */
function sample(ids: readonly number[], n: number): number[] {
  if (ids.length <= n) return [...ids];
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(ids[Math.floor((i * ids.length) / n)]);
  return out;
}

/**
 * A page of the matches of text with a trigram, from the index's candidates; null when there are too
 * many of them (the caller reads every row).
 */
export function keyedPage(
  db: Database.Database,
  bits: readonly number[],
  glob: string,
  keep: Keep,
  want: { page: number; count: boolean },
): SearchAnswer | null {
  const candidates = candidateIds(db, bits, CANDIDATES_AT_MOST);
  if (candidates === null) return null;
  const noted = new Set(db.prepare('SELECT account_id FROM search_dirty').pluck().all() as number[]);
  const ids = noted.size === 0 ? candidates.filter(keep) : candidates.filter((id) => keep(id) && !noted.has(id));
  const whole = [...noted].filter(keep); // rows read whole: their keys may be old
  if (ids.length <= searchPaging.readAllUpTo) {
    const all = sortedMatches(db, [...ids, ...whole], glob);
    return { ids: all.slice(0, want.page), total: all.length, estimated: false };
  }
  const keys = nameKeys(db, ids);
  // The candidates' positions in the order of their keys: key × 2^20 + position sorts as numbers.
  const order = new Float64Array(ids.length);
  let n = 0;
  for (let i = 0; i < ids.length; i++) {
    if (keys[i] === 0)
      whole.push(ids[i]); // no key (not expected): read whole
    else order[n++] = keys[i] * 2 ** 20 + i;
  }
  const sorted = order.subarray(0, n).sort();
  const wholeMatches = matchesAmong(db, whole, glob);
  const { found, read } = readInKeyOrder(db, ids, sorted, glob, want.page);
  const page = sortedMatches(db, [...found, ...wholeMatches], glob, want.page);
  if (read === n) return { ids: page, total: found.length + wholeMatches.length, estimated: false };
  if (!want.count) return { ids: page, total: found.length + wholeMatches.length, estimated: true };
  const spread = sample(ids, searchPaging.sample);
  const estimate = rounded((ids.length * matchesAmong(db, spread, glob).length) / spread.length + wholeMatches.length);
  return { ids: page, total: Math.max(estimate, found.length + wholeMatches.length), estimated: true };
}

/**
 * Reads the candidates in the order of their keys (`sorted`: key × 2^20 + position in `ids`), in growing
 * batches, until a page of matches is found and the next candidate's key is larger than the keys of a
 * page of them. Returns the matches read and how many candidates were read.
 */
function readInKeyOrder(db: Database.Database, ids: readonly number[], sorted: Float64Array, glob: string, page: number): { found: number[]; read: number } {
  const found: number[] = [];
  const foundKeys: number[] = [];
  let bound = Infinity; // the page-th smallest key of the matches found
  let read = 0;
  let batch = 64;
  while (read < sorted.length && Math.floor(sorted[read] / 2 ** 20) <= bound) {
    const keyOf = new Map<number, number>();
    for (const v of sorted.subarray(read, read + batch)) keyOf.set(ids[v % 2 ** 20], Math.floor(v / 2 ** 20));
    read = Math.min(sorted.length, read + batch);
    batch = Math.min(batch * 2, 4096);
    for (const id of matchesAmong(db, [...keyOf.keys()], glob)) {
      found.push(id);
      foundKeys.push(keyOf.get(id)!);
    }
    if (foundKeys.length >= page) bound = [...foundKeys].sort((a, b) => a - b)[page - 1];
  }
  return { found, read };
}

/**
 * A page of the matches of text without a trigram (one or two letters), when the first WALK_ROWS rows
 * in name order hold it ("ja": common text fills the page there); null when they do not.
 */
export function walkedPage(db: Database.Database, glob: string, keep: Keep, want: { page: number; count: boolean }): SearchAnswer | null {
  const first = (
    db
      .prepare(
        `SELECT account_id FROM (SELECT account_id, name_key, text FROM account_search INDEXED BY account_search_name ORDER BY name_key, account_id LIMIT ${WALK_ROWS})
         WHERE text GLOB ? ORDER BY name_key, account_id`,
      )
      .pluck()
      .all(glob) as number[]
  ).filter(keep);
  if (first.length < want.page) return null;
  const ids = first.slice(0, want.page);
  const rows = db.prepare('SELECT coalesce(sum(n), 0) FROM account_counts').pluck().get() as number; // one search row per account
  if (rows <= WALK_ROWS) return { ids, total: first.length, estimated: false }; // the walk read them all
  if (!want.count) return { ids, total: first.length, estimated: true };
  // How many match in all: from rows spread evenly over the ids.
  const lo = db.prepare('SELECT min(account_id) FROM account_search').pluck().get() as number;
  const hi = db.prepare('SELECT max(account_id) FROM account_search').pluck().get() as number;
  const spread = Array.from({ length: searchPaging.sample }, (_, i) => lo + Math.floor(((hi - lo + 1) * i) / searchPaging.sample));
  const present = db
    .prepare('SELECT s.account_id, s.text GLOB @glob FROM json_each(@ids) j CROSS JOIN account_search s ON s.account_id = j.value')
    .raw()
    .all({ ids: JSON.stringify([...new Set(spread)]), glob }) as [number, number][];
  const hits = present.filter(([id, hit]) => hit === 1 && keep(id)).length;
  const estimate = rounded((rows * hits) / Math.max(1, present.length));
  return { ids, total: Math.max(estimate, first.length), estimated: true };
}
