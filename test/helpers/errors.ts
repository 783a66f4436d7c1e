import { expect } from '@jest/globals';
import { BasishubError } from '../../src/errors.js';

/** The BasishubError that `fn` throws; fails the test when it throws nothing or something else. */
export function thrown(fn: () => unknown): BasishubError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BasishubError);
    return e as BasishubError;
  }
  throw new Error('expected an error');
}

/** The same for a promise. */
export async function rejected(fn: () => Promise<unknown>): Promise<BasishubError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BasishubError);
    return e as BasishubError;
  }
  throw new Error('expected an error');
}
