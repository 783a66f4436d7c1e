/**
 * Drives the CLI in-process (src/cli/main.ts) with streams of its own: stdout and stderr as a
 * terminal of a given width or as a pipe, and stdin as a terminal a test types into. Faster than
 * spawning, and the only way here to be a terminal.
 */
import { PassThrough, Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';

export class Capture extends Writable {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns?: number,
  ) {
    super();
  }
  /** A terminal's stderr is never ended; the prompt library ends the stream it is given. */
  override end(): this {
    return this;
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** A keyboard: a readable stream that says it is a TTY, into which a test types keys. */
export class Keyboard extends PassThrough {
  readonly isTTY = true;
  isRaw = false;
  setRawMode(mode: boolean): this {
    this.isRaw = mode;
    return this;
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** stdout (and stderr) a terminal of this many columns; absent: a pipe. */
  columns?: number;
  /** A terminal on stdin, with these keys typed one after another as prompts appear. */
  keys?: string[];
  env?: Record<string, string>;
}

export async function cli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const tty = opts.columns !== undefined;
  const stdout = new Capture(tty, opts.columns);
  const stderr = new Capture(tty, opts.columns);
  const stdin = opts.keys ? new Keyboard() : Object.assign(new PassThrough(), { isTTY: false });
  const env = { NO_COLOR: '1', BASISHUB_ACTOR: 'coordinator', ...opts.env };
  const done = main(args, { stdin, stdout, stderr, env });
  if (opts.keys) void typeKeys(stdin as Keyboard, stderr, opts.keys);
  const code = await done;
  if (opts.keys) stdin.end();
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Types each key once the prompt has drawn something new on stderr. */
async function typeKeys(kb: Keyboard, screen: Capture, keys: string[]): Promise<void> {
  let seen = 0;
  for (const key of keys) {
    for (let i = 0; i < 200 && screen.text.length === seen; i++) await new Promise((r) => setTimeout(r, 5));
    seen = screen.text.length;
    await new Promise((r) => setTimeout(r, 10));
    kb.write(key);
  }
}
