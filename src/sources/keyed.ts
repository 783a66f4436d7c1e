/**
 * Text kept compactly while an export of millions of records is collected (src/sources/collect.ts):
 * as UTF-8 bytes in blocks of 4 MiB, addressed through typed arrays, never as a million JavaScript
 * strings or Map entries. A string costs its header and two bytes a character once a decoded chunk
 * holds one "é", a Map entry three words and its share of the table, and every object costs the
 * garbage collector; the bytes cost one byte a character.
 */

/** Bytes in blocks of 4 MiB; per slot: block number, offset in the block, length in bytes. */
class Blocks {
  private static readonly BLOCK = 4 * 1024 * 1024;
  protected readonly blocks: Buffer[] = [];
  private block = Buffer.alloc(0);
  private used = 0;
  protected where = new Uint32Array(1024);
  protected start = new Uint32Array(1024);
  protected length = new Uint32Array(1024);

  /** Room for `bytes` more bytes in the current block, or a new block; the offset to write at. */
  protected reserve(slot: number, bytes: number): Buffer {
    if (slot >= this.where.length) this.grow(slot);
    if (this.used + bytes > this.block.length) {
      this.block = Buffer.allocUnsafe(Math.max(Blocks.BLOCK, bytes));
      this.blocks.push(this.block);
      this.used = 0;
    }
    this.where[slot] = this.blocks.length - 1;
    this.start[slot] = this.used;
    return this.block;
  }

  /** Closes the entry of `slot` after `bytes` bytes were written at its start. */
  protected written(slot: number, bytes: number): void {
    this.length[slot] = bytes;
    this.used += bytes;
  }

  private grow(slot: number): void {
    const cap = Math.max(slot + 1, this.where.length * 2);
    for (const k of ['where', 'start', 'length'] as const) this[k] = grownU32(this[k], cap);
  }
}

/** Text per slot (see Blocks). */
export class TextArena extends Blocks {
  /** Stores `text` for `slot` (anew: a slot's earlier text is left behind, unused). */
  set(slot: number, text: string): void {
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    const block = this.reserve(slot, text.length * 3);
    this.written(slot, block.write(text, this.start[slot], 'utf8'));
  }

  get(slot: number): string {
    const start = this.start[slot];
    return this.blocks[this.where[slot]].toString('utf8', start, start + this.length[slot]);
  }
}

/** Below this many bytes a key's length is one byte before it; from it on, a marker and three bytes. */
const SHORT_KEY = 0x80;

/**
 * Text per key (an externalId), in slots 0, 1, 2 … in the order the keys were added. Each entry is the
 * key's byte length (one byte, or 0x80 and three bytes), the key, and the text. The keys are found
 * through an open-addressing hash table (linear probing) of two Int32 per bucket: the slot + 1 (0:
 * empty) and the key's hash. Between three eighths and three quarters of the buckets are used, so a
 * key costs 11 to 21 bytes of table, besides its bytes and the 12 bytes of its place.
 *
 * Keys are compared as UTF-8, as they are stored: a key with a lone surrogate (possible in JSON) is
 * the same key as its U+FFFD form, which is also how SQLite stores it.
 */
export class KeyedTexts extends Blocks {
  private table = new Int32Array(2 * 1024);
  private mask = 1023;
  size = 0;
  /** The UTF-8 bytes of the key last hashed, when it is not ASCII (else `scratchBytes` is -1). */
  private scratch = Buffer.allocUnsafe(1024);
  private scratchBytes = -1;
  /** The hash and the empty bucket of the last `find` that missed, for `insert`. */
  private lastHash = 0;
  private lastBucket = -1;

  /** The slot of `key`, or -1. */
  find(key: string): number {
    const hash = this.hash(key);
    const table = this.table;
    for (let b = hash & this.mask; ; b = (b + 1) & this.mask) {
      const slot = table[2 * b] - 1;
      if (slot < 0) {
        this.lastHash = hash;
        this.lastBucket = b;
        return -1;
      }
      if (table[2 * b + 1] === hash && this.keyIs(slot, key)) return slot;
    }
  }

  /** Adds `key` with its text as the next slot; only right after `find(key)` returned -1. */
  insert(key: string, text: string): number {
    const slot = this.size++;
    if (this.size * 4 > (this.mask + 1) * 3) this.rehash();
    const block = this.reserve(slot, 4 + (key.length + text.length) * 3);
    let at = this.start[slot];
    const from = at + (key.length * 3 < SHORT_KEY ? 1 : 4);
    const bytes = block.write(key, from, 'utf8');
    if (from === at + 1) block[at] = bytes;
    else {
      block[at] = SHORT_KEY;
      block.writeUIntLE(bytes, at + 1, 3);
    }
    at = from + bytes;
    at += block.write(text, at, 'utf8');
    this.written(slot, at - this.start[slot]);
    let b = this.lastBucket;
    if (b < 0) for (b = this.lastHash & this.mask; this.table[2 * b] !== 0; b = (b + 1) & this.mask);
    this.table[2 * b] = slot + 1;
    this.table[2 * b + 1] = this.lastHash;
    this.lastBucket = -1;
    return slot;
  }

  /** Where the bytes `textBytesAt` found are in their block: [from, to). */
  from = 0;
  to = 0;

  /** The block holding the text of `slot`, its bytes at [from, to) (read without decoding them). */
  textBytesAt(slot: number): Buffer {
    const block = this.blocks[this.where[slot]];
    const at = this.start[slot];
    this.from = keyFrom(block, at) + keyBytes(block, at);
    this.to = at + this.length[slot];
    return block;
  }

  key(slot: number): string {
    const block = this.blocks[this.where[slot]];
    const at = this.start[slot];
    const from = keyFrom(block, at);
    return block.toString('utf8', from, from + keyBytes(block, at));
  }

  text(slot: number): string {
    const block = this.blocks[this.where[slot]];
    const at = this.start[slot];
    return block.toString('utf8', keyFrom(block, at) + keyBytes(block, at), at + this.length[slot]);
  }

  /** FNV-1a over the key's UTF-8 bytes, mixed (murmur3's finaliser): linear probing needs the low bits good. */
  private hash(key: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      if (c >= 0x80) return this.hashBytes(key);
      h = Math.imul(h ^ c, 0x01000193);
    }
    this.scratchBytes = -1;
    return mix(h);
  }

  private hashBytes(key: string): number {
    if (key.length * 3 > this.scratch.length) this.scratch = Buffer.allocUnsafe(key.length * 3);
    const n = (this.scratchBytes = this.scratch.write(key, 0, 'utf8'));
    let h = 0x811c9dc5;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ this.scratch[i], 0x01000193);
    return mix(h);
  }

  /** Whether the key in `slot` is `key`, the key last hashed (bytes compared, nothing decoded). */
  private keyIs(slot: number, key: string): boolean {
    const block = this.blocks[this.where[slot]];
    const at = this.start[slot];
    const from = keyFrom(block, at);
    const bytes = keyBytes(block, at);
    if (this.scratchBytes < 0) {
      if (bytes !== key.length) return false;
      for (let i = 0; i < bytes; i++) if (block[from + i] !== key.charCodeAt(i)) return false;
      return true;
    }
    if (bytes !== this.scratchBytes) return false;
    for (let i = 0; i < bytes; i++) if (block[from + i] !== this.scratch[i]) return false;
    return true;
  }

  /**
   * Whether the key in `slot` is `key`, an ASCII key (bytes compared with its characters, nothing hashed
   * or decoded); false for any other key, which `find` then looks up.
   */
  keyIsAscii(slot: number, key: string): boolean {
    const block = this.blocks[this.where[slot]];
    const at = this.start[slot];
    if (keyBytes(block, at) !== key.length) return false;
    const from = keyFrom(block, at);
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      if (c >= 0x80 || block[from + i] !== c) return false;
    }
    return true;
  }

  /** Twice the buckets, each key placed again by its stored hash. */
  private rehash(): void {
    this.mask = this.mask * 2 + 1;
    this.table = rehashed(this.table, this.mask);
    this.lastBucket = -1; // the bucket found before is in the old table
  }
}

/**
 * Byte strings that many entries share, each stored once (numbered 0, 1, 2 … as added) and found by
 * their bytes through an open-addressing hash table like KeyedTexts', without decoding them: the
 * collector keeps the end of a row that many people have in common here (src/sources/collect.ts).
 */
export class SharedBytes extends Blocks {
  private table = new Int32Array(2 * 1024);
  private mask = 1023;
  size = 0;

  private bytes = 0;

  /** The number of the bytes at [from, to) of `source`, added if new and within `limits`; or -1. */
  idOf(source: Buffer, from: number, to: number, limits: { count: number; bytes: number }): number {
    let h = 0x811c9dc5;
    for (let i = from; i < to; i++) h = Math.imul(h ^ source[i], 0x01000193);
    h = mix(h);
    let b = h & this.mask;
    for (; ; b = (b + 1) & this.mask) {
      const id = this.table[2 * b] - 1;
      if (id < 0) break;
      if (this.table[2 * b + 1] === h && this.same(id, source, from, to)) return id;
    }
    if (this.size >= limits.count || this.bytes + to - from > limits.bytes) return -1;
    const id = this.added(h, b, to - from);
    source.copy(this.blocks[this.where[id]], this.start[id], from, to);
    return id;
  }

  /**
   * `idOf` the UTF-8 bytes of `text`. An ASCII text (most are) is hashed and compared from its
   * characters, as the same bytes, with no copy of it written to find it: the collector asks this
   * once a row. Other text is written into `scratch` (3 bytes a character) and found by its bytes.
   */
  idOfText(text: string, scratch: Buffer, limits: { count: number; bytes: number }): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) return this.idOf(scratch, 0, scratch.write(text, 0, 'utf8'), limits);
      h = Math.imul(h ^ c, 0x01000193);
    }
    h = mix(h);
    let b = h & this.mask;
    for (; ; b = (b + 1) & this.mask) {
      const id = this.table[2 * b] - 1;
      if (id < 0) break;
      if (this.table[2 * b + 1] === h && this.sameAscii(id, text)) return id;
    }
    if (this.size >= limits.count || this.bytes + text.length > limits.bytes) return -1;
    const id = this.added(h, b, text.length);
    this.blocks[this.where[id]].write(text, this.start[id], 'latin1');
    return id;
  }

  /** Takes the next id for `length` bytes with hash `h`, in the empty bucket `b`; the caller writes the bytes. */
  private added(h: number, b: number, length: number): number {
    this.bytes += length;
    const id = this.size++;
    this.reserve(id, length);
    this.written(id, length);
    this.table[2 * b] = id + 1;
    this.table[2 * b + 1] = h;
    if (this.size * 4 > (this.mask + 1) * 3) this.rehash();
    return id;
  }

  /** The block holding the bytes of `id`, at [start, start + length) (see `from`, `to`). */
  bytesAt(id: number): Buffer {
    this.from = this.start[id];
    this.to = this.from + this.length[id];
    return this.blocks[this.where[id]];
  }

  from = 0;
  to = 0;

  text(id: number): string {
    const block = this.bytesAt(id);
    return block.toString('utf8', this.from, this.to);
  }

  private sameAscii(id: number, text: string): boolean {
    if (this.length[id] !== text.length) return false;
    const block = this.blocks[this.where[id]];
    const at = this.start[id];
    for (let i = 0; i < text.length; i++) if (block[at + i] !== text.charCodeAt(i)) return false;
    return true;
  }

  private same(id: number, source: Buffer, from: number, to: number): boolean {
    if (this.length[id] !== to - from) return false;
    const at = this.start[id];
    return source.compare(this.blocks[this.where[id]], at, at + to - from, from, to) === 0;
  }

  private rehash(): void {
    this.mask = this.mask * 2 + 1;
    this.table = rehashed(this.table, this.mask);
  }
}

/** A hash table of (entry + 1, hash) pairs with `mask` + 1 buckets, holding the entries of `old`. */
function rehashed(old: Int32Array, mask: number): Int32Array<ArrayBuffer> {
  const table = new Int32Array(2 * (mask + 1));
  for (let i = 0; i < old.length; i += 2) {
    if (old[i] === 0) continue;
    let b = old[i + 1] & mask;
    while (table[2 * b] !== 0) b = (b + 1) & mask;
    table[2 * b] = old[i]!;
    table[2 * b + 1] = old[i + 1]!;
  }
  return table;
}

/** Where the key of the entry at `at` starts (see KeyedTexts). */
function keyFrom(block: Buffer, at: number): number {
  return block[at] < SHORT_KEY ? at + 1 : at + 4;
}

/** How many bytes the key of the entry at `at` has. */
function keyBytes(block: Buffer, at: number): number {
  const first = block[at];
  return first < SHORT_KEY ? first : block.readUIntLE(at + 1, 3);
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function grownU32(a: Uint32Array, cap: number): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(cap);
  b.set(a);
  return b;
}
