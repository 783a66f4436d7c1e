/**
 * The slices of a publish in two threads (src/app/publish-slices.ts) and the set of classes the two
 * fill at once (src/targets/shared-ids.ts): every account in exactly one slice, every slice claimed
 * once, the threads' slices each in one piece, and the second thread shut out once the first went on
 * without it. Two threads are played here by one, in the orders two could take.
 */
import { describe, expect, it } from '@jest/globals';
import { SliceClaims } from '../../src/app/publish-slices.js';
import { NumberIndex, SharedIds } from '../../src/targets/shared-ids.js';

describe('slices of the id span', () => {
  it('cover the span once, in order, reaching past its ends (an account made after it was read)', () => {
    for (const [first, last, count] of [
      [1, 1_000_000, 64],
      [17, 40, 64],
      [5, 5, 64],
      [100, 163, 7],
    ]) {
      const claims = SliceClaims.over({ first, last }, count);
      expect(claims.count).toBe(Math.min(count, last - first + 1));
      const ranges = Array.from({ length: claims.count }, (_, i) => claims.range(i));
      expect(ranges[0].after).toBe(Number.MIN_SAFE_INTEGER);
      expect(ranges[ranges.length - 1].last).toBe(Number.MAX_SAFE_INTEGER);
      for (let i = 1; i < ranges.length; i++) {
        expect(ranges[i].after).toBe(ranges[i - 1].last);
        expect(ranges[i].last).toBeGreaterThan(ranges[i].after); // none empty
      }
      if (ranges.length > 1) expect(ranges[ranges.length - 2].last).toBeLessThan(last);
    }
  });

  it('are claimed once each, from the front and from the back, until the two meet', () => {
    for (const pattern of ['fb', 'ffb', 'fbbb', 'f', 'b']) {
      const claims = SliceClaims.over({ first: 1, last: 1000 }, 16);
      const front: number[] = [];
      const back: number[] = [];
      for (let step = 0; ; step++) {
        const side = pattern[step % pattern.length];
        const i = side === 'f' ? claims.front() : claims.back();
        if (i < 0) break;
        (side === 'f' ? front : back).push(i);
      }
      expect(claims.front()).toBe(-1);
      expect(claims.back()).toBe(-1);
      const k = claims.firstFromBack();
      expect(front).toEqual(Array.from({ length: k }, (_, i) => i));
      expect(back).toEqual(Array.from({ length: 16 - k }, (_, i) => 15 - i));
    }
  });

  it('shares its claims with a second thread through memory, not copies', () => {
    const claims = SliceClaims.over({ first: 1, last: 100 }, 4);
    const theirs = SliceClaims.of(structuredClone(claims.shape));
    expect(theirs.back()).toBe(3);
    expect(claims.front()).toBe(0);
    expect(theirs.back()).toBe(2);
    expect(claims.front()).toBe(1);
    expect([claims.front(), theirs.back(), claims.firstFromBack()]).toEqual([-1, -1, 2]);
    claims.listedInFront(250);
    expect(theirs.frontListed()).toBe(250);
  });

  it('lets the second thread take part only if it says so before the first goes on without it', () => {
    const ready = SliceClaims.over({ first: 1, last: 100 }, 4);
    expect(ready.claimsReady()).toBe(true);
    expect(ready.isReady()).toBe(true);
    expect(ready.shutOut()).toBe(false); // too late: it reads the same snapshot, and takes part

    const late = SliceClaims.over({ first: 1, last: 100 }, 4);
    expect(late.shutOut()).toBe(true);
    expect(late.claimsReady()).toBe(false); // it stops; what it claimed is done by the first
    expect(late.isReady()).toBe(false);
  });
});

describe('classes two threads meet (SharedIds)', () => {
  it('says which thread added a number first, across copies of its shape', () => {
    const ids = SharedIds.forAbout(10);
    const theirs = SharedIds.of(structuredClone(ids.buffer));
    const numbers = [0, 1, 1024, 2048, 2 ** 48 - 1, 0xabcdef012345];
    for (const n of numbers) expect(ids.addFirst(n)).toBe(true);
    for (const n of numbers) expect(theirs.addFirst(n)).toBe(false);
    expect(theirs.addFirst(7)).toBe(true);
    expect(ids.addFirst(7)).toBe(false);
  });

  it('counts every number as new once it is full (the lists then overlap, and the merge drops the second of two)', () => {
    const ids = SharedIds.forAbout(0); // 1,024 slots
    for (let n = 0; n < 1024; n++) expect(ids.addFirst(n * 7919)).toBe(true);
    expect(ids.addFirst(5)).toBe(true);
    expect(ids.addFirst(5)).toBe(true);
    expect(ids.addFirst(7919)).toBe(false); // what it holds it still knows
  });

  it('finds a number a roster met before at its position, past several growths of its table (NumberIndex)', () => {
    const index = new NumberIndex();
    const numbers = Array.from({ length: 5000 }, (_, i) => (i * 0x9e3779b1 * 4096 + i) % 2 ** 48);
    numbers.forEach((n, i) => {
      expect(index.get(n)).toBe(-1);
      index.set(n, i);
    });
    numbers.forEach((n, i) => expect(index.get(n)).toBe(i));
    expect([index.get(0), index.get(2 ** 48 - 1)]).toEqual([0, -1]);
  });
});
