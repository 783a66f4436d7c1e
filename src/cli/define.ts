/**
 * How a command is declared: what every command module imports (never program.ts, which imports the
 * command modules): the wrapper of an action, and the parsers of the options that many commands share.
 */
import { InvalidArgumentError, type CommandUnknownOpts } from './commander.js';
import { usageError } from '../errors.js';
import { t } from '../i18n/index.js';
import type { Runtime } from './runtime.js';

/** A command to add commands to: the program, or a group such as `exceptions`. */
export type Parent = CommandUnknownOpts;

/** Every element of a tuple but the last. */
type AllButLast<T extends unknown[]> = T extends [...infer I, unknown] ? I : never;

/**
 * Wraps a command's action: global options first, then the action; its errors reach main(). Given to
 * `.action()`, it takes the types of what commander passes (the arguments, then the options, each typed
 * from its declaration), and hands the action all of it but the command object.
 */
export function act<A extends unknown[]>(rt: Runtime, fn: (...args: AllButLast<A>) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args) => {
    rt.configure(args[args.length - 1] as CommandUnknownOpts);
    await rt.load();
    await fn(...(args.slice(0, -1) as AllButLast<A>));
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
export function exclusive<C extends CommandUnknownOpts>(cmd: C, flags: string[]): C {
  const seen = new Set<string>();
  for (const f of flags) cmd.on(`option:${f}`, () => seen.add(`--${f}`));
  return cmd.hook('preAction', () => {
    if (seen.size > 1) throw usageError(t.contradict({ flags: [...seen] }), t.passOne());
  });
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--output -`: the command writes to stdout instead of a file. */
export function isStdout(file: string): boolean {
  return file === '-';
}
