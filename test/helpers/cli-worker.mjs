/**
 * The thread that runs the CLI in-process for the tests' `Hub.run` (see hub.ts, `InProcessCli`).
 *
 * It loads the built CLI (dist/, the code bin/basishub.js runs) once and then runs one command per
 * message: `main(argv, io)` with captured stdout and stderr, the given stdin text and environment, no
 * TTY. When a run ends it posts {code, stdout, stderr} and wakes the test thread, which waits with
 * Atomics.wait, so that `Hub.run` stays synchronous as it was when it spawned a process.
 */
import { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { workerData } from 'node:worker_threads';

const { port, flag, mainPath } = workerData;
const { main } = await import(pathToFileURL(mainPath).href);

class Capture extends Writable {
  chunks = [];
  _write(chunk, encoding, done) {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk);
    done();
  }
  get text() {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

let current;

function finish(result) {
  if (current === undefined) return;
  current = undefined;
  port.postMessage(result);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

/** What would end the real process with a stack trace ends the run with exit 1 and the trace on stderr. */
function crash(err) {
  const run = current;
  if (run === undefined) throw err;
  finish({ code: 1, stdout: run.stdout.text, stderr: `${run.stderr.text}${err?.stack ?? String(err)}\n`, crashed: true });
}
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

port.on('message', async ({ argv, env, input }) => {
  const run = { stdout: new Capture(), stderr: new Capture() };
  current = run;
  const stdin = Readable.from(input ? [Buffer.from(input, 'utf8')] : []);
  try {
    const code = await main(argv, { stdin, stdout: run.stdout, stderr: run.stderr, env });
    if (current === run) finish({ code, stdout: run.stdout.text, stderr: run.stderr.text });
  } catch (err) {
    if (current === run) crash(err);
  }
});
