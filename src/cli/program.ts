/**
 * The command tree: the global options of the contract, and one register function per command group.
 * This file is the only registry; each group lives in src/cli/commands/.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Runtime } from './runtime.js';
import { usageError } from '../errors.js';
import { registerInit } from './commands/init.js';
import { registerSources } from './commands/sources.js';
import { registerSync } from './commands/sync.js';
import { registerUsers } from './commands/users.js';
import { registerExceptions } from './commands/exceptions.js';
import { registerAudit } from './commands/audit.js';
import { registerDemo } from './commands/demo.js';
import { registerBackup, registerConfig } from './commands/backup.js';
import { registerTargets } from './commands/targets.js';
import { registerPublish } from './commands/publish.js';
import { registerCheck } from './commands/check.js';
import { VERSION } from '../version.js';
import { findCommand, finishHelp } from './help.js';
import { SHELLS, completionScript, type Shell } from './completion.js';
import { t } from '../i18n/index.js';

/** Wraps a command's action: global options first, then the action; its errors reach main(). */
export function act<A extends unknown[]>(rt: Runtime, fn: (...args: A) => Promise<void> | void) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    rt.configure(cmd);
    await fn(...(args.slice(0, -1) as A));
  };
}

/** The largest whole number an option takes: SQLite's and JavaScript's integers both hold it exactly. */
export const INT_MAX = 2_147_483_647;
/** Days reach at most a century: a date computed from them stays a date. */
export const DAYS_MAX = 36_500;

/** A whole-number option between `min` and `max`; anything else (99999999999999999999, 1e3, 2.5) is a usage error. */
export function intArg(name: string, min = 0, max = INT_MAX) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(t.wholeNumber({ flag: name, min, max }));
    }
    return n;
  };
}

/**
 * Flags that contradict each other (`--until 2027-08-01 --no-until`) are a usage error, not "the last
 * one wins". Works for a flag and its --no- form, which commander keeps in one value.
 */
export function exclusive(cmd: Command, flags: string[]): Command {
  const seen = new Set<string>();
  for (const f of flags) cmd.on(`option:${f}`, () => seen.add(`--${f}`));
  return cmd.hook('preAction', () => {
    if (seen.size > 1) throw usageError(t.contradict({ flags: [...seen] }), t.passOne());
  });
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function buildProgram(rt: Runtime): Command {
  const program = new Command('basishub');
  program
    .description(t.programDescription())
    .version(VERSION, '-V, --version', t.versionOption())
    .exitOverride()
    .configureOutput({
      writeOut: (s) => rt.io.stdout.write(s),
      // Help is a result, asked for or not (`basishub`, `basishub sources`): on stdout, so that
      // `basishub | less` shows it. Errors do not come this way (outputError, below).
      writeErr: (s) => rt.io.stdout.write(s),
      outputError: () => {}, // main() renders usage errors, as text or JSON.
    })
    .showSuggestionAfterError(true)
    .helpCommand(false)
    .option('--db <path>', t.optDb())
    .option('--json', t.optJson())
    .option('--actor <name>', t.optActor())
    .option('--no-input', t.optNoInput())
    .option('-y, --yes', t.optYes())
    .addOption(new Option('--no-color', t.optNoColor()))
    // Read by main() before parsing (the help must be in the language); declared here so that commander accepts it.
    .addOption(new Option('--lang <nl|en>', t.optLang()));

  registerInit(program, rt);
  registerSources(program, rt);
  registerSync(program, rt);
  registerExceptions(program, rt);
  registerUsers(program, rt);
  registerAudit(program, rt);
  registerDemo(program, rt);
  registerTargets(program, rt);
  registerPublish(program, rt);
  registerBackup(program, rt);
  registerConfig(program, rt);
  registerCheck(program, rt);
  registerCompletion(program, rt);
  registerHelp(program);
  finishHelp(program);
  return program;
}

/** `basishub help [command…]`: the help of any command, `help exceptions add` included, on stdout. */
function registerHelp(program: Command): void {
  program
    .command('help [command...]')
    .description(t.cmdHelp())
    .action((words: string[]) => {
      const cmd = findCommand(program, words ?? []);
      if (cmd === undefined) throw usageError(t.noCommand({ words: words.join(' ') }), t.noCommandHint());
      cmd.outputHelp();
    });
}

function registerCompletion(program: Command, rt: Runtime): void {
  program
    .command('completion <shell>')
    .description(t.cmdCompletion())
    .action((shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell)) throw usageError(t.noCompletion({ shell }), t.passOneOf({ values: SHELLS.join(', ') }));
      rt.io.stdout.write(completionScript(program, shell as Shell));
    });
}
