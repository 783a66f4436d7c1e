/**
 * The process's stdout and stderr when they are not a terminal (src/cli/stdio.ts): written directly, every
 * byte, as Node's stream wrote them; a terminal (or what cannot be told from one) keeps Node's stream.
 * The binary's own output into a pipe and a closed pipe are tested in e2e/binary and e2e/processes.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { plainWriter, promptOutput } from '../../src/cli/stdio.js';
import { tempDir } from '../helpers/tmp.js';

const open: number[] = [];
afterEach(() => {
  for (const fd of open.splice(0)) fs.closeSync(fd);
});

describe('plainWriter', () => {
  it('writes text and bytes to a file whole, in order, and says it is no terminal', () => {
    const file = path.join(tempDir('basishub-stdio-'), 'out.tsv');
    const fd = fs.openSync(file, 'w');
    open.push(fd);
    const w = plainWriter(fd, () => {
      throw new Error('a file has no reader to go away');
    })!;
    expect(w.isTTY).toBe(false);
    const big = 'Öztürk\tGroep 1/2\n'.repeat(100_000); // 1.8 MB: more than one write takes at a time
    w.write('id\tnaam\n');
    w.write(big);
    w.write(Buffer.from('Zoë\n'));
    expect(fs.readFileSync(file, 'utf8')).toBe(`id\tnaam\n${big}Zoë\n`);
  });

  it('takes /dev/null, and leaves a closed descriptor to Node', () => {
    const nul = fs.openSync('/dev/null', 'w');
    open.push(nul);
    expect(plainWriter(nul, () => undefined)?.write('weg')).toBe(true);
    const fd = fs.openSync(path.join(tempDir('basishub-stdio-'), 'x'), 'w');
    fs.closeSync(fd);
    expect(plainWriter(fd, () => undefined)).toBeUndefined();
  });

  it("leaves a prompt a whole stream: Node's stderr in place of a writer (stdin a terminal, stderr a file)", () => {
    const nul = fs.openSync('/dev/null', 'w');
    open.push(nul);
    const w = plainWriter(nul, () => undefined)! as unknown as NodeJS.WritableStream;
    expect(promptOutput(w)).toBe(process.stderr);
    expect(promptOutput(process.stdout)).toBe(process.stdout);
  });
});
