/**
 * Managing target systems: `targets add|list|show|edit|remove` (R15–R17). A SCIM target names the
 * environment variable that holds its token; the token itself is read at publish time and never stored.
 */
import path from 'node:path';
import { BasishubError, usageError } from '../errors.js';
import { TargetStore, type PublishRun } from '../store/targets.js';
import { urlProblem } from '../targets/http.js';
import { TARGET_KINDS, type TargetConfig, type TargetKind, type TargetSettings } from '../targets/types.js';
import type { AppContext } from './context.js';
import { recordChange } from './trail.js';
import { planTarget } from './publish.js';

export interface TargetInput {
  kind?: string;
  url?: string;
  tokenEnv?: string;
  groups?: boolean;
  output?: string;
  concurrency?: number;
  timeout?: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function targetStore(ctx: AppContext): TargetStore {
  return new TargetStore(ctx.store);
}

function kindOf(value: string): TargetKind {
  const v = value.trim().toLowerCase();
  const hit = TARGET_KINDS.find((k) => k === v);
  if (hit === undefined) throw usageError(`Kind "${value}" is not one of: ${TARGET_KINDS.join(', ')}.`);
  return hit;
}

/** The settings after `input`, checked for the kind. */
function apply(kind: TargetKind, base: TargetSettings, input: TargetInput): TargetSettings {
  const s: TargetSettings = { ...base };
  const scim = kind === 'scim';
  if (scim && input.output !== undefined) throw usageError('A SCIM target has a --url, not an --output.');
  if (!scim && (input.url !== undefined || input.tokenEnv !== undefined || input.groups !== undefined)) {
    throw usageError(`A ${kind} target writes files: give --output <folder${kind === 'oneroster-1.1' ? ' or .zip' : ''}>, not --url, --token-env or --groups.`);
  }
  if (input.url !== undefined) {
    const problem = urlProblem(input.url);
    if (problem !== null) throw usageError(`--url: ${problem}.`);
    s.url = input.url.replace(/\/+$/, '');
  }
  if (input.tokenEnv !== undefined) {
    if (!ENV_NAME.test(input.tokenEnv)) throw usageError(`--token-env takes the name of an environment variable (such as SCIM_TOKEN), not "${input.tokenEnv}".`, 'The token itself is never stored: basishub reads it from that variable when it publishes.');
    s.tokenEnv = input.tokenEnv;
  }
  if (input.groups !== undefined) s.groups = input.groups;
  if (input.concurrency !== undefined) s.concurrency = input.concurrency;
  if (input.timeout !== undefined) s.timeout = input.timeout;
  if (input.output !== undefined) {
    if (input.output.trim() === '') throw usageError('--output needs a path.');
    if (/\.zip$/i.test(input.output) && kind !== 'oneroster-1.1') throw usageError(`A ${kind} target writes a folder; only oneroster-1.1 can write a .zip.`);
    s.output = path.resolve(input.output); // stored absolute: cron runs from another working folder
  }
  if (scim && (s.url === undefined || s.tokenEnv === undefined)) throw usageError('A SCIM target needs --url <base-url> and --token-env <VAR>.');
  if (!scim && s.output === undefined) throw usageError(`A ${kind} target needs --output <folder${kind === 'oneroster-1.1' ? ' or .zip' : ''}>.`);
  return s;
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

export function addTarget(ctx: AppContext, name: string, input: TargetInput, env: NodeJS.ProcessEnv = process.env): { target: TargetConfig; warnings: string[] } {
  if (!NAME.test(name)) throw usageError(`"${name}" cannot be a target name.`, 'Use letters, digits, dot, dash or underscore.');
  const ts = targetStore(ctx);
  if (ts.target(name) !== undefined) throw usageError(`A target named "${name}" exists already.`, `Change it with \`basishub targets edit ${name} …\`.`);
  if (input.kind === undefined) throw usageError('targets add needs --kind scim|sds-v2.1|oneroster-1.1|csv.');
  const kind = kindOf(input.kind);
  const now = ctx.clock.now();
  const target: TargetConfig = { name, kind, settings: apply(kind, {}, input), createdAt: now, updatedAt: now };
  const warnings: string[] = [];
  if (kind === 'scim' && !env[target.settings.tokenEnv!]) {
    warnings.push(`The environment variable ${target.settings.tokenEnv} is not set here; set it wherever \`basishub publish\` runs (cron too).`);
  }
  ctx.store.transaction(() => {
    ts.save(target);
    recordChange(ctx, { at: now, action: 'target.add', detail: `target ${name} (${kind}) ${where(target)}`, after: target });
  });
  return { target, warnings };
}

export function where(t: TargetConfig): string {
  return t.kind === 'scim' ? `at ${t.settings.url}` : `writes ${t.settings.output}`;
}

export function editTarget(ctx: AppContext, name: string, input: TargetInput): { target: TargetConfig; forgotten: boolean } {
  const before = getTarget(ctx, name);
  if (input.kind !== undefined && kindOf(input.kind) !== before.kind) throw usageError(`The kind of a target cannot change; remove ${name} and add it again.`);
  const after: TargetConfig = { ...before, settings: apply(before.kind, before.settings, input), updatedAt: ctx.clock.now() };
  // Another service or another place holds none of what the old one acknowledged: send everything again
  // (a SCIM service that does hold the accounts is matched by externalId, so nothing is duplicated).
  const forgotten = after.settings.url !== before.settings.url || after.settings.output !== before.settings.output;
  const ts = targetStore(ctx);
  ctx.store.transaction(() => {
    ts.save(after);
    if (forgotten) ts.forget(name);
    recordChange(ctx, { at: after.updatedAt, action: 'target.edit', detail: `target ${name} changed${forgotten ? '; what it acknowledged is forgotten' : ''}`, before, after });
  });
  return { target: after, forgotten };
}

export function removeTarget(ctx: AppContext, name: string): void {
  const t = getTarget(ctx, name);
  const now = ctx.clock.now();
  ctx.store.transaction(() => {
    targetStore(ctx).remove(name);
    recordChange(ctx, { at: now, action: 'target.remove', detail: `target ${name} (${t.kind}) removed; the accounts in it were left as they are`, before: t });
  });
}

export interface TargetShow {
  target: TargetConfig;
  acknowledged: { active: number; inactive: number; lastAck: string | null };
  lastPublish: PublishRun | null;
  lastCompleted: PublishRun | null;
  pending: { created: number; updated: number; deactivated: number; reactivated: number; deleted: number; unchanged: number };
  tokenSet: boolean | null;
}

/** `targets show`: the settings, what the target last acknowledged and when, and what is pending. */
export function showTarget(ctx: AppContext, name: string, env: NodeJS.ProcessEnv = process.env): TargetShow {
  const target = getTarget(ctx, name);
  const ts = targetStore(ctx);
  const { plan } = planTarget(ctx, target);
  const { failed: _failed, ...pending } = plan.counts;
  return {
    target,
    acknowledged: ts.stateSummary(name),
    lastPublish: ts.lastRun(name) ?? null,
    lastCompleted: ts.lastCompletedRun(name) ?? null,
    pending,
    tokenSet: target.kind === 'scim' ? env[target.settings.tokenEnv!] !== undefined && env[target.settings.tokenEnv!] !== '' : null,
  };
}
