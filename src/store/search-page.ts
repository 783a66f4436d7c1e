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
import { candidateRows, keptCandidates, keyedCandidates, ORDER_SLOT, type KeyedCandidates } from './search-index.js';

export interface SearchAnswer {
  /** The matches (all, or the page asked for), in the order of their folded names. */
  ids: number[];
  /** How many match in all (of the status and owner asked for). */
  total: number;
  /** Whether `total` is an estimate (a page whose matches were not all read). */
  estimated: boolean;
}

/**
 * Which accounts are of the status and owner asked for: `test`, and as one byte per id, 1 for an account
 * not asked for (`drop`; null: all are; undefined: none such, ids written by hand too large for it).
 */
export interface Keep {
  test: (id: number) => boolean;
  drop: Uint8Array | null | undefined;
}

/**
 * readAllUpTo: with at most this many candidates, all are read: the count is exact and costs a few
 * milliseconds. sample: candidates read to estimate how many match (500: within about 15% for one
 * trigram, "ozt"; two fifths of it when most candidates match, as for a name: shareMatching). walkRows:
 * the rows at the start of the name order where a page of text of a trigram or none, of very many
 * candidates, or of many (densePage) is looked for first. Changed only by the tests, to run a small
 * hub's searches the way a large hub's go. candidatesAtMost: with more candidates (text of a trigram or
 * two, a mail domain, "groep"), the index does not name them: the page is looked for at the start of the
 * name order (walkedPage), else found by one pass over all rows.
 */
export const searchPaging = { readAllUpTo: 2000, sample: 500, walkRows: 5000, candidatesAtMost: 500_000 };

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
function matchesAmong(db: Database.Database, ids: readonly number[] | Uint32Array, glob: string): number[] {
  return db
    .prepare('SELECT s.account_id FROM json_each(?) j CROSS JOIN account_search s ON s.account_id = j.value WHERE s.text GLOB ?')
    .pluck()
    .all(`[${ids.join(',')}]`, glob) as number[];
}

/** `n` to two significant digits (an estimate: 18,050 → 18,000), as is below 100. */
function rounded(n: number): number {
  return n < 100 ? Math.round(n) : Number(n.toPrecision(2));
}

/** `n` of `ids`, evenly spread over them (all of them when they are fewer). */
function sample(ids: ArrayLike<number>, n: number): number[] {
  if (ids.length <= n) return Array.from(ids);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(ids[Math.floor((i * ids.length) / n)]);
  return out;
}

/**
 * The index's candidates of a page of a search (pageCandidates), or null when there are too many of them
 * or the ids are not the index's (the caller then reads every row).
 */
export function pageCandidates(db: Database.Database, bits: readonly number[], keep: Keep): Uint32Array | null {
  return keep.drop === undefined ? null : candidateRows(db, bits, searchPaging.candidatesAtMost);
}

/** A page of the matches of text with a trigram, from the index's candidates (pageCandidates). */
export function keyedPage(
  db: Database.Database,
  candidates: Uint32Array,
  glob: string,
  keep: Keep,
  want: { page: number; count: boolean; walked?: boolean },
): SearchAnswer {
  const noted = db.prepare('SELECT account_id FROM search_dirty').pluck().all() as number[];
  const whole = noted.filter(keep.test); // rows read whole: their keys may be old
  if (candidates.length <= searchPaging.readAllUpTo) {
    const all = sortedMatches(db, [...new Set([...candidates.filter(keep.test), ...whole])], glob);
    return { ids: all.slice(0, want.page), total: all.length, estimated: false };
  }
  let drop = keep.drop ?? null;
  if (noted.length > 0) {
    drop = drop ?? new Uint8Array(candidates[candidates.length - 1] + 1);
    for (const id of noted) if (id >= 0 && id < drop.length) drop[id] = 1;
  }
  // (Text of one trigram had its walk: walkedPage.)
  const dense = want.walked ? null : densePage(db, candidates, glob, keep, want, { whole, drop });
  if (dense !== null) return dense;
  const keyed = keyedCandidates(db, candidates, drop);
  whole.push(...keyed.unkeyed);
  const wholeMatches = matchesAmong(db, whole, glob);
  const { found, read, first } = readInKeyOrder(db, keyed, glob, want.page);
  const page = sortedMatches(db, [...first, ...wholeMatches], glob, want.page);
  const n = keyed.ids.length;
  if (read === n) return { ids: page, total: found.length + wholeMatches.length, estimated: false };
  if (!want.count) return { ids: page, total: found.length + wholeMatches.length, estimated: true };
  const estimate = rounded(n * shareMatching(db, keyed.ids, glob) + wholeMatches.length);
  return { ids: page, total: Math.max(estimate, found.length + wholeMatches.length), estimated: true };
}

/** Candidates of at least this share of the rows (1 in DENSE: "school", "van", "obs") are first looked for in name order. */
const DENSE = 20;

/**
 * A page of text that many rows hold ("basisschool", "van"): its matches lie all over the name order, so
 * the first walkRows rows in that order hold a page of them, found from the name index and the rows of
 * the candidates among them (walkCandidates), without the name keys of every candidate (4 MB at a
 * million, and a sort of a quarter of a million). The count is estimated as keyedPage estimates it, from
 * the same sample of the same candidates. Null when the candidates are fewer, or when the first rows do
 * not hold a page (a common family name, whose matches lie together: keyedPage finds them).
 */
function densePage(
  db: Database.Database,
  candidates: Uint32Array,
  glob: string,
  keep: Keep,
  want: { page: number; count: boolean },
  known: { whole: number[]; drop: Uint8Array | null },
): SearchAnswer | null {
  const rows = db.prepare('SELECT coalesce(sum(n), 0) FROM account_counts').pluck().get() as number; // one search row per account
  // A small hub's candidates are few enough for keyedPage, which counts those its first batch reads whole.
  if (rows <= searchPaging.walkRows || candidates.length <= FIRST_BATCH || candidates.length * DENSE < rows) return null;
  const first = walkCandidates(db, glob, keep, candidates);
  if (first.length < want.page) return null;
  const ids = first.slice(0, want.page);
  if (!want.count) return { ids, total: first.length, estimated: true };
  // The candidates keyedPage keeps: not left out by the status asked for, nor noted since the last fold.
  const kept = keptCandidates(candidates, known.drop);
  const wholeMatches = matchesAmong(db, known.whole, glob);
  const estimate = rounded(kept.length * shareMatching(db, kept, glob) + wholeMatches.length);
  return { ids, total: Math.max(estimate, first.length), estimated: true };
}

/**
 * The share of `ids` that match, from a sample evenly spread over them. Each row of the sample lies on
 * a page of its own, which a new process reads from the file (500 rows: 7–10 ms of a search of a
 * million): two fifths of the sample are read first, and are enough when nine in ten of them match (a
 * name: the estimate is then within about 2%); fewer (one trigram, "ozt") read the whole sample.
 */
function shareMatching(db: Database.Database, ids: Uint32Array, glob: string): number {
  const first = sample(ids, Math.ceil((searchPaging.sample * 2) / 5));
  const share = matchesAmong(db, first, glob).length / first.length;
  if (share >= 0.9 || first.length === ids.length) return share;
  const spread = sample(ids, searchPaging.sample);
  return matchesAmong(db, spread, glob).length / spread.length;
}

/** The candidates read first, in key order: all of them, and so counted, when there are no more. */
const FIRST_BATCH = 64;
/** The most candidates read at a time: past the page's bound a batch reads in vain (at most this many). */
const BATCH_AT_MOST = 4096;

/**
 * Reads the candidates in the order of their keys, in growing batches, until a page of matches is found
 * and every key not read is larger than the keys of a page of them. The candidates are put in that order
 * by one sort of numbers (native: a loop here is interpreted in a new process); a batch is read in id
 * order (neighbours share pages). Returns the matches read, how many candidates were read, and the
 * matches that can be on the page: those whose keys are at most the page's bound (a larger key is a
 * larger name), so that the page's sort reads 30-odd rows again, not every match of the batches.
 */
function readInKeyOrder(db: Database.Database, c: KeyedCandidates, glob: string, page: number): { found: number[]; read: number; first: number[] } {
  const n = c.ids.length;
  const order = c.order.sort(); // key × ORDER_SLOT + index: made as the keys were read, sorted natively
  const found: number[] = [];
  const foundKeys: number[] = [];
  let bound = Infinity; // the page-th smallest key of the matches found
  let read = 0;
  let batch = FIRST_BATCH;
  while (read < n && Math.floor(order[read] / ORDER_SLOT) <= bound) {
    const ids = new Uint32Array(Math.min(batch, n - read));
    for (let j = 0; j < ids.length; j++) ids[j] = c.ids[order[read + j] % ORDER_SLOT];
    ids.sort();
    read += ids.length;
    batch = Math.min(batch * 4, BATCH_AT_MOST);
    for (const id of matchesAmong(db, ids, glob)) {
      found.push(id);
      foundKeys.push(c.keys[indexOf(c.ids, id)]);
    }
    if (foundKeys.length >= page) bound = [...foundKeys].sort((x, y) => x - y)[page - 1];
  }
  return { found, read, first: found.filter((_, i) => foundKeys[i] <= bound) };
}

/** The index of `id` in `ids` (ascending; it is there). */
function indexOf(ids: Uint32Array, id: number): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A page of the matches of text with one trigram or none (up to three letters), when the first
 * walkRows rows in name order hold it ("ja", "jan": common text fills the page there); null when they
 * do not. One trigram leaves a sixth of the rows as candidates (src/store/search-index.ts).
 */
export function walkedPage(
  db: Database.Database,
  glob: string,
  keep: Keep,
  want: { page: number; count: boolean },
  candidates: Uint32Array | null,
): SearchAnswer | null {
  const rows = db.prepare('SELECT coalesce(sum(n), 0) FROM account_counts').pluck().get() as number; // one search row per account
  const first = candidates === null ? walkRows(db, glob, keep, want.page, rows > searchPaging.walkRows) : walkCandidates(db, glob, keep, candidates);
  if (first.length < want.page) return null;
  const ids = first.slice(0, want.page);
  if (rows <= searchPaging.walkRows) return { ids, total: first.length, estimated: false }; // the walk read them all
  if (!want.count) return { ids, total: first.length, estimated: true };
  // How many match in all: from rows spread evenly over the ids.
  const lo = db.prepare('SELECT min(account_id) FROM account_search').pluck().get() as number;
  const hi = db.prepare('SELECT max(account_id) FROM account_search').pluck().get() as number;
  const spread = Array.from({ length: searchPaging.sample }, (_, i) => lo + Math.floor(((hi - lo + 1) * i) / searchPaging.sample));
  const present = db
    .prepare('SELECT s.account_id, s.text GLOB @glob FROM json_each(@ids) j CROSS JOIN account_search s ON s.account_id = j.value')
    .raw()
    .all({ ids: JSON.stringify([...new Set(spread)]), glob }) as [number, number][];
  const hits = present.filter(([id, hit]) => hit === 1 && keep.test(id)).length;
  const estimate = rounded((rows * hits) / Math.max(1, present.length));
  return { ids, total: Math.max(estimate, first.length), estimated: true };
}

/** The matches among the first walkRows rows in name order, read one by one (stopping at the page when `stop`). */
function walkRows(db: Database.Database, glob: string, keep: Keep, page: number, stop: boolean): number[] {
  const first: number[] = [];
  const walked = db
    .prepare(
      `SELECT account_id FROM (SELECT account_id, name_key, text FROM account_search INDEXED BY account_search_name ORDER BY name_key, account_id LIMIT ${searchPaging.walkRows})
       WHERE text GLOB ? ORDER BY name_key, account_id`,
    )
    .pluck()
    .iterate(glob) as IterableIterator<number>;
  for (const id of walked) if (keep.test(id) && first.push(id) >= page && stop) break;
  return first;
}

/**
 * The matches among the first walkRows rows in name order, of one trigram: the ids from the name index
 * alone (no row read), and then only the rows of the index's candidates and of the rows noted since its
 * last fold (whose bits may lack their text's). A rare trigram ("ozt") reads a few hundred rows, not 5,000.
 */
function walkCandidates(db: Database.Database, glob: string, keep: Keep, candidates: Uint32Array): number[] {
  const inOrder = db
    .prepare(`SELECT account_id FROM account_search INDEXED BY account_search_name ORDER BY name_key, account_id LIMIT ${searchPaging.walkRows}`)
    .pluck()
    .all() as number[];
  const noted = new Set(db.prepare('SELECT account_id FROM search_dirty').pluck().all() as number[]);
  const maybe = inOrder.filter((id) => noted.has(id) || candidates[indexOf(candidates, id)] === id);
  return sortedMatches(db, maybe, glob).filter(keep.test);
}
