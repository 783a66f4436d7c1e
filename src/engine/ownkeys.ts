/**
 * The match keys of the new accounts that one source's records started in this run, so that a second
 * record of that source with the same key is a conflict, not a second account (R12). Kept as 32-bit hashes
 * in an open-addressed table of one typed array (8 bytes a slot, sized for the records that may start an
 * account, so that it need not grow while a million are keyed): a first sync of a
 * million records keys every one of them, and a Map of a million strings would cost far more memory. A
 * hash that meets another is checked against the account's own record (`same`).
 */
export class OwnKeys {
  /** Per slot its hash and then the new account's index + 1 (0: an empty slot), side by side: one cache miss a probe. */
  private slots: Int32Array;
  private count = 0;

  /** Room for `expected` keys without growing (the records that may start an account). */
  constructor(expected = 0) {
    let size = 1024;
    while (size < 2 * expected) size *= 2;
    this.slots = new Int32Array(2 * size);
  }

  /** The new account whose key is `key` (its first record says so, `same`), or -1. */
  find(key: string, same: (n: number) => boolean): number {
    return this.findHash(hashKey(key), same);
  }

  /** `find` by the key's hash (hashKey, or asciiKeyHash of the raw value). */
  findHash(h: number, same: (n: number) => boolean): number {
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    for (let i = h & mask; slots[2 * i + 1] !== 0; i = (i + 1) & mask) {
      if (slots[2 * i] === h && same(slots[2 * i + 1] - 1)) return slots[2 * i + 1] - 1;
    }
    return -1;
  }

  add(key: string, n: number): void {
    this.addHash(hashKey(key), n);
  }

  addHash(h: number, n: number): void {
    if (2 * (this.count + 1) > this.slots.length >> 1) this.grow();
    this.put(h, n + 1);
    this.count++;
  }

  private put(h: number, value: number): void {
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    let i = h & mask;
    while (slots[2 * i + 1] !== 0) i = (i + 1) & mask;
    slots[2 * i] = h;
    slots[2 * i + 1] = value;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(2 * old.length);
    for (let i = 1; i < old.length; i += 2) if (old[i] !== 0) this.put(old[i - 1], old[i]);
  }
}

/**
 * The hash of an email's match key (trimmed, lower case: matchValue) made from the raw value without making
 * that string, for the usual address of printable ASCII only; null for any other (empty, a space, a
 * character past ASCII), whose key is made as a string. Equal to hashKey(raw.trim().toLowerCase()).
 */
export function asciiKeyHash(raw: string): number | null {
  if (raw.length === 0) return null;
  let h = 0x811c9dc5;
  for (let i = 0; i < raw.length; i++) {
    let c = raw.charCodeAt(i);
    if (c <= 32 || c >= 127) return null;
    if (c >= 65 && c <= 90) c += 32;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h | 0;
}

/** FNV-1a over the key's UTF-16 code units. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h | 0;
}
