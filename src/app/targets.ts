/**
 * Managing target systems: `targets add|list|show|edit|remove` (R15–R17). A SCIM target names the
 * environment variable that holds its token; the token itself is read at publish time and never stored.
 */
import path from 'node:path';
import { usageError } from '../errors.js';
import type { PublishRun } from '../store/targets.js';
import { urlProblem } from '../targets/http.js';
import { TARGET_KINDS, type TargetConfig, type TargetKind, type TargetSettings } from '../targets/types.js';
import type { AppContext } from './context.js';
import { recordChange } from './trail.js';
import { planTarget } from './publish.js';
import { detail } from '../engine/describe.js';
import { t as tr } from '../i18n/index.js';
import { getTarget, targetStore } from './target-lookup.js';

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

function kindOf(value: string): TargetKind {
  const v = value.trim().toLowerCase();
  const hit = TARGET_KINDS.find((k) => k === v);
  if (hit === undefined) throw usageError(tr.notOneOf({ what: 'kind', value, allowed: TARGET_KINDS.join(', ') }));
  return hit;
}

/** The settings after `input`, checked for the kind. */
function apply(kind: TargetKind, base: TargetSettings, input: TargetInput): TargetSettings {
  const s: TargetSettings = { ...base };
  const scim = kind === 'scim';
  if (scim && input.output !== undefined) throw usageError(tr.targetScimNoOutput());
  if (!scim && (input.url !== undefined || input.tokenEnv !== undefined || input.groups !== undefined)) {
    throw usageError(tr.targetFilesNoUrl({ kind, zip: kind === 'oneroster-1.1' }));
  }
  if (input.url !== undefined) {
    const problem = urlProblem(input.url);
    if (problem !== null) throw usageError(`--url: ${problem}.`);
    s.url = input.url.replace(/\/+$/, '');
  }
  if (input.tokenEnv !== undefined) {
    if (!ENV_NAME.test(input.tokenEnv)) throw usageError(tr.targetTokenEnvName({ value: input.tokenEnv }), tr.targetTokenEnvHint());
    s.tokenEnv = input.tokenEnv;
  }
  if (input.groups !== undefined) s.groups = input.groups;
  if (input.concurrency !== undefined) s.concurrency = input.concurrency;
  if (input.timeout !== undefined) s.timeout = input.timeout;
  if (input.output !== undefined) {
    if (input.output.trim() === '') throw usageError(tr.outputNeedsPath());
    if (/\.zip$/i.test(input.output) && kind !== 'oneroster-1.1') throw usageError(tr.targetZipOnly({ kind }));
    s.output = path.resolve(input.output); // stored absolute: cron runs from another working folder
  }
  if (scim && (s.url === undefined || s.tokenEnv === undefined)) throw usageError(tr.targetScimNeeds());
  if (!scim && s.output === undefined) throw usageError(tr.targetFilesNeed({ kind, zip: kind === 'oneroster-1.1' }));
  return s;
}

export function addTarget(
  ctx: AppContext,
  name: string,
  input: TargetInput,
  env: NodeJS.ProcessEnv = process.env,
): { target: TargetConfig; warnings: string[] } {
  if (!NAME.test(name)) throw usageError(tr.targetNameBad({ name }), tr.targetNameBadHint());
  const ts = targetStore(ctx);
  if (ts.target(name) !== undefined) throw usageError(tr.targetExists({ name }), tr.targetExistsHint({ name }));
  if (input.kind === undefined) throw usageError(tr.targetNeedsKind());
  const kind = kindOf(input.kind);
  const now = ctx.clock.now();
  const target: TargetConfig = { name, kind, settings: apply(kind, {}, input), createdAt: now, updatedAt: now };
  const warnings: string[] = [];
  if (kind === 'scim' && !env[target.settings.tokenEnv!]) {
    warnings.push(tr.targetTokenUnsetWarning({ env: target.settings.tokenEnv ?? '' }));
  }
  ctx.store.transaction(() => {
    ts.save(target);
    recordChange(ctx, {
      at: now,
      action: 'target.add',
      detail:
        target.kind === 'scim'
          ? detail('targetAddedAt', { target: name, kind, url: target.settings.url ?? '' })
          : detail('targetAddedWrites', { target: name, kind, output: target.settings.output ?? '' }),
      after: target,
    });
  });
  return { target, warnings };
}

export function where(t: TargetConfig): string {
  return t.kind === 'scim' ? `at ${t.settings.url}` : `writes ${t.settings.output}`;
}

export function editTarget(ctx: AppContext, name: string, input: TargetInput): { target: TargetConfig; forgotten: boolean } {
  const before = getTarget(ctx, name);
  if (input.kind !== undefined && kindOf(input.kind) !== before.kind) throw usageError(tr.targetKindFixed({ name }));
  const after: TargetConfig = { ...before, settings: apply(before.kind, before.settings, input), updatedAt: ctx.clock.now() };
  // Another service or another place holds none of what the old one acknowledged: send everything again
  // (a SCIM service that does hold the accounts is matched by externalId, so nothing is duplicated).
  const forgotten = after.settings.url !== before.settings.url || after.settings.output !== before.settings.output;
  const ts = targetStore(ctx);
  ctx.store.transaction(() => {
    ts.save(after);
    if (forgotten) ts.forget(name);
    recordChange(ctx, {
      at: after.updatedAt,
      action: 'target.edit',
      detail: detail(forgotten ? 'targetEditedForgotten' : 'targetEdited', { target: name }),
      before,
      after,
    });
  });
  return { target: after, forgotten };
}

export function removeTarget(ctx: AppContext, name: string): void {
  const t = getTarget(ctx, name);
  const now = ctx.clock.now();
  ctx.store.transaction(() => {
    targetStore(ctx).remove(name);
    recordChange(ctx, { at: now, action: 'target.remove', detail: detail('targetRemoved', { target: name, kind: t.kind }), before: t });
  });
}

export interface TargetListed {
  target: TargetConfig;
  acknowledged: { active: number; inactive: number; lastAck: string | null };
  lastPublish: PublishRun | null;
}

/** `targets list`: every target with what it last acknowledged and its last publish. */
export function listTargets(ctx: AppContext): TargetListed[] {
  const ts = targetStore(ctx);
  return ts.targets().map((target) => ({ target, acknowledged: ts.stateSummary(target.name), lastPublish: ts.lastRun(target.name) ?? null }));
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
