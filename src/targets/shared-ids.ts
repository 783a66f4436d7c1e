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
