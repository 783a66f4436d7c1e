import { it, expect } from '@jest/globals';
import { cli } from '../helpers/cli.js';
it('debug', async () => {
  const r = await cli(['help', 'exceptions', 'add']);
  console.log(r.code, r.stderr, r.stdout.slice(0, 100));
  expect(1).toBe(1);
});
