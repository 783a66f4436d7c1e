/**
 * The accounts of a large file target's publish as slices of their id span, claimed by two threads at
 * once (src/app/publish-split.ts): this thread takes them from the first on, the second thread from the
 * last back, until the two meet. Whichever thread is quicker (the machine's other work decides that)
 * takes more, and both run out of slices within one slice of each other. Then this thread's slices are
 * 0 … k-1 and the second thread's k … count-1, in one piece each: this thread's rows go to the target's
 * files in id order, the second thread's are appended after them, slice by slice.
 *
 * The claims are one 32-bit word of shared memory (the next slice from the front, and one past the next
 * from the back), changed by compare-and-swap; a second word says whether the second thread reads the
 * same snapshot of the hub (see claimsReady), and a third how many actions this thread's plans list so
 * far (a plan lists its first 10,000 actions: the second thread need not keep any once they are had).
 */
import type { IdRange } from '../store/targets.js';

/** The second thread has not said yet whether it reads the hub's snapshot. */
const WAITING = 0;
/** It does: its read transaction began while no one could commit (holdWrites in src/store/db.ts). */
const READY = 1;
/** This thread went on without it: whatever it claimed is done by this thread. */
const SHUT_OUT = 2;

/** Slices at most: 16 bits of the claims word each way. */
const MAX_SLICES = 1 << 15;

/** What a second thread is given of the claims (a SharedArrayBuffer is shared, not copied). */
export interface ClaimsShape {
  buffer: SharedArrayBuffer;
  first: number;
  last: number;
  count: number;
}

export class SliceClaims {
  private readonly words: Int32Array;

  private constructor(readonly shape: ClaimsShape) {
    this.words = new Int32Array(shape.buffer);
  }

  /** The id span `first` … `last` in `count` slices of (nearly) equal width, none claimed. */
  static over(span: { first: number; last: number }, count: number): SliceClaims {
    const n = Math.max(1, Math.min(count, MAX_SLICES - 1, span.last - span.first + 1));
    const claims = new SliceClaims({ buffer: new SharedArrayBuffer(12), first: span.first, last: span.last, count: n });
    claims.words[0] = n << 16;
    return claims;
  }

  /** The claims another thread made with `over` (their shape as the second thread gets it). */
  static of(shape: ClaimsShape): SliceClaims {
    return new SliceClaims(shape);
  }

  get count(): number {
    return this.shape.count;
  }

  /**
   * The accounts of slice `i`: ids in (after, last]. The first slice reaches down and the last up
   * without bound: an account made after the span was read (before the snapshot) is in one of them.
   */
  range(i: number): IdRange {
    const { first, last, count } = this.shape;
    const width = last - first + 1;
    const bound = (k: number) => first - 1 + Math.floor((k * width) / count);
    return {
      after: i === 0 ? Number.MIN_SAFE_INTEGER : bound(i),
      last: i === count - 1 ? Number.MAX_SAFE_INTEGER : bound(i + 1),
    };
  }

  /** Claims the next slice from the front (this thread's side), or -1 when none is left. */
  front(): number {
    for (;;) {
      const v = Atomics.load(this.words, 0);
      const [f, e] = [v & 0xffff, v >>> 16];
      if (f >= e) return -1;
      if (Atomics.compareExchange(this.words, 0, v, (e << 16) | (f + 1)) === v) return f;
    }
  }

  /** Claims the next slice from the back (the second thread's side), or -1 when none is left. */
  back(): number {
    for (;;) {
      const v = Atomics.load(this.words, 0);
      const [f, e] = [v & 0xffff, v >>> 16];
      if (f >= e) return -1;
      if (Atomics.compareExchange(this.words, 0, v, ((e - 1) << 16) | f) === v) return e - 1;
    }
  }

  /** The first slice claimed from the back (all of them from there on), once none is left: count when there were none. */
  firstFromBack(): number {
    return Atomics.load(this.words, 0) >>> 16;
  }

  /** The second thread: its snapshot is the publish's. False when this thread went on without it (then it stops). */
  claimsReady(): boolean {
    return Atomics.compareExchange(this.words, 1, WAITING, READY) !== SHUT_OUT;
  }

  /** Whether the second thread said it reads the publish's snapshot. */
  isReady(): boolean {
    return Atomics.load(this.words, 1) === READY;
  }

  /** This thread's plans list `n` actions so far. */
  listedInFront(n: number): void {
    Atomics.store(this.words, 2, n);
  }

  /** How many actions this thread's plans list so far (the second thread's come after them). */
  frontListed(): number {
    return Atomics.load(this.words, 2);
  }

  /** This thread stops waiting for the second: true when it was not ready (it then does nothing more that counts). */
  shutOut(): boolean {
    return Atomics.compareExchange(this.words, 1, WAITING, SHUT_OUT) === WAITING;
  }
}
