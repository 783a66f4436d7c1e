/**
 * Finding a registered target by name: shared by managing targets (targets.ts) and publishing to them
 * (publish.ts), which import this module rather than each other.
 */
import { BasishubError } from '../errors.js';
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
    throw new BasishubError('NOT_FOUND', `No target named "${name}".`, {
      hint: names.length ? `The targets are: ${names.join(', ')}.` : 'Add one with `basishub targets add <name> --kind scim|sds-v2.1|oneroster-1.1|csv …`.',
    });
  }
  return t;
}
