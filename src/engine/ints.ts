/**
 * A growable list of 32-bit integers in a typed array: 4 bytes each, where a JavaScript array of
 * numbers takes 8 and room to grow. The planner keeps one entry per new account, millions in a
 * first sync.
 */
export class IntList {
  private items = new Int32Array(1024);
  length = 0;

  /** Appends `value`; returns the new length, as Array.prototype.push does. */
  push(value: number): number {
    if (this.length === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.length++] = value;
    return this.length;
  }

  at(i: number): number {
    return this.items[i];
  }
}
