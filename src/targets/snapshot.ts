/**
 * What a file target acknowledged (R16), as one compact snapshot: a file target is rewritten whole at
 * every publish that changes anything, so what it holds afterwards is known in one piece. Per account,
 * in id order: its id and the hash of what the target got (8 bytes each), and the account's creation
 * time (as an index into the few distinct times) with whether it was sent as active (4 bytes). A
 * million accounts take 20 MB in one row, written by one statement (src/store/targets.ts), where a row
 * per account took some 70 bytes each and a statement per 500.
 */
import os from 'node:os';
import type { AckedState } from './types.js';

/** The stored bytes are little-endian: on such a machine (nearly all) the typed arrays are copied as they are. */
const LITTLE_ENDIAN = os.endianness() === 'LE';

/** One account of a snapshot, as the planner reads what a target acknowledged. */
class SnapshotState implements AckedState {
  readonly remoteId = null;

  constructor(
    readonly accountId: number,
    readonly accountCreated: string,
    readonly hashValue: number,
    readonly active: boolean,
    readonly ackedAt: string,
  ) {}

  /** The hash as hashOf writes it (src/targets/plan.ts). */
  get hash(): string {
    return this.hashValue.toString(36);
  }
}

export class AckSnapshot {
  private ids: Float64Array;
  private hashes: Float64Array;
  /** The index of the account's creation time in `created`, times two, plus 1 when it was sent as active. */
  private codes: Uint32Array;
  length = 0;
  active = 0;
  /** The distinct creation times (an account created by a sync shares its time with the others of that run). */
  readonly created: string[] = [];
  private readonly createdIndex = new Map<string, number>();
  private lastCreated = '';
  private lastIndex = -1;

  /** `capacity`: accounts it has room for before its arrays grow (a merged plan's: the accounts of the hub). */
  constructor(capacity = 1024) {
    const n = Math.max(1, capacity);
    [this.ids, this.hashes, this.codes] = [new Float64Array(n), new Float64Array(n), new Uint32Array(n)];
  }

  /** Adds an account; accounts come in id order. */
  push(accountId: number, accountCreated: string, hash: number, active: boolean): void {
    if (this.length === this.ids.length) this.grow();
    let c = this.lastIndex;
    if (accountCreated !== this.lastCreated || c < 0) {
      c = this.indexOf(accountCreated);
      this.lastCreated = accountCreated;
      this.lastIndex = c;
    }
    const i = this.length++;
    this.ids[i] = accountId;
    this.hashes[i] = hash;
    this.codes[i] = c * 2 + (active ? 1 : 0);
    if (active) this.active++;
  }

  /**
   * Adds the accounts of another snapshot, whose ids all come after this one's: its arrays copied whole,
   * its creation times' indexes turned into this one's (a part of a publish: src/targets/plan.ts, mergePlans).
   */
  append(other: AckSnapshot): void {
    const index = other.created.map((c) => this.indexOf(c));
    while (this.length + other.length > this.ids.length) this.grow();
    const at = this.length;
    this.ids.set(other.ids.subarray(0, other.length), at);
    this.hashes.set(other.hashes.subarray(0, other.length), at);
    for (let i = 0; i < other.length; i++) {
      const code = other.codes[i];
      this.codes[at + i] = index[code >>> 1] * 2 + (code & 1);
    }
    this.length += other.length;
    this.active += other.active;
  }

  /** The index of a creation time in `created`, added when new. */
  private indexOf(accountCreated: string): number {
    let c = this.createdIndex.get(accountCreated);
    if (c === undefined) {
      c = this.created.length;
      this.created.push(accountCreated);
      this.createdIndex.set(accountCreated, c);
    }
    return c;
  }

  private grow(): void {
    const n = this.ids.length * 2;
    const ids = new Float64Array(n);
    ids.set(this.ids);
    const hashes = new Float64Array(n);
    hashes.set(this.hashes);
    const codes = new Uint32Array(n);
    codes.set(this.codes);
    [this.ids, this.hashes, this.codes] = [ids, hashes, codes];
  }

  /**
   * The accounts as acknowledged states, in id order, each acknowledged at `ackedAt`; with `range`,
   * those with an id in (after, last] (found by bisection: a publish in slices asks for each).
   */
  *states(ackedAt: string, range?: { after: number; last: number }): IterableIterator<AckedState> {
    const last = range?.last ?? Infinity;
    for (let i = range === undefined ? 0 : this.firstAfter(range.after); i < this.length && this.ids[i] <= last; i++) {
      const code = this.codes[i];
      yield new SnapshotState(this.ids[i], this.created[code >>> 1], this.hashes[i], (code & 1) === 1, ackedAt);
    }
  }

  /** The index of the first account with an id above `id` (length when none). */
  private firstAfter(id: number): number {
    let [lo, hi] = [0, this.length];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ids[mid] <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The bytes stored: ids, then hashes (float64), then codes (uint32), little-endian. */
  encode(): Buffer {
    const n = this.length;
    const out = Buffer.allocUnsafe(n * 20);
    if (LITTLE_ENDIAN) {
      // The arrays' own bytes are the stored ones: copied whole.
      out.set(new Uint8Array(this.ids.buffer, 0, n * 8), 0);
      out.set(new Uint8Array(this.hashes.buffer, 0, n * 8), n * 8);
      out.set(new Uint8Array(this.codes.buffer, 0, n * 4), n * 16);
      return out;
    }
    for (let i = 0; i < n; i++) {
      out.writeDoubleLE(this.ids[i], i * 8);
      out.writeDoubleLE(this.hashes[i], n * 8 + i * 8);
      out.writeUInt32LE(this.codes[i], n * 16 + i * 4);
    }
    return out;
  }

  static decode(created: readonly string[], data: Buffer): AckSnapshot {
    const n = data.length / 20;
    if (!Number.isInteger(n)) throw new Error(`an acknowledged snapshot of ${data.length} bytes (not a multiple of 20)`);
    const s = new AckSnapshot(n);
    if (LITTLE_ENDIAN) {
      // Copied into the arrays' own bytes (the data's offsets need not be aligned for a view).
      new Uint8Array(s.ids.buffer).set(data.subarray(0, n * 8));
      new Uint8Array(s.hashes.buffer).set(data.subarray(n * 8, n * 16));
      new Uint8Array(s.codes.buffer).set(data.subarray(n * 16, n * 20));
      for (let i = 0; i < n; i++) s.active += s.codes[i] & 1;
    } else {
      for (let i = 0; i < n; i++) {
        s.ids[i] = data.readDoubleLE(i * 8);
        s.hashes[i] = data.readDoubleLE(n * 8 + i * 8);
        const code = data.readUInt32LE(n * 16 + i * 4);
        s.codes[i] = code;
        if ((code & 1) === 1) s.active++;
      }
    }
    s.length = n;
    for (const c of created) s.created.push(c);
    return s;
  }
}
