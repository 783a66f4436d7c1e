import { BasishubError } from '../errors.js';
import type { AppContext } from './context.js';

/**
 * Asks the person to confirm where there is one (a TTY without --no-input or --json) and --yes was not
 * given. Without a person, `required` decides: true refuses (the rule demands an explicit flag), false
 * goes ahead after the warning that the caller printed.
 */
export async function confirmOrRefuse(
  ctx: AppContext,
  question: string,
  opts: { required: boolean; flag: string; refusal: string },
): Promise<void> {
  if (ctx.yes) return;
  if (ctx.prompt !== undefined) {
    if (await ctx.prompt.confirm(question, false)) return;
    throw new BasishubError('USAGE', 'Cancelled; nothing was changed.');
  }
  if (opts.required) throw new BasishubError('USAGE', opts.refusal, { hint: `Pass ${opts.flag} to do it anyway.` });
}
