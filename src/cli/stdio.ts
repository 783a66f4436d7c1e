/**
 * The process's stdout and stderr when they are a pipe, a socket, a file or /dev/null (a script, cron,
 * `| cut`): written with fs.writeSync. Making Node's `process.stdout` or `process.stderr` for those loads
 * the stream modules, 2–4 ms of every command's CPU. A terminal keeps Node's stream (its width, colour,
 * the prompts); so does anything else this cannot tell apart from a terminal.
 */
import fs from 'node:fs';

/** What the CLI uses of an output stream that is not a terminal: write, and isTTY (false). */
export class PlainWriter {
  readonly isTTY = false;
  private gone = false;

  constructor(
    private readonly fd: number,
    private readonly closed: () => void,
  ) {}

  write(chunk: string | Uint8Array): boolean {
    if (!this.gone && !writeAll(this.fd, typeof chunk === 'string' ? Buffer.from(chunk) : chunk)) {
      this.gone = true;
      this.closed();
    }
    return true;
  }
}

/**
 * Where a prompt is shown: the stream given, or Node's stderr in place of a PlainWriter (stdin a terminal,
 * stderr a file: the prompt library needs a whole stream, as before).
 */
export function promptOutput(stream: NodeJS.WritableStream): NodeJS.WritableStream {
  return (stream as unknown) instanceof PlainWriter ? process.stderr : stream;
}

/**
 * A writer for `fd`, or undefined where Node's stream is wanted (a terminal). `closed` runs when the
 * reader has gone (EPIPE: `basishub users list | head`); the rest of the output is dropped.
 */
export function plainWriter(fd: number, closed: () => void): PlainWriter | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.fstatSync(fd);
  } catch {
    return undefined; // closed: Node's stream says so as it always has
  }
  if (!(stat.isFIFO() || stat.isSocket() || stat.isFile() || isDevNull(stat))) return undefined;
  return new PlainWriter(fd, closed);
}

/** /dev/null, a character device like a terminal, told apart by being the same file. */
function isDevNull(stat: fs.Stats): boolean {
  if (!stat.isCharacterDevice()) return false;
  try {
    const nul = fs.statSync('/dev/null');
    return nul.rdev === stat.rdev && nul.ino === stat.ino && nul.dev === stat.dev;
  } catch {
    return false;
  }
}

/** Writes all of `data`; false when the reader has closed the pipe. A pipe that is full is waited for. */
function writeAll(fd: number, data: Uint8Array): boolean {
  for (let at = 0; at < data.length;) {
    try {
      at += fs.writeSync(fd, data, at, data.length - at);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return false;
      if (code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1); // a non-blocking pipe, full: 1 ms
    }
  }
  return true;
}
