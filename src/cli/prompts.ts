/**
 * The Prompter of src/app/context.ts, on @inquirer/prompts. Prompts draw on stderr so that stdout
 * keeps only results (the README, "Libraries, and why"). Ctrl-C during a prompt cancels, changing nothing.
 * The prompt library is loaded on first use: cron never pays for it.
 */
const inquirer = () => import('@inquirer/prompts');
import { Cancelled } from '../errors.js';
import type { Prompter } from '../app/context.js';
import { t } from '../i18n/index.js';
import { visibleLine } from './output.js';

/** How many letters the account picker needs before it searches. */
const MIN_SEARCH = 2;

/** Ctrl-C (or a closed terminal) at a prompt: nothing was changed, exit 130. */
function cancelled(err: unknown): never {
  if ((err as Error)?.name === 'ExitPromptError' || (err as Error)?.name === 'AbortPromptError') throw new Cancelled(true);
  throw err;
}

export function terminalPrompter(io: { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream } = {}): Prompter {
  // clearPromptOnDone: an answered, refused or interrupted prompt leaves no half-typed line behind.
  const context = { input: io.input ?? process.stdin, output: io.output ?? process.stderr, clearPromptOnDone: true };
  return {
    async confirm(message, defaultValue = false) {
      const { confirm } = await inquirer();
      return confirm({ message: visibleLine(message), default: defaultValue }, context).catch(cancelled);
    },
    async input(message, opts = {}) {
      const { input } = await inquirer();
      const validate =
        opts.validate &&
        ((v: string) => {
          const r = opts.validate!(v);
          return r === true ? true : visibleLine(r);
        });
      return input({ message: visibleLine(message), default: opts.default, validate }, context).catch(cancelled);
    },
    async search(message, find) {
      const { search, Separator } = await inquirer();
      const hint = new Separator(t.typeMore({ n: MIN_SEARCH }));
      return search(
        {
          message: visibleLine(message),
          // Names and emails come from exports: shown with their control characters escaped.
          source: async (term: string | undefined) =>
            term === undefined || term.trim().length < MIN_SEARCH
              ? [hint]
              : (await find(term.trim())).map((c) => ({
                  ...c,
                  name: visibleLine(c.name),
                  description: c.description === undefined ? undefined : visibleLine(c.description),
                  disabled: c.disabled === undefined ? undefined : visibleLine(c.disabled),
                })),
          pageSize: 10,
        },
        context,
      ).catch(cancelled);
    },
  };
}
