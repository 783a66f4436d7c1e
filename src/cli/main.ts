/**
 * The entry point: parse, run one command, map whatever went wrong to an exit code.
 */
import { CommanderError } from 'commander';
import { BasishubError } from '../errors.js';
import { hubFailure } from '../store/failures.js';
import { tuneHeap } from '../heap.js';
import { buildProgram } from './program.js';
import { Runtime, type IO } from './runtime.js';
import { chooseLanguage, langArgument, setLanguage, t } from '../i18n/index.js';

tuneHeap();

/**
 * A reader that has read enough (`basishub audit | head`) closes the pipe. Stop quietly, as other
 * command-line tools do, rather than die with a stack trace; any change was committed before output.
 */
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

export async function main(argv: string[], io: IO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  // The language first: the command tree's help and every message below are written in it.
  const choice = chooseLanguage(langArgument(argv), io.env);
  setLanguage(choice.lang);
  const rt = new Runtime(io, argv.includes('--json'));
  if (choice.invalid !== undefined) {
    const code = rt.out.fail(new BasishubError('USAGE', t.badLang({ value: choice.invalid }), { hint: t.badLangHint() }));
    rt.close();
    return code;
  }
  const program = buildProgram(rt);
  try {
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
    // A full disk, a read-only location, a malformed page: facts about the machine, not bugs.
    return rt.out.fail(hubFailure(err, rt.dbPath) ?? err);
  } finally {
    rt.close();
  }
}
