/**
 * The entry point: parse, run one command, map whatever went wrong to an exit code (src/cli/run.ts).
 *
 * `main(argv, io)` reads everything from its IO (streams, TTY, environment) and touches nothing of the
 * process, so the tests run it in-process; `runProcess()` is the real binary's start, the one place that
 * tunes the heap, handles a closed stdout and sets the exit status. Importing this module does nothing.
 *
 * This module imports next to nothing, so that `basishub --version` answers at once, as small tools
 * do; every other command line loads the CLI (run.ts) first.
 */
import { createRequire } from 'node:module';
import { heapTunedFor, tuneHeap } from '../heap.js';
import { VERSION } from '../version.js';
import { plainWriter } from './stdio.js';
import type { IO } from './runtime.js';

/**
 * The process's own streams and environment. stdin is opened on first use, by a prompt: making
 * `process.stdin` loads Node's stream modules for it (a tenth of a short command's start), and whether it
 * is a terminal is known without it.
 */
export function processIO(): IO {
  return {
    get stdin() {
      return process.stdin;
    },
    stdinIsTTY: () => (createRequire(import.meta.url)('node:tty') as typeof import('node:tty')).isatty(0),
    // Not a terminal: written directly (src/cli/stdio.ts), of which the CLI uses write and isTTY only.
    stdout: (plainWriter(1, readerGone) as NodeJS.WritableStream | undefined) ?? stdoutStream(),
    stderr: (plainWriter(2, () => undefined) as NodeJS.WritableStream | undefined) ?? process.stderr,
    env: process.env,
  };
}

/**
 * A reader that has read enough (`basishub audit | head`) closes the pipe. Stop quietly, as other
 * command-line tools do, rather than die with a stack trace; any change was committed before output.
 */
function readerGone(): never {
  process.exit(0);
}

let watched = false;

/** Node's stdout (a terminal), stopping quietly when its reader has gone. */
function stdoutStream(): NodeJS.WriteStream {
  if (!watched)
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') readerGone();
      throw err;
    });
  watched = true;
  return process.stdout;
}

/** Runs the CLI as the process bin/basishub.js is: its arguments, streams and exit status. */
export async function runProcess(): Promise<void> {
  if (heapTunedFor(process.argv.slice(2))) tuneHeap();
  process.exitCode = await main(process.argv.slice(2), processIO());
}

export async function main(argv: string[], io: IO = processIO()): Promise<number> {
  // What commander prints for `--version` (and -V), without loading it.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const { run } = await import('./run.js');
  return run(argv, io);
}
