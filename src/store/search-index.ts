/**
 * The search index (schema v10, two halves since v12): a signature of 2 × 512 bits per search row, for
 * each run of three bytes ("trigram") the row holds one bit set in each half (two hashes into 512),
 * stored by bit: per segment of 65,280 account ids and bit, a blob of one bit per account
 * (`search_slices`, up to 8 KB, two to a page: 128 MB at a million accounts; ending at its last bit set,
 * so a small hub's are small). A search for three bytes or more reads the slices of its own trigrams'
 * first-half bits (four for "jansen": 4 × 8 KB a segment), ANDs them, and runs its GLOB on the accounts
 * whose bits are all set; text of one trigram ("ozt") reads both of its bits. A row holds about 90
 * trigrams, so about a sixth of each half's bits are set: one bit leaves about a tenth of a million rows
 * (116,000 for "ozt", of which 8,966 hold it), both bits 13,500. A bit set for a trigram the row lacks
 * (another trigram with the same hash, an older text of the row) costs a row read in vain, never a miss.
 *
 * Name keys (schema v11, `search_names`): per segment, 4 bytes per account, the first 4 bytes of its
 * folded name (name_key, big-endian; 0: none), 261 KB a segment, 4 MB at a million. They put candidates
 * in name order without reading their rows: a page of a search reads the candidates in the order of
 * their keys and stops at the page (src/store/search.ts). A key orders as its name does (a name with a
 * smaller key is smaller); names with the same key are told apart by reading their rows.
 *
 * Kept by every write: a trigger on `account_search` notes each row written (`search_dirty`), whatever
 * wrote it (a sync, a person's edit, a revert, the sqlite3 shell); a search also reads the noted rows,
 * and a sync or revert folds them into the slices and the keys at its end (foldSearchIndex). A first
 * sync's bulk load, whose triggers are suspended, sets the bits and keys as it writes the rows
 * (SearchIndexBuilder). Bits are only ever set, never cleared, so a row's bits always include those of
 * its text; a key is overwritten by the row's last fold, and a noted row's key is not trusted (a search
 * reads the noted rows themselves).
 */
import type Database from 'better-sqlite3';
import { withStreamingCache } from './cache.js';

/**
 * Bytes of a slice: two to a page of the hub's 16 KB (db.ts), no overflow page. A segment holds 8 times
 * as many accounts: segment = floor(account_id / SEGMENT_ROWS).
 */
const SLICE_BYTES = 8160;
const SEGMENT_ROWS = SLICE_BYTES * 8;
/** Bits of a row's signature: two halves of 512, each with one bit per trigram, by two hashes (schema v12). */
const HALF_BITS = 512;
const SIGNATURE_BITS = 2 * HALF_BITS;
const HASH_SHIFT = 32 - Math.log2(HALF_BITS);

/**
 * Ids the index holds (the program's ids, from 1 up); another id (written by hand) makes a search read
 * every row instead, as a search finds its segments between the lowest and highest id.
 */
const indexable = (id: number) => Math.abs(id) < 2 ** 31;

/** Bytes of an account's name key in search_names. */
const KEY_BYTES = 4;

/** The key of a segment's slice of one bit in search_slices. */
const sliceKey = (segment: number, bit: number) => segment * SIGNATURE_BITS + bit;

/** The signature bits of the last text given to gramBits (a buffer reused: a bulk load calls it a million times). */
let gramBuf = new Uint16Array(2048);

/** A trigram's bit in the first half of the signature (hashed from its three bytes, `h`). */
const firstBit = (h: number) => Math.imul(h, 0x9e3779b1) >>> HASH_SHIFT;
/** Its bit in the second half, by another hash: a text of one trigram asks for both (queryBits). */
const secondBit = (h: number) => HALF_BITS + (Math.imul(h, 0x85ebca6b) >>> HASH_SHIFT);

/**
 * Puts the two signature bits of each trigram of the UTF-8 bytes of `text` into gramBuf (its first-half
 * bit, then its second-half bit); returns how many bits.
 */
function gramBits(text: string): number {
  if (gramBuf.length < text.length * 6) gramBuf = new Uint16Array(text.length * 6);
  let h = 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return gramBitsOfBytes(Buffer.from(text, 'utf8'));
    h = ((h << 8) | c) & 0xffffff;
    if (i >= 2) {
      gramBuf[n++] = firstBit(h);
      gramBuf[n++] = secondBit(h);
    }
  }
  return n;
}

function gramBitsOfBytes(bytes: Buffer): number {
  let h = 0;
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    h = ((h << 8) | bytes[i]) & 0xffffff;
    if (i >= 2) {
      gramBuf[n++] = firstBit(h);
      gramBuf[n++] = secondBit(h);
    }
  }
  return n;
}

/** The signature bits a search asks for, and whether its text is of one trigram (as far as the index tells). */
export interface QueryBits {
  bits: number[];
  oneTrigram: boolean;
}

/**
 * The signature bits of what is searched for; null when it has fewer than three bytes (no trigram). Text
 * of several trigrams asks for their first-half bits (each narrows the candidates); text of one ("ozt")
 * for both of its bits, as one bit is set in about a sixth of the rows, both in under 2%.
 */
export function queryBits(folded: string): QueryBits | null {
  const n = gramBits(folded);
  if (n === 0) return null;
  const first = new Set<number>();
  for (let i = 0; i < n; i += 2) first.add(gramBuf[i]);
  if (first.size > 1) return { bits: [...first], oneTrigram: false };
  const both = new Set<number>(gramBuf.subarray(0, n));
  return { bits: [...both], oneTrigram: true };
}

/**
 * The name key of a search row's folded name: its first 4 UTF-8 bytes as a number (big-endian, short
 * names padded with zeros), never 0 (a name_key holds a char(31) between the family and given name).
 */
export function nameKey(name: string): number {
  let key = 0;
  for (let i = 0; i < KEY_BYTES; i++) {
    const c = i < name.length ? name.charCodeAt(i) : 0;
    if (c > 0x7f) return nameKeyOfBytes(Buffer.from(name.slice(0, KEY_BYTES), 'utf8'));
    key = key * 256 + c;
  }
  return key;
}

function nameKeyOfBytes(bytes: Buffer): number {
  let key = 0;
  for (let i = 0; i < KEY_BYTES; i++) key = key * 256 + (i < bytes.length ? bytes[i] : 0);
  return key;
}

/** See KeyedCandidates.order: exact in a double, as there are fewer candidates than this (and keys < 2³²). */
export const ORDER_SLOT = 2 ** 20;

/** Candidates with their name keys (keyedCandidates). */
export interface KeyedCandidates {
  /** The candidates kept, in id order. */
  ids: Uint32Array;
  /** Each one's name key. */
  keys: Uint32Array;
  /** Each one's place in key order, not yet sorted: its key × ORDER_SLOT + its index in `ids`. */
  order: Float64Array;
  /** Candidates kept without a key (not expected: an account whose key was never written): read whole. */
  unkeyed: number[];
}

/**
 * The name keys of the `candidates` (in id order) that `drop` does not leave out (drop[id] === 1), from
 * search_names, in one pass: each segment's keys are read once, and the loop over its candidates runs
 * in WebAssembly (keyedLoop: V8 would still interpret it in a new process, 3–5 ms for 18,000).
 */
export function keyedCandidates(db: Database.Database, candidates: Uint32Array, drop: Uint8Array | null): KeyedCandidates {
  const read = db.prepare('SELECT keys FROM search_names WHERE segment = ?').pluck();
  const count = candidates.length;
  if (count >= ORDER_SLOT) throw new Error(`keyedCandidates: ${count} candidates, fewer than ${ORDER_SLOT} expected`);
  // Its memory: the state (n, unkeyed), then the order, ids, keys, unkeyed ids, candidates, a segment's keys, drop.
  const at = { order: 16, ids: 16 + 8 * count, keys: 16 + 12 * count, unkeyed: 16 + 16 * count, candidates: 16 + 20 * count, blob: 16 + 24 * count };
  const dropAt = at.blob + SEGMENT_ROWS * KEY_BYTES;
  const wasm = keyedLoop();
  const room = dropAt + (drop?.length ?? 0) - wasm.memory.buffer.byteLength;
  if (room > 0) wasm.memory.grow(Math.ceil(room / 65536));
  let memory = new Uint8Array(wasm.memory.buffer);
  new Uint32Array(wasm.memory.buffer, at.candidates, count).set(candidates);
  if (drop !== null) memory.set(drop, dropAt);
  new Uint32Array(wasm.memory.buffer, 0, 2).fill(0);
  for (let i = 0; i < count;) {
    const segment = Math.floor(candidates[i] / SEGMENT_ROWS);
    const end = firstAtLeast(candidates, (segment + 1) * SEGMENT_ROWS, i);
    const blob = (read.get(segment) as Buffer | undefined) ?? Buffer.alloc(0);
    memory = new Uint8Array(wasm.memory.buffer);
    memory.set(blob.subarray(0, SEGMENT_ROWS * KEY_BYTES), at.blob);
    const rows = Math.min(blob.length, SEGMENT_ROWS * KEY_BYTES) >>> 2;
    wasm.keyed(at.candidates, i, end, segment * SEGMENT_ROWS, at.blob, rows, dropAt, drop?.length ?? 0, at.ids, at.keys, at.order, at.unkeyed);
    i = end;
  }
  const [n, unkeyed] = new Uint32Array(wasm.memory.buffer, 0, 2);
  return {
    ids: new Uint32Array(wasm.memory.buffer, at.ids, n).slice(),
    keys: new Uint32Array(wasm.memory.buffer, at.keys, n).slice(),
    order: new Float64Array(wasm.memory.buffer, at.order, n).slice(),
    unkeyed: Array.from(new Uint32Array(wasm.memory.buffer, at.unkeyed, unkeyed)),
  };
}

/**
 * The `candidates` (in id order) that `drop` does not leave out, in id order: keyedLoop without keys (each
 * one kept is "unkeyed"), as an interpreted loop over a quarter of a million candidates takes 10–40 ms.
 */
export function keptCandidates(candidates: Uint32Array, drop: Uint8Array | null): Uint32Array {
  if (drop === null) return candidates;
  const count = candidates.length;
  const at = { candidates: 16, kept: 16 + 4 * count, drop: 16 + 8 * count };
  const wasm = keyedLoop();
  const room = at.drop + drop.length - wasm.memory.buffer.byteLength;
  if (room > 0) wasm.memory.grow(Math.ceil(room / 65536));
  new Uint32Array(wasm.memory.buffer, at.candidates, count).set(candidates);
  new Uint8Array(wasm.memory.buffer).set(drop, at.drop);
  new Uint32Array(wasm.memory.buffer, 0, 2).fill(0);
  wasm.keyed(at.candidates, 0, count, 0, 0, 0, at.drop, drop.length, 0, 0, 0, at.kept);
  const kept = new Uint32Array(wasm.memory.buffer, 4, 1)[0];
  return new Uint32Array(wasm.memory.buffer, at.kept, kept).slice();
}

/** The first index from `from` on whose id is at least `id` (`ids` ascending), or their length. */
function firstAtLeast(ids: Uint32Array, id: number, from: number): number {
  let lo = from;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The accounts whose signature has every one of `bits`, in id order, or null when there are more than
 * `atMost` (a search then reads every row instead).
 */
export function candidateIds(db: Database.Database, bits: readonly number[], atMost: number): number[] | null {
  const rows = candidateRows(db, bits, atMost);
  return rows === null ? null : Array.from(rows);
}

/** candidateIds as a typed array (a page of a search: no 18,000 numbers made one by one). */
export function candidateRows(db: Database.Database, bits: readonly number[], atMost: number): Uint32Array | null {
  // Two queries: SQLite finds a min() or a max() alone at the end of the table, both together by a scan.
  const min = db.prepare('SELECT min(account_id) FROM account_search').pluck().get() as number | null;
  const max = db.prepare('SELECT max(account_id) FROM account_search').pluck().get() as number | null;
  if (min === null || max === null) return new Uint32Array(0);
  if (!indexable(min) || !indexable(max) || min < 0) return null;
  const read = db.prepare('SELECT bits FROM search_slices WHERE key = ?').pluck();
  const wasm = bitmaps();
  let out = ROWS_AT;
  for (let segment = Math.floor(min / SEGMENT_ROWS); segment <= Math.floor(max / SEGMENT_ROWS); segment++) {
    let words = -1;
    for (const bit of bits) {
      const slice = read.get(sliceKey(segment, bit)) as Buffer | undefined;
      if (slice === undefined) {
        words = 0; // no row of the segment has this bit
        break;
      }
      // A slice ends at its last byte with a bit set.
      const n = Math.ceil(slice.length / 4);
      const at = words === -1 ? AND_AT : SLICE_AT;
      const memory = new Uint8Array(wasm.memory.buffer);
      memory.set(slice, at);
      memory.fill(0, at + slice.length, at + n * 4);
      if (words === -1) words = n;
      else wasm.and(AND_AT, SLICE_AT, (words = Math.min(words, n)));
    }
    if (words <= 0) continue;
    const room = out + SEGMENT_ROWS * 4 - wasm.memory.buffer.byteLength;
    if (room > 0) wasm.memory.grow(Math.ceil(room / 65536));
    out = wasm.bits(AND_AT, words, out, segment * SEGMENT_ROWS);
    if ((out - ROWS_AT) / 4 > atMost) return null;
  }
  return new Uint32Array(wasm.memory.buffer, ROWS_AT, (out - ROWS_AT) / 4).slice();
}

/** Where bitmaps() keeps the AND of a segment's slices, the next slice, and the rows of the bits set. */
const AND_AT = 0;
const SLICE_AT = 8192;
const ROWS_AT = 16384;

/**
 * The two loops of candidateRows in WebAssembly: a search runs them once per process (a million bits
 * per trigram at a million accounts), where V8 would still be interpreting them: 8–12 ms of a search's
 * CPU time, and as much again to make the ids; compiled by Liftoff at once, they take well under a
 * millisecond. The module (310 bytes, BITMAPS_WASM):
 *
 *   (memory (export "m") 5)   ;; AND_AT, SLICE_AT, then the ids from ROWS_AT (grown as needed)
 *   (func (export "and") (param $dst i32) (param $src i32) (param $words i32)
 *     ;; dst[i] &= src[i], 32 bits at a time
 *     (block (loop (br_if 1 (i32.eqz (local.get $words)))
 *       (i32.store (local.get $dst) (i32.and (i32.load (local.get $dst)) (i32.load (local.get $src))))
 *       (local.set $dst (i32.add (local.get $dst) (i32.const 4))) (local.set $src (i32.add (local.get $src) (i32.const 4)))
 *       (local.set $words (i32.sub (local.get $words) (i32.const 1))) (br 0))))
 *   (func (export "bits") (param $src i32) (param $words i32) (param $out i32) (param $base i32) (result i32)
 *     (local $i i32) (local $w i32)
 *     ;; base + (i × 32 + bit) of each bit set, lowest first, as i32 from $out; returns the end
 *     (block (loop (br_if 1 (i32.ge_u (local.get $i) (local.get $words)))
 *       (local.set $w (i32.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))))
 *       (block (loop (br_if 1 (i32.eqz (local.get $w)))
 *         (i32.store (local.get $out) (i32.add (i32.add (i32.shl (local.get $i) (i32.const 5)) (i32.ctz (local.get $w))) (local.get $base)))
 *         (local.set $out (i32.add (local.get $out) (i32.const 4)))
 *         (local.set $w (i32.and (local.get $w) (i32.sub (local.get $w) (i32.const 1)))) (br 0)))
 *       (local.set $i (i32.add (local.get $i) (i32.const 1))) (br 0)))
 *     (local.get $out))
 *
 * WebAssembly's memory is little-endian everywhere, so bit k of byte j is number 8j + k, as in a slice.
 * A candidate they missed would be a search that misses: the property test (test/store/search-index.test.ts)
 * holds every search to one plain GLOB pass.
 */
interface Bitmaps {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  and(dst: number, src: number, words: number): void;
  bits(src: number, words: number, out: number, base: number): number;
}
/** The WebAssembly API (TypeScript's ES2022 library does not declare it; Node has it). */
const wasmApi = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => object; Instance: new (m: object) => { exports: unknown } } })
  .WebAssembly;
let compiled: Bitmaps | undefined;
function bitmaps(): Bitmaps {
  if (compiled === undefined) {
    const e = new wasmApi.Instance(new wasmApi.Module(Buffer.from(BITMAPS_WASM, 'base64'))).exports as Omit<Bitmaps, 'memory'> & { m: Bitmaps['memory'] };
    compiled = { memory: e.m, and: e.and, bits: e.bits };
  }
  return compiled;
}
const BITMAPS_WASM =
  'AGFzbQEAAAABDwJgA39/fwBgBH9/f38BfwMDAgABBQMBAAUHEgMBbQIAA2FuZAAABGJpdHMAAQqPAQI0AAJAA0AgAkUNASAAIAAoAgAgASgCAHE2AgAgAEEEaiEAIAFBBGohASACQQFrIQIMAAsLC1gBAn8CQANAIAQgAU8NASAAIARBAnRqKAIAIQUCQANAIAVFDQEgAiAEQQV0IAVoaiADajYCACACQQRqIQIgBSAFQQFrcSEFDAALCyAEQQFqIQQMAAsLIAIL';

/**
 * The loop of keyedCandidates in WebAssembly (297 bytes, KEYED_WASM; made as BITMAPS_WASM is, from):
 *
 *   (memory (export "m") 1)   ;; grown by keyedCandidates; n at 0, u at 4 (kept from call to call)
 *   (func (export "keyed") (param $cand $i $j $base $keys $rows $drop $dropLen $ids $keysOut $order $unk i32)
 *     (local $id $at $key $n $u i32)
 *     (local.set $n (i32.load (i32.const 0))) (local.set $u (i32.load (i32.const 4)))
 *     (block (loop (br_if 1 (i32.ge_u $i $j))
 *       (local.set $id (i32.load (cand + 4i))) (local.set $i (i32.add $i 1))
 *       (if (i32.lt_u $id $dropLen) (br_if 1 (i32.load8_u (drop + id))))      ;; left out: next
 *       (local.set $at (i32.sub $id $base)) (local.set $key 0)
 *       (if (i32.lt_u $at $rows) (local.set $key (byte-swapped (i32.load (keys + 4at)))))   ;; big-endian
 *       (if (i32.eqz $key) (then (i32.store (unk + 4u) $id) (local.set $u (u + 1)) (br 1)))  ;; no key
 *       (i32.store (ids + 4n) $id) (i32.store (keysOut + 4n) $key)
 *       (f64.store (order + 8n) (f64.add (f64.mul (f64.convert_i32_u $key) 2^20) (f64.convert_i32_u $n)))
 *       (local.set $n (n + 1)) (br 0)))
 *     (i32.store (i32.const 0) $n) (i32.store (i32.const 4) $u))
 */
interface KeyedLoop {
  memory: Bitmaps['memory'];
  keyed(...args: [number, number, number, number, number, number, number, number, number, number, number, number]): void;
}
let keyedCompiled: KeyedLoop | undefined;
function keyedLoop(): KeyedLoop {
  if (keyedCompiled === undefined) {
    const e = new wasmApi.Instance(new wasmApi.Module(Buffer.from(KEYED_WASM, 'base64'))).exports as Omit<KeyedLoop, 'memory'> & { m: KeyedLoop['memory'] };
    keyedCompiled = { memory: e.m, keyed: e.keyed };
  }
  return keyedCompiled;
}
const KEYED_WASM =
  'AGFzbQEAAAABEAFgDH9/f39/f39/f39/fwADAgEABQMBAAEHDQIBbQIABWtleWVkAAAK9AEB8QEBBX9BACgCACEPQQAoAgQhEAJAA0AgASACTw0BIAAgAUECdGooAgAhDCABQQFqIQEgDCAHSQRAIAYgDGotAAANAQsgDCADayENQQAhDiANIAVJBEAgBCANQQJ0aigCACEOIA5BGHQgDkGA/gNxQQh0ciAOQQh2QYD+A3FyIA5BGHZyIQ4LIA5FBEAgCyAQQQJ0aiAMNgIAIBBBAWohEAwBCyAIIA9BAnRqIAw2AgAgCSAPQQJ0aiAONgIAIAogD0EDdGogDrhEAAAAAAAAMEGiIA+4oDkDACAPQQFqIQ8MAAsLQQAgDzYCAEEAIBA2AgQL';

/**
 * Sets the signature bits and the name keys of rows in search_slices and search_names, given in the
 * order of their account ids (a bulk load as it writes them, a fold); `finish` writes the last segment.
 * Holds one segment (8 MB of bits, 261 KB of keys) at a time.
 */
export class SearchIndexBuilder {
  private readonly read: Database.Statement;
  private readonly write: Database.Statement;
  private readonly readKeys: Database.Statement;
  private readonly writeKeys: Database.Statement;
  private segment: number | null = null;
  private readonly slices = new Uint8Array(SIGNATURE_BITS * SLICE_BYTES);
  private readonly touched = new Uint8Array(SIGNATURE_BITS);
  private readonly keys = Buffer.alloc(SEGMENT_ROWS * KEY_BYTES);
  /** The same bits, 32 at a time (finish ORs what a slice held into it by words). */
  private readonly words = new Int32Array(this.slices.buffer);
  /** What a slice held, decoded from its hex (finish): one buffer for all of them, and as words. */
  private readonly hadWords = new Int32Array(SLICE_BYTES / 4);
  private readonly had = Buffer.from(this.hadWords.buffer);
  /** The segment's rows given a key since its last finish. */
  private keyRows: number[] = [];

  constructor(db: Database.Database) {
    // As hex: a blob would come back as a new Buffer outside V8's heap, 8 KB a slice, and a sync's
    // thousands of them were freed only when V8 next counted its outside memory (tens of MB later);
    // a string is young garbage, collected within the next megabyte.
    this.read = db.prepare('SELECT hex(bits) FROM search_slices WHERE key = ?').pluck();
    this.write = db.prepare('INSERT OR REPLACE INTO search_slices (key, bits) VALUES (?, ?)');
    this.readKeys = db.prepare('SELECT keys FROM search_names WHERE segment = ?').pluck();
    this.writeKeys = db.prepare('INSERT OR REPLACE INTO search_names (segment, keys) VALUES (?, ?)');
  }

  /** A row: its account, its folded text and its folded name (name_key). */
  add(accountId: number, text: string, name: string): void {
    if (!indexable(accountId)) return; // read by every search instead (candidateIds)
    const segment = Math.floor(accountId / SEGMENT_ROWS);
    if (segment !== this.segment) {
      this.finish();
      this.segment = segment;
    }
    const row = accountId - segment * SEGMENT_ROWS;
    this.keys.writeUInt32BE(nameKey(name), row * KEY_BYTES);
    this.keyRows.push(row);
    const byte = row >> 3;
    const mask = 1 << (row & 7);
    const n = gramBits(text);
    for (let i = 0; i < n; i++) {
      const bit = gramBuf[i];
      this.slices[bit * SLICE_BYTES + byte] |= mask;
      this.touched[bit] = 1;
    }
  }

  /**
   * Writes the segment's slices that gained bits, each OR what it held (a slice that gains none stays),
   * and its keys, the rows added overwriting what they held.
   */
  finish(): void {
    if (this.segment === null) return;
    if (this.keyRows.length > 0) this.finishKeys(this.segment);
    for (let bit = 0; bit < SIGNATURE_BITS; bit++) {
      if (this.touched[bit] === 0) continue;
      const key = sliceKey(this.segment, bit);
      const slice = this.slices.subarray(bit * SLICE_BYTES, (bit + 1) * SLICE_BYTES);
      const hex = this.read.get(key) as string | undefined;
      if (hex !== undefined && !this.orHad(bit, this.had.write(hex, 0, 'hex'))) continue; // a row written again with the same text
      // Stored up to its last byte with a bit set: a small hub's slices are a few bytes, not 8 KB.
      let end = SLICE_BYTES;
      while (end > 0 && slice[end - 1] === 0) end--;
      this.write.run(key, slice.subarray(0, end));
    }
    this.slices.fill(0);
    this.touched.fill(0);
    this.segment = null;
  }

  /**
   * ORs what the slice of `bit` held (its first `bytes` bytes in `had`) into it, 32 bits at a time (a
   * fold of a sync's changes meets every slice of the hub); returns whether the slice gained a bit.
   */
  private orHad(bit: number, bytes: number): boolean {
    this.had.fill(0, bytes, (bytes + 3) & ~3);
    const { words, hadWords } = this;
    const base = (bit * SLICE_BYTES) / 4;
    const n = (bytes + 3) >>> 2;
    let gained = 0;
    for (let i = 0; i < n; i++) {
      const w = words[base + i];
      const h = hadWords[i];
      gained |= w & ~h;
      words[base + i] = w | h;
    }
    for (let i = n; i < SLICE_BYTES / 4 && gained === 0; i++) gained = words[base + i];
    return gained !== 0;
  }

  /**
   * The segment's keys as it held them, with the rows added since overwriting theirs (where they have
   * a key): a sync that changed a few hundred of a segment's 65,280 rows copies those, not every other.
   */
  private finishKeys(segment: number): void {
    const had = this.readKeys.get(segment) as Buffer | undefined;
    let keys = this.keys;
    if (had !== undefined) {
      const added = this.keys;
      let last = 0;
      for (const row of this.keyRows) if (row > last) last = row;
      keys = Buffer.alloc(Math.max(had.length, (last + 1) * KEY_BYTES));
      had.copy(keys);
      for (const row of this.keyRows) {
        const at = row * KEY_BYTES;
        if (added.readUInt32BE(at) !== 0) added.copy(keys, at, at, at + KEY_BYTES);
      }
    }
    let end = keys.length; // up to the last account with a key, as the slices
    while (end > 0 && keys.readUInt32BE(end - KEY_BYTES) === 0) end -= KEY_BYTES;
    this.writeKeys.run(segment, keys.subarray(0, end));
    this.keys.fill(0);
    this.keyRows = [];
  }
}

/** How many rows a fold or a build reads at a time. */
const CHUNK = 20_000;

/** Sets the bits and keys of the rows `sql` selects ([account_id, text, name_key] after `?`, in id order, `LIMIT ?`). */
function addRows(db: Database.Database, sql: string): number | null {
  const chunk = db.prepare(sql).raw();
  const builder = new SearchIndexBuilder(db);
  let after: number | null = null;
  for (;;) {
    const rows = chunk.all(after ?? Number.MIN_SAFE_INTEGER, CHUNK) as [number, string | null, string | null][];
    if (rows.length === 0) break;
    for (const [id, text, name] of rows) if (text !== null) builder.add(id, text, name ?? '');
    after = rows[rows.length - 1][0];
  }
  builder.finish();
  return after;
}

/**
 * Folds the rows noted since (search_dirty) into the index and forgets them: a sync and a revert do at
 * their end, in their transaction. Erased accounts' notes are dropped (their bits stay: harmless).
 */
export function foldSearchIndex(db: Database.Database): void {
  // Each slice is read once and written once: a 16 MiB cache would only hold them, and took a 1% churn
  // resync of a million people from 248 to 260 MB at its peak (npm run bench), for the same time.
  withStreamingCache(db, () => {
    const last = addRows(
      db,
      'SELECT d.account_id, s.text, s.name_key FROM search_dirty d LEFT JOIN account_search s ON s.account_id = d.account_id WHERE d.account_id > ? ORDER BY d.account_id LIMIT ?',
    );
    if (last !== null) db.prepare('DELETE FROM search_dirty WHERE account_id <= ?').run(last);
  });
}

/**
 * Makes the index of every search row anew (schema v10 and v11, for a hub that has rows already): the
 * bits, and (v11) the name keys.
 */
export function buildSearchIndex(db: Database.Database): void {
  db.exec(`${SEARCH_NAMES_SQL} DELETE FROM search_slices; DELETE FROM search_names; DELETE FROM search_dirty;`);
  addRows(db, 'SELECT account_id, text, name_key FROM account_search WHERE account_id > ? ORDER BY account_id LIMIT ?');
}

/**
 * The name keys of a hub whose index has none yet (schema v11): made with the bits, anew (a hub that
 * came through v10 just now has both already).
 */
export function buildNameKeys(db: Database.Database): void {
  const none = db.prepare('SELECT NOT EXISTS (SELECT 1 FROM search_names)').pluck().get() === 1;
  const rows = db.prepare('SELECT EXISTS (SELECT 1 FROM account_search)').pluck().get() === 1;
  if (none && rows) buildSearchIndex(db);
}

/** The name keys' table (schema v11). Re-runnable. */
export const SEARCH_NAMES_SQL = `
  CREATE TABLE IF NOT EXISTS search_names (
    segment INTEGER PRIMARY KEY,
    keys    BLOB NOT NULL
  );
`;

/**
 * Notes a search row written, once. Not `INSERT OR IGNORE`: inside a trigger the conflict clause of the
 * statement that fired it wins (a revert's upsert of a link made it an error).
 */
const note = 'INSERT INTO search_dirty (account_id) SELECT NEW.account_id WHERE NOT EXISTS (SELECT 1 FROM search_dirty WHERE account_id = NEW.account_id);';

/** The tables and the triggers that note every search row written (schema v10). Re-runnable. */
export const SEARCH_INDEX_SQL = `
  CREATE TABLE IF NOT EXISTS search_slices (
    key  INTEGER PRIMARY KEY,
    bits BLOB NOT NULL
  );
  CREATE TABLE IF NOT EXISTS search_dirty (account_id INTEGER PRIMARY KEY);
  CREATE TRIGGER IF NOT EXISTS account_search_note_insert AFTER INSERT ON account_search BEGIN ${note} END;
  CREATE TRIGGER IF NOT EXISTS account_search_note_update AFTER UPDATE ON account_search BEGIN ${note} END;
`;
