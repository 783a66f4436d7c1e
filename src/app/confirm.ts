import { BasishubError, Cancelled } from '../errors.js';
import type { AppContext } from './context.js';
import { t } from '../i18n/index.js';

/**
 * The one confirmation policy, for every command that warns of a loss: --yes (or the command's own
 * flag, `bypass`) goes ahead; a person at a terminal is asked, and "no" changes nothing (exit 0);
 * without a terminal the command is refused, naming the flag that does it anyway. The caller prints
 * its warning first.
 */
export async function confirmOrRefuse(ctx: AppContext, question: string, opts: { flag: string; refusal: string; bypass?: boolean }): Promise<void> {
  if (ctx.yes || opts.bypass) return;
  if (ctx.prompt !== undefined) {
    if (await ctx.prompt.confirm(question, false)) return;
    throw new Cancelled(false);
  }
  throw new BasishubError('USAGE', t.refusedNothingChanged({ refusal: opts.refusal }), {
    hint: t.refusedHint({ flag: opts.flag }),
  });
}
