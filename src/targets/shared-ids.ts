/**
 * A set of 48-bit numbers (a class's sourcedId: src/targets/files.ts, shortId) in shared memory, which
 * two threads writing one roster fill at once (src/app/publish-split.ts): whoever adds a number first
 * has it. Each thread then lists only the classes it had first, and the two lists meet with next to
 * nothing in common: at a million people each thread meets nearly all of some 130,000 classes, and
 * handing all of them over cost more than their rows.
 *
 * Open addressing by the number's low bits (a SHA-1's: evenly spread), each slot a 64-bit integer
 * changed by compare-and-swap (0: empty). When it is full, every number counts as had first: the lists
 * then overlap, and the one who merges them leaves out the second of two alike (files.ts, mergeSorted).
 */

/** Slots at most (32 MiB): from there on the set is full sooner. */
const MAX_SLOTS = 1 << 22;

export class SharedIds {
  private readonly slots: BigInt64Array;
  private readonly mask: number;

  private constructor(readonly buffer: SharedArrayBuffer) {
    this.slots = new BigInt64Array(buffer);
    this.mask = this.slots.length - 1;
  }

  /** A set with room for about `expected` numbers (twice that many slots, a power of two). */
  static forAbout(expected: number): SharedIds {
    let n = 1024;
    while (n < expected * 2 && n < MAX_SLOTS) n *= 2;
    return new SharedIds(new SharedArrayBuffer(n * 8));
  }

  /** The set another thread made (its buffer is shared, not copied). */
  static of(buffer: SharedArrayBuffer): SharedIds {
    return new SharedIds(buffer);
  }

  /** Adds `n` (a whole number below 2^48); true when it was not there yet (or the set is full). */
  addFirst(n: number): boolean {
    const key = BigInt(n) + 1n;
    for (let s = n % (this.mask + 1), probes = 0; probes <= this.mask; s = (s + 1) & this.mask, probes++) {
      const was = Atomics.compareExchange(this.slots, s, 0n, key);
      if (was === 0n) return true;
      if (was === key) return false;
    }
    return true;
  }
}

/**
 * Whole numbers below 2^48 with a position each, in one thread: the classes a roster met, found by the
 * number of their id's digits (src/targets/files.ts, Roster). Open addressing by the number's low bits in
 * typed arrays; what a Map by the id's text cost was mostly hashing that text.
 */
export class NumberIndex {
  /** The number plus one (0: empty). */
  private keys = new Float64Array(1024);
  private positions = new Int32Array(1024);
  private size = 0;

  /** The position of `n`, or -1. */
  get(n: number): number {
    const mask = this.keys.length - 1;
    for (let s = n % this.keys.length; ; s = (s + 1) & mask) {
      const k = this.keys[s];
      if (k === 0) return -1;
      if (k === n + 1) return this.positions[s];
    }
  }

  /** Adds `n` (not there yet) at `position`. */
  set(n: number, position: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    this.place(n + 1, position);
    this.size++;
  }

  private place(key: number, position: number): void {
    const mask = this.keys.length - 1;
    let s = (key - 1) % this.keys.length;
    while (this.keys[s] !== 0) s = (s + 1) & mask;
    this.keys[s] = key;
    this.positions[s] = position;
  }

  private grow(): void {
    const [keys, positions] = [this.keys, this.positions];
    this.keys = new Float64Array(keys.length * 2);
    this.positions = new Int32Array(keys.length * 2);
    for (let s = 0; s < keys.length; s++) if (keys[s] !== 0) this.place(keys[s], positions[s]);
  }
}
