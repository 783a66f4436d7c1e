/**
 * Finding a registered target by name: shared by managing targets (targets.ts) and publishing to them
 * (publish.ts), which import this module rather than each other.
 */
import { BasishubError } from '../errors.js';
import { t as tr } from '../i18n/index.js';
import { TargetStore } from '../store/targets.js';
import type { TargetConfig } from '../targets/types.js';
import type { AppContext } from './context.js';

export function targetStore(ctx: AppContext): TargetStore {
  return new TargetStore(ctx.store);
}

export function getTarget(ctx: AppContext, name: string): TargetConfig {
  const ts = targetStore(ctx);
  const t = ts.target(name);
  if (t === undefined) {
    const names = ts.targets().map((x) => x.name);
    throw new BasishubError('NOT_FOUND', tr.noTarget({ name }), {
      hint: names.length ? tr.theTargetsAre({ names: names.join(', ') }) : tr.addTargetHint(),
    });
  }
  return t;
}
