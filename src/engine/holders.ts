/**
 * R12 with R11 and R14: one active holder per address, whatever the run does. Asked only where a run
 * revives an account or gives an active account a new address (both rare): the planning of other records
 * costs nothing more, and a first sync (which changes no address) nothing at all.
 *
 * - An active account whose sources give it a new address takes it only where no other active account
 *   keeps that address through this run; of several that would take one address, the lowest id does.
 *   The others keep their old address (the rest of their records applies) and each is a conflict naming
 *   the holder, every night until resolved.
 * - An account this run would revive stays deleted, and its record is a conflict (nothing revived or
 *   linked, its links as they were), while another account holds the address it would come back with: an
 *   active account that keeps it through this run, or one that takes it in this run. Of deleted accounts
 *   that would come back with one address in one run, the one deleted first does (then the lower id).
 * - A new account of this run with the address of an account this run revives, or gives that address,
 *   is not made: its first record is the conflict (the next sync matches it by key, R12). Matching ran
 *   against the hub as it was at the start of the run, where nobody held that address yet.
 * - A new account that a source not matching on email (none, externalId) starts is not made while an
 *   active account holds its address after this run: its first record is the conflict naming the holder,
 *   every night until resolved (such a source never matched it by address). One query per such new
 *   account, and only where the hub has an active account (classify.ts lists them: `addressed`); a new
 *   account of this run with that address is found in classify.ts, in memory.
 */
import { displayName } from '../model.js';
import { mergeAttributes } from './attributes.js';
import { readRecord, type PlanContext } from './create.js';
import { detail } from './describe.js';
import { emailKey, type NewAccounts } from './newaccounts.js';
import type { AccountPlan, Change, HubView } from './types.js';

/** What one holder per address leaves out: plans not applied or replaced, and the conflicts reported instead. */
export interface HeldAddresses {
  dropped: Set<AccountPlan>;
  /** Plans of accounts that do not take their new address after all: the plan that keeps the old one. */
  replaced: Map<AccountPlan, AccountPlan>;
  conflicts: Change[];
}

/** The address key an active account takes in this plan (a new one from its sources), or ''. */
export function takenAddress(p: AccountPlan): string {
  const a = p.after;
  if (a === null || a.status !== 'active' || p.before?.status !== 'active') return '';
  const key = emailKey(a.email);
  return key !== emailKey(p.before.email) ? key : '';
}

/** The plan of an existing account again, keeping its current address (its sources' other changes apply). */
export type KeepAddress = (p: AccountPlan) => AccountPlan;

/**
 * `revives`: the plans of this run that revive an account; `takers`: those that give an active account a
 * new address (takenAddress); both in the order of `existing`.
 */
export function keepOneHolder(
  ctx: PlanContext,
  hub: HubView,
  existing: readonly AccountPlan[],
  plans: { revives: readonly AccountPlan[]; takers: readonly AccountPlan[]; addressed: readonly number[] },
  fresh: NewAccounts,
  keepAddress: KeepAddress,
): HeldAddresses {
  const out: HeldAddresses = { dropped: new Set(), replaced: new Map(), conflicts: [] };
  const holders = new Holders(ctx, hub, existing, plans.takers);
  holders.settleTakers(keepAddress, out);
  const revived = reviveOnce(holders, plans.revives, out);
  if (revived.size > 0 || holders.anyTaken()) withdrawNew(ctx, fresh, revived, holders, out);
  yieldToHolders(ctx, fresh, plans.addressed, holders, out);
  return out;
}

/** New accounts of sources not matching on email, with an address an active account holds after this run: a conflict each. */
function yieldToHolders(ctx: PlanContext, fresh: NewAccounts, addressed: readonly number[], holders: Holders, out: HeldAddresses): void {
  for (const n of addressed) {
    if (fresh.isWithdrawn(n)) continue;
    const account = fresh.get(n);
    const attrs = mergeAttributes(account.records.map((ref) => readRecord(ctx, ref)));
    const key = emailKey(attrs.email);
    const holder = key === '' ? undefined : holders.of(key);
    if (holder === undefined) continue;
    fresh.withdraw(n);
    const first = account.records[0];
    const source = ctx.sources[first.source].name;
    const params = { name: displayName(attrs), ref: `${source}:${first.externalId}`, email: attrs.email, holder };
    out.conflicts.push({ action: 'conflict', accountKey: null, source, externalId: first.externalId, detail: detail('newAddressHeld', params) });
  }
}

/** Of revives with one address, the first deleted comes back where nobody holds it; the rest are conflicts. */
function reviveOnce(holders: Holders, revives: readonly AccountPlan[], out: HeldAddresses): Map<string, AccountPlan> {
  const revived = new Map<string, AccountPlan>();
  const byAddress = new Map<string, AccountPlan[]>();
  for (const p of revives) {
    const key = emailKey(p.after!.email);
    if (key !== '') byAddress.set(key, [...(byAddress.get(key) ?? []), p]);
  }
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
  return revived;
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
  private readonly taking = new Map<string, AccountPlan[]>();

  constructor(
    private readonly ctx: PlanContext,
    private readonly hub: HubView,
    existing: readonly AccountPlan[],
    takers: readonly AccountPlan[],
  ) {
    for (const p of existing) this.plans.set(p.key, p);
    for (const p of takers) {
      const key = takenAddress(p);
      this.taking.set(key, [...(this.taking.get(key) ?? []), p]);
    }
  }

  anyTaken(): boolean {
    return this.taking.size > 0;
  }

  /** The account that takes this address in this run, if any (after settleTakers: one at most). */
  taker(key: string): AccountPlan | undefined {
    return this.taking.get(key)?.[0];
  }

  /**
   * Of the accounts that would take one address, the lowest id does where no active account keeps it
   * through this run; the others keep their old address, each a conflict naming the holder.
   */
  settleTakers(keepAddress: KeepAddress, out: HeldAddresses): void {
    for (const [key, group] of this.taking) {
      group.sort((a, b) => a.key - b.key);
      const keeper = this.keeper(key);
      const winner = keeper === undefined ? group[0] : undefined;
      for (const p of group) {
        if (p === winner) continue;
        const kept = keepAddress(p);
        out.replaced.set(p, kept);
        this.plans.set(p.key, kept);
        out.conflicts.push(takenConflict(p, keeper ?? winner!.key));
      }
      this.taking.set(key, winner === undefined ? [] : [winner]);
    }
    for (const [key, group] of this.taking) if (group.length === 0) this.taking.delete(key);
  }

  /** The lowest id of an account that is active with this address after this run, if any. */
  of(key: string): number | undefined {
    const ids = (this.taking.get(key) ?? []).map((p) => p.key);
    const keeper = this.keeper(key);
    if (keeper !== undefined) ids.push(keeper);
    return ids.length === 0 ? undefined : Math.min(...ids);
  }

  /** The lowest id of an active account that keeps this address through this run (not deleted, no new address). */
  private keeper(key: string): number | undefined {
    if (!this.hub.hasCandidates()) return undefined;
    // R12's own lookup: every active account with the key (the source only sorts them into open and claimed).
    const found = this.hub.candidates(this.ctx.sources[0].name, 'email', key);
    const ids = [...found.open, ...found.claimed].filter((id) => this.keeps(id, key));
    return ids.length === 0 ? undefined : Math.min(...ids);
  }

  private keeps(id: number, key: string): boolean {
    const after = this.plans.get(id)?.after;
    return after == null || (after.status === 'active' && emailKey(after.email) === key);
  }
}

/** The conflict of an account that does not take its new address: named by the record that gives it. */
function takenConflict(p: AccountPlan, holder: number): Change {
  const update = p.changes.find((c) => c.action === 'update') ?? p.changes[0];
  return heldConflict(p, update, displayName(p.before!), holder, 'addressTaken');
}

/** The conflict instead of a revive: named by the record that would have revived it. */
function reviveConflict(p: AccountPlan, holder: number, active: boolean): Change {
  const revive = p.changes.find((c) => c.action === 'revive')!;
  return heldConflict(p, revive, displayName(p.after!), holder, active ? 'reviveTaken' : 'reviveTakenRevived');
}

/** A conflict of account `p`, whose address `holder` has, reported on the record `by` of its change. */
function heldConflict(p: AccountPlan, by: Change, name: string, holder: number, kind: 'addressTaken' | 'reviveTaken' | 'reviveTakenRevived'): Change {
  const params = { name: name || `account ${p.key}`, ref: `${by.source}:${by.externalId}`, id: p.key, holder, email: p.after!.email };
  return { action: 'conflict', accountKey: null, source: by.source, externalId: by.externalId, detail: detail(kind, params) };
}

/**
 * New accounts with the address of an account this run revives, or gives that address, are not made:
 * a conflict each (only asked where the run revives an account or changes an address).
 */
function withdrawNew(ctx: PlanContext, fresh: NewAccounts, revived: ReadonlyMap<string, AccountPlan>, holders: Holders, out: HeldAddresses): void {
  for (let n = 0; n < fresh.size; n++) {
    const account = fresh.get(n);
    const attrs = mergeAttributes(account.records.map((ref) => readRecord(ctx, ref)));
    const key = emailKey(attrs.email);
    const winner = revived.get(key);
    const taker = winner === undefined ? holders.taker(key) : undefined;
    if (winner === undefined && taker === undefined) continue;
    fresh.withdraw(n);
    const first = account.records[0];
    const source = ctx.sources[first.source].name;
    const params = { name: displayName(attrs), ref: `${source}:${first.externalId}`, email: attrs.email, id: (winner ?? taker)!.key };
    out.conflicts.push({
      action: 'conflict',
      accountKey: null,
      source,
      externalId: first.externalId,
      detail: detail(winner !== undefined ? 'newYieldsToRevive' : 'newYieldsToTaker', params),
    });
  }
}
