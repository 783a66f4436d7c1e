/**
 * One command line, parsed and run, and whatever went wrong mapped to an exit code: the CLI behind
 * main() (src/cli/main.ts), which loads it for every command line but `--version`.
 */
import { CommanderError } from './commander.js';
import { BasishubError } from '../errors.js';
import { buildProgram } from './program.js';
import { Runtime, type IO } from './runtime.js';
import { loadColour } from './output.js';
import { chooseLanguage, langArgument, setLanguage, t } from '../i18n/index.js';

export async function run(argv: string[], io: IO): Promise<number> {
  await loadColour([io.stdout, io.stderr]);
  // The language first: the command tree's help and every message below are written in it.
  const choice = chooseLanguage(langArgument(argv), io.env);
  const json = argv.includes('--json');
  // --json is for scripts: its documents (warnings and the error's message included) are English in every language.
  setLanguage(json ? 'en' : choice.lang);
  const rt = new Runtime(io, json);
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
      if (err.code === 'commander.help' && json) return rt.out.fail(new BasishubError('USAGE', t.jsonNeedsCommand(), { hint: t.noCommandHint() }));
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
