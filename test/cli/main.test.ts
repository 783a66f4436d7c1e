/**
 * `main(argv, io)` reads everything from its IO, not from the process: the environment (clock, actor,
 * database, colour) and the streams (TTY or not). That is what lets the tests run the CLI in-process,
 * and what keeps two runs in one process from seeing each other's settings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from '@jest/globals';
import { night, tempDir } from '../helpers/hub.js';

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY = false) {
    super({ decodeStrings: false });
  }
  override _write(chunk: string | Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += String(chunk);
    done();
  }
}

function io(env: Record<string, string>, tty = false) {
  const stdin = Object.assign(Readable.from([]), { isTTY: false });
  return { stdin, stdout: new Capture(tty), stderr: new Capture(tty), env };
}

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
});

describe('main(argv, io)', () => {
  it('changes nothing of the process when it is imported (no stdout handler; the binary sets that up)', async () => {
    const before = process.stdout.listenerCount('error');
    const { main, runProcess } = await import('../../src/cli/main.js');
    expect(process.stdout.listenerCount('error')).toBe(before);
    expect(typeof main).toBe('function');
    expect(typeof runProcess).toBe('function');
  });

  it('takes the clock, the actor and the database from its environment, not from the process', async () => {
    const { main } = await import('../../src/cli/main.js');
    const dir = tempDir();
    const db = path.join(dir, 'hub.db');
    process.env.BASISHUB_DB = path.join(dir, 'not-this-one.db');
    process.env.BASISHUB_ACTOR = 'not-this-one';
    process.env.BASISHUB_NOW = '2020-01-01T00:00:00.000Z';
    const env = { BASISHUB_DB: db, BASISHUB_ACTOR: 'ilse.bakker', BASISHUB_NOW: '2026-11-24T10:00:00.000Z' };

    expect(await main(['init', '--json'], io(env))).toBe(0);
    expect(await main(['sources', 'add', 'hr', '--file', night(1, 'hr'), '--kind', 'hr', '--map', 'externalId=Personeelsnummer', '--json'], io(env))).toBe(0);
    const audit = io(env);
    expect(await main(['audit', '--json'], audit)).toBe(0);
    expect(JSON.parse(audit.stdout.text)).toEqual([
      expect.objectContaining({ action: 'source.add', actor: 'ilse.bakker', at: '2026-11-24T10:00:00.000Z', source: 'hr' }),
    ]);
    expect(fs.existsSync(process.env.BASISHUB_DB)).toBe(false);
  });

  it('colours errors on a TTY only, and only when its own NO_COLOR and TERM allow', async () => {
    const { main } = await import('../../src/cli/main.js');
    const missing = path.join(tempDir(), 'geen-hub.db');
    const run = async (env: Record<string, string>, tty: boolean) => {
      const streams = io({ BASISHUB_DB: missing, ...env }, tty);
      expect(await main(['users', 'list'], streams)).toBe(2);
      expect(streams.stderr.text.replace(/\x1b\[[0-9;]*m/g, '')).toContain(`Error [NO_DATABASE] No basishub database at ${missing}.`);
      return /\x1b\[/.test(streams.stderr.text);
    };
    process.env.NO_COLOR = '1'; // the process's setting is not the run's
    expect(await run({}, true)).toBe(true);
    delete process.env.NO_COLOR;
    expect(await run({ NO_COLOR: '1' }, true)).toBe(false);
    expect(await run({ NO_COLOR: '' }, true)).toBe(false); // set, even empty: no colour
    expect(await run({ TERM: 'dumb' }, true)).toBe(false);
    expect(await run({}, false)).toBe(false);
  });

  it('answers --version alone without building the command tree, exactly as the command tree answers it', async () => {
    const { main } = await import('../../src/cli/main.js');
    const { VERSION } = await import('../../src/version.js');
    const answer = async (argv: string[]) => {
      const streams = io({});
      const code = await main(argv, streams);
      return { code, stdout: streams.stdout.text, stderr: streams.stderr.text };
    };
    const fast = { code: 0, stdout: `${VERSION}\n`, stderr: '' };
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect(await answer(['--version'])).toEqual(fast);
    expect(await answer(['-V'])).toEqual(fast);
    // With anything else on the line, commander answers: the same text.
    expect(await answer(['--no-color', '--version'])).toEqual(fast);
    expect(await answer(['--lang', 'nl', '-V'])).toEqual(fast);
  });
});
