/**
 * The match keys of the new accounts that one source's records started in this run, so that a second
 * record of that source with the same key is a conflict, not a second account (R12). Kept as 32-bit hashes
 * in an open-addressed table of typed arrays (8 bytes a slot, growing by doubling): a first sync of a
 * million records keys every one of them, and a Map of a million strings would cost far more memory. A
 * hash that meets another is checked against the account's own record (`same`).
 */
export class OwnKeys {
  private hashes = new Int32Array(1024);
  /** The new account's index + 1; 0 is an empty slot. */
  private values = new Int32Array(1024);
  private count = 0;

  /** The new account whose key is `key` (its first record says so, `same`), or -1. */
  find(key: string, same: (n: number) => boolean): number {
    const h = hashKey(key);
    const mask = this.values.length - 1;
    for (let i = h & mask; this.values[i] !== 0; i = (i + 1) & mask) {
      if (this.hashes[i] === h && same(this.values[i] - 1)) return this.values[i] - 1;
    }
    return -1;
  }

  add(key: string, n: number): void {
    if (2 * (this.count + 1) > this.values.length) this.grow();
    this.put(hashKey(key), n + 1);
    this.count++;
  }

  private put(h: number, value: number): void {
    const mask = this.values.length - 1;
    let i = h & mask;
    while (this.values[i] !== 0) i = (i + 1) & mask;
    this.hashes[i] = h;
    this.values[i] = value;
  }

  private grow(): void {
    const { hashes, values } = this;
    this.hashes = new Int32Array(2 * values.length);
    this.values = new Int32Array(2 * values.length);
    for (let i = 0; i < values.length; i++) if (values[i] !== 0) this.put(hashes[i], values[i]);
  }
}

/** FNV-1a over the key's UTF-16 code units. */
function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h | 0;
}
