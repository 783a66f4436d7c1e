/**
 * R14 with R12: a revive never makes a second active holder of an address. An account this run would
 * revive stays deleted, and its record is a conflict (reported every night, nothing revived or linked,
 * its links as they were), while another account holds the address it would come back with: an active
 * account that keeps it through this run, or one that takes it in this run (a new address). Of deleted
 * accounts that would come back with one address in one run, the one deleted first does (then the lower
 * id); the others are conflicts. A new account of this run with the address of an account this run
 * revives is not made: its first record is the conflict (the next sync can match it to the revived account).
 *
 * Asked only where a run revives an account (rare): the planning of other records costs nothing more.
 */
import { displayName } from '../model.js';
import { mergeAttributes } from './attributes.js';
import { readRecord, type PlanContext } from './create.js';
import { detail } from './describe.js';
import { emailKey, type NewAccounts } from './newaccounts.js';
import type { AccountPlan, Change, HubView } from './types.js';

/** What a run's revives leave out: plans not applied, and the conflicts reported instead. */
export interface HeldAddresses {
  dropped: Set<AccountPlan>;
  conflicts: Change[];
}

/** `revives`: the plans of this run that revive an account, in the order of `existing`. */
export function keepOneHolder(
  ctx: PlanContext,
  hub: HubView,
  existing: readonly AccountPlan[],
  revives: readonly AccountPlan[],
  fresh: NewAccounts,
): HeldAddresses {
  const out: HeldAddresses = { dropped: new Set(), conflicts: [] };
  const byAddress = new Map<string, AccountPlan[]>();
  for (const p of revives) {
    const key = emailKey(p.after!.email);
    if (key !== '') byAddress.set(key, [...(byAddress.get(key) ?? []), p]);
  }
  if (byAddress.size === 0) return out;
  const holders = new Holders(ctx, hub, existing);
  const revived = new Map<string, AccountPlan>();
  for (const [key, group] of byAddress) {
    group.sort(deletedFirst);
    const holder = holders.of(key);
    const winner = holder === undefined ? group[0] : undefined;
    if (winner !== undefined) revived.set(key, winner);
    for (const p of group) {
      if (p === winner) continue;
      out.dropped.add(p);
      out.conflicts.push(reviveConflict(p, holder ?? winner!.key, holder !== undefined));
    }
  }
  if (revived.size > 0) withdrawNew(ctx, fresh, revived, out);
  return out;
}

/** The account deleted first comes back (then the lower id). */
function deletedFirst(a: AccountPlan, b: AccountPlan): number {
  const x = a.before!.deletedAt ?? '';
  const y = b.before!.deletedAt ?? '';
  return x < y ? -1 : x > y ? 1 : a.key - b.key;
}

/** The accounts that hold an address after this run, but for the ones it revives. */
class Holders {
  /** By account id: its plan in this run, where it has one. */
  private readonly plans = new Map<number, AccountPlan>();
  /** Active accounts that take an address in this run (a new address from their sources), by that address. */
  private readonly taking = new Map<string, number[]>();

  constructor(
    private readonly ctx: PlanContext,
    private readonly hub: HubView,
    existing: readonly AccountPlan[],
  ) {
    for (const p of existing) {
      this.plans.set(p.key, p);
      const a = p.after;
      if (a === null || a.status !== 'active' || p.before!.status !== 'active') continue;
      const key = emailKey(a.email);
      if (key !== '' && key !== emailKey(p.before!.email)) this.taking.set(key, [...(this.taking.get(key) ?? []), p.key]);
    }
  }

  /** The lowest id of an account that is active with this address after this run, if any. */
  of(key: string): number | undefined {
    const ids = [...(this.taking.get(key) ?? [])];
    if (this.hub.hasCandidates()) {
      // R12's own lookup: every active account with the key (the source only sorts them into open and claimed).
      const found = this.hub.candidates(this.ctx.sources[0].name, 'email', key);
      for (const id of [...found.open, ...found.claimed]) if (this.keeps(id, key)) ids.push(id);
    }
    return ids.length === 0 ? undefined : Math.min(...ids);
  }

  /** Whether an active account keeps this address through this run (not deleted, no new address). */
  private keeps(id: number, key: string): boolean {
    const after = this.plans.get(id)?.after;
    return after == null || (after.status === 'active' && emailKey(after.email) === key);
  }
}

/** The conflict instead of a revive: named by the record that would have revived it. */
function reviveConflict(p: AccountPlan, holder: number, active: boolean): Change {
  const revive = p.changes.find((c) => c.action === 'revive')!;
  const params = {
    name: displayName(p.after!) || `account ${p.key}`,
    ref: `${revive.source}:${revive.externalId}`,
    id: p.key,
    holder,
    email: p.after!.email,
  };
  return {
    action: 'conflict',
    accountKey: null,
    source: revive.source,
    externalId: revive.externalId,
    detail: detail(active ? 'reviveTaken' : 'reviveTakenRevived', params),
  };
}

/** New accounts with the address of an account this run revives are not made: a conflict each. */
function withdrawNew(ctx: PlanContext, fresh: NewAccounts, revived: ReadonlyMap<string, AccountPlan>, out: HeldAddresses): void {
  for (let n = 0; n < fresh.size; n++) {
    const account = fresh.get(n);
    const attrs = mergeAttributes(account.records.map((ref) => readRecord(ctx, ref)));
    const winner = revived.get(emailKey(attrs.email));
    if (winner === undefined) continue;
    fresh.withdraw(n);
    const first = account.records[0];
    const source = ctx.sources[first.source].name;
    out.conflicts.push({
      action: 'conflict',
      accountKey: null,
      source,
      externalId: first.externalId,
      detail: detail('newYieldsToRevive', { name: displayName(attrs), ref: `${source}:${first.externalId}`, email: attrs.email, id: winner.key }),
    });
  }
}
