/**
 * The rules that decide what happens to an account the hub holds, one function each, named after its
 * rule (docs/rules.md): what its sources say now is read first (evaluate.ts), then `applyRules` asks
 * them in turn. Every change names the person as the account was before this run (`say`).
 */
import { dutchDay } from '../dutch.js';
import { detail } from './describe.js';
import { accountState, attributeDiff, describeDiff, mergeAttributes, sameState, stateOf } from './attributes.js';
import type { PlanContext } from './create.js';
import type { AccountFacts, DetailMaker } from './evaluate.js';
import { addDays } from './offer.js';
import type { AccountPlan, AccountState, Change } from './types.js';

type Outcome = Pick<AccountPlan, 'after' | 'unlist' | 'changes'>;

export function applyRules(ctx: PlanContext, f: AccountFacts, say: DetailMaker): Outcome {
  const out: Outcome = { after: null, unlist: false, changes: [] };
  const lapse = lapsedEntry(ctx, f, say);
  if (lapse !== null) {
    out.unlist = true;
    out.changes.push(lapse);
  }
  // Lapsed list entries leave the list before deletions are decided.
  const listed = f.entry !== undefined && lapse === null;
  const current = stateOf(f.account);
  if (f.offered.length > 0) {
    const merged = mergeAttributes(f.offered, current);
    const next = accountState(f.keepAddress === true ? { ...merged, email: current.email } : merged, 'active', 'source', null);
    if (f.account.status === 'deleted') out.changes.push(r14Revive(f, say));
    else out.changes.push(...r5Return(f, listed, say), ...r12Matched(f, say));
    const update = r11Update(f, current, next, say);
    if (update !== null) out.changes.push(update);
    if (!sameState(current, next)) out.after = next;
  } else if (f.account.status === 'active') {
    if (listed) r4Protect(ctx, f, current, say, out);
    else if (f.links.length > 0) r1Unoffered(ctx, f, current, say, out);
  }
  return out;
}

/** An entry on the list whose end date (`until`) has passed leaves the list. */
export function lapsedEntry(ctx: PlanContext, f: AccountFacts, say: DetailMaker): Change | null {
  const e = f.entry;
  if (e === undefined || e.until === null || e.until >= ctx.today) return null;
  return {
    action: 'lapse',
    accountKey: f.accountId,
    source: null,
    externalId: null,
    detail: say('other', detail('lapse', { until: e.until, reason: e.reason })),
    before: { reason: e.reason, until: e.until },
  };
}

/** R14 Revive: a deleted account that a source offers again comes back, owned by it, not listed. */
export function r14Revive(f: AccountFacts, say: DetailMaker): Change {
  const first = f.offered[0];
  return {
    action: 'revive',
    accountKey: f.accountId,
    source: first.source.name,
    externalId: first.record.externalId,
    detail: say('other', detail('revive', { sources: f.offered.map((o) => o.source.name).join(', '), at: f.account.deletedAt ?? '' })),
    before: { status: 'deleted' },
    after: { status: 'active', owner: 'source' },
  };
}

/** R5 Return: a source offers the account again through its earlier link; the source owns it again. */
export function r5Return(f: AccountFacts, listed: boolean, say: DetailMaker): Change[] {
  return f.returned.map(({ link, src }) => ({
    action: 'relink',
    accountKey: f.accountId,
    source: src.name,
    externalId: link.externalId,
    detail: say(
      'other',
      f.account.owner === 'hub'
        ? detail(listed ? 'relinkListed' : 'relinkOwned', { source: src.name })
        : detail('relinkActive', { source: src.name, ref: `${src.name}:${link.externalId}` }),
    ),
  }));
}

/** R12 Matching: a record matched to the account by its source's match key links it to that source. */
export function r12Matched(f: AccountFacts, say: DetailMaker): Change[] {
  return f.matched.map(({ source, record }) => ({
    action: 'relink',
    accountKey: f.accountId,
    source: source.name,
    externalId: record.externalId,
    detail: say('other', detail(f.account.owner === 'hub' ? 'linkedOwned' : 'linked', { ref: `${source.name}:${record.externalId}`, field: source.match })),
  }));
}

/**
 * R11 Several sources: the attributes merged by priority, relations that moved, links that ended; an
 * update of an active account where any of them changed.
 */
export function r11Update(f: AccountFacts, current: AccountState, next: AccountState, say: DetailMaker): Change | null {
  const diff = attributeDiff(current, next);
  if ((diff === null && f.moved.length === 0 && f.ended.length === 0) || f.account.status !== 'active') return null;
  const first = f.offered[0];
  const parts = [...(diff === null ? [] : [describeDiff(diff)]), ...f.moved, ...f.ended.map((l) => detail('noLongerOffered', { ref: l }))];
  return {
    action: 'update',
    accountKey: f.accountId,
    source: first.source.name,
    externalId: first.record.externalId,
    detail: say('update', parts.join('; ')),
    before: diff?.before,
    after: diff?.after,
  };
}

/** R4 Protection: no source offers a listed account; it stays, and the hub owns it. */
export function r4Protect(ctx: PlanContext, f: AccountFacts, current: AccountState, say: DetailMaker, out: Outcome): void {
  const since = f.account.notOfferedSince ?? ctx.now;
  out.changes.push({
    action: 'protect',
    accountKey: f.accountId,
    source: null,
    externalId: null,
    detail: say('other', detail('protect', { since: dutchDay(since), reason: f.entry!.reason })),
  });
  const next = accountState(current, current.status, 'hub', since);
  if (!sameState(current, next)) out.after = next;
}

/**
 * R1, R3: no source offers the account any more, and it is not listed: deleted (soft) once the longest
 * grace period of its sources has passed, else pending until then. A deletion takes it off the list (R7).
 */
export function r1Unoffered(ctx: PlanContext, f: AccountFacts, current: AccountState, say: DetailMaker, out: Outcome): void {
  const since = f.account.notOfferedSince ?? ctx.now;
  const due = graceEnd(f.latestInactive);
  if (due > ctx.today) {
    out.changes.push({
      action: 'pending',
      accountKey: f.accountId,
      source: null,
      externalId: null,
      detail: say('pending', detail('pending', { since: dutchDay(since), due })),
    });
    const next = accountState(current, current.status, current.owner, since);
    if (!sameState(current, next)) out.after = next;
    return;
  }
  out.changes.push({
    action: 'delete',
    accountKey: f.accountId,
    source: null,
    externalId: null,
    detail: say('delete', detail('delete', { refs: f.links.map((l) => `${l.source}:${l.externalId}`).join(', ') })),
    before: { status: 'active' },
    after: { status: 'deleted' },
  });
  out.after = accountState(current, 'deleted', current.owner, since);
  if (f.entry !== undefined) out.unlist = true;
}

/** The day the last grace period ends: the latest of each unoffered link's day plus its source's grace. */
export function graceEnd(inactive: readonly { since: string; grace: number }[]): string {
  let due = '';
  for (const l of inactive) {
    const d = addDays(dutchDay(l.since), l.grace);
    if (d > due) due = d;
  }
  return due;
}
