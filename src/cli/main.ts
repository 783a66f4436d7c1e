/**
 * The entry point: parse, run one command, map whatever went wrong to an exit code.
 *
 * `main(argv, io)` reads everything from its IO (streams, TTY, environment) and touches nothing of the
 * process, so the tests run it in-process; `runProcess()` is the real binary's start, the one place that
 * tunes the heap, handles a closed stdout and sets the exit status. Importing this module does nothing.
 */
import { CommanderError } from '@commander-js/extra-typings';
import { BasishubError } from '../errors.js';
import { tuneHeap } from '../heap.js';
import { buildProgram } from './program.js';
import { Runtime, type IO } from './runtime.js';
import { loadColour } from './output.js';
import { chooseLanguage, langArgument, setLanguage, t } from '../i18n/index.js';

/** The process's own streams and environment. */
export function processIO(): IO {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** Runs the CLI as the process bin/basishub.js is: its arguments, streams and exit status. */
export async function runProcess(): Promise<void> {
  tuneHeap();
  /**
   * A reader that has read enough (`basishub audit | head`) closes the pipe. Stop quietly, as other
   * command-line tools do, rather than die with a stack trace; any change was committed before output.
   */
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  process.exitCode = await main(process.argv.slice(2), processIO());
}

export async function main(argv: string[], io: IO = processIO()): Promise<number> {
  await loadColour([io.stdout, io.stderr]);
  // The language first: the command tree's help and every message below are written in it.
  const choice = chooseLanguage(langArgument(argv), io.env);
  setLanguage(choice.lang);
  const rt = new Runtime(io, argv.includes('--json'));
  if (choice.invalid !== undefined) {
    const code = rt.out.fail(new BasishubError('USAGE', t.badLang({ value: choice.invalid }), { hint: t.badLangHint() }));
    rt.close();
    return code;
  }
  try {
    const program = await buildProgram(rt, argv);
    await program.parseAsync(argv, { from: 'user' });
    return rt.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      const message = t.commanderError({ message: err.message.replace(/^error: /, '') });
      return rt.out.fail(new BasishubError('USAGE', message.charAt(0).toUpperCase() + message.slice(1), { hint: t.usageHint() }));
    }
    if ((err as { code?: string })?.code === 'SQLITE_BUSY') {
      // Waited (busy_timeout) for a running sync's transaction and it did not end in time.
      return rt.out.fail(new BasishubError('SYNC_LOCKED', t.hubBusy(), { hint: t.hubBusyHint() }));
    }
    if (err instanceof BasishubError) return rt.out.fail(err);
    // A full disk, a read-only location, a malformed page: facts about the machine, not bugs.
    const { hubFailure } = await import('../app/context.js');
    return rt.out.fail(hubFailure(err, rt.dbPath) ?? err);
  } finally {
    rt.close();
  }
}
