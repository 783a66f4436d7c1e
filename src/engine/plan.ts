/**
 * The sync engine: from what the sources say and what the hub holds, the plan of changes
 * (docs/rules.md R1–R5, R11, R12, R14; lapsing of list entries, grace periods).
 *
 * It works in two steps so that a million records stay cheap:
 *  1. classify every record of every export (classify.ts): unchanged, linked to an account that must be
 *     looked at again, matched to an existing account, the start of a new account, or a conflict;
 *  2. evaluate each existing account that was touched (evaluate.ts, rule by rule in rules.ts: these are
 *     the plans a sync can delete, kept in memory), and describe the new accounts lazily (`creates()`,
 *     create.ts), so that an initial sync of a million records never holds a million plans.
 */
import type { Account } from '../model.js';
import { classifyRecords } from './classify.js';
import { planNew, type PlanContext } from './create.js';
import { evaluateExisting } from './evaluate.js';
import { keepOneHolder, takenAddress } from './holders.js';
import { COUNT_OF, emptyCounts, type AccountPlan, type Change, type ChangeAction, type Counts, type EngineInput } from './types.js';

export { mergeAttributes } from './attributes.js';
export { mergeDelta } from './delta.js';

export interface Plan {
  /** Plans for accounts the hub already holds, in a stable order. */
  existing: AccountPlan[];
  /**
   * Records that match more than one account (R12), or that would revive an account into an address
   * another account holds (R14, holders.ts): nothing is created, revived or linked for them.
   */
  conflicts: Change[];
  /** How many accounts `creates()` yields. */
  newAccounts: number;
  /** The plans for new accounts, made afresh on each call, always the same and in the same order. */
  creates(): IterableIterator<AccountPlan>;
  counts: Counts;
  /** Per source, how many accounts this plan deletes that were linked to it. */
  deletesBySource: Record<string, number>;
}

/** How many touched accounts the hub view is asked to read at a time (HubView.readAhead). */
const READ_AHEAD = 500;

export function planSync(input: EngineInput): Plan {
  const { hub, today, now } = input;
  const sources = [...input.sources].sort((a, b) => b.priority - a.priority || (a.name < b.name ? -1 : 1));
  const ctx: PlanContext = { sources, sourceIndex: new Map(sources.map((s, i) => [s.name, i])), today, now };

  const { touched, conflicts, fresh, skipped, unchanged, addressed } = classifyRecords(sources, hub, today);
  const counts = emptyCounts();
  counts.unchanged = unchanged;

  let existing: AccountPlan[] = [];
  /** Plans that revive an account, or give an active one a new address: counted once one holder per address is settled (holders.ts). */
  const revives: AccountPlan[] = [];
  const takers: AccountPlan[] = [];
  const deletesBySource: Record<string, number> = {};
  const touchedIds = hub.readAhead === undefined ? [] : [...touched.keys()];
  let i = 0;
  for (const [accountId, attached] of touched) {
    if (hub.readAhead !== undefined && i % READ_AHEAD === 0) hub.readAhead(touchedIds.slice(i, i + READ_AHEAD));
    i++;
    const plan = evaluateExisting(ctx, hub, accountId, attached);
    if (plan.changes.length === 0 && plan.after === null && plan.links.length === 0 && !plan.unlist) {
      counts.unchanged++;
      continue;
    }
    existing.push(plan);
    if (plan.before?.status === 'deleted' && plan.after?.status === 'active') {
      revives.push(plan);
      continue;
    }
    if (takenAddress(plan) !== '') {
      takers.push(plan);
      continue;
    }
    countAccount(counts, plan.changes);
    if (plan.changes.some((c) => c.action === 'delete')) {
      for (const l of hub.linksOf(accountId)) deletesBySource[l.source] = (deletesBySource[l.source] ?? 0) + 1;
    }
  }
  for (const id of skipped) if (!touched.has(id)) counts.unchanged++;
  if (revives.length > 0 || takers.length > 0 || addressed.length > 0) {
    // R12 with R11 and R14: no revive, new address or new account makes a second active holder of an address.
    const keepAddress = (p: AccountPlan) => evaluateExisting(ctx, hub, p.key, touched.get(p.key) ?? [], true);
    const held = keepOneHolder(ctx, hub, existing, { revives, takers, addressed }, fresh, keepAddress);
    if (held.dropped.size > 0 || held.replaced.size > 0) existing = existing.filter((p) => !held.dropped.has(p)).map((p) => held.replaced.get(p) ?? p);
    for (const p of [...revives, ...takers]) if (!held.dropped.has(p)) countAccount(counts, (held.replaced.get(p) ?? p).changes);
    conflicts.push(...held.conflicts);
  }
  counts.conflicts = conflicts.length;
  counts.created = fresh.count;

  function* creates(): IterableIterator<AccountPlan> {
    for (const account of fresh.all()) yield planNew(ctx, account);
  }
  return { existing, conflicts, newAccounts: fresh.count, creates, counts, deletesBySource };
}

/**
 * What counts an account once, as its strongest change: an account that returns in two sources and
 * gets new attributes in the same night is one relinked account, not two relinks and an update. A lapsed
 * list entry is counted on its own (it is about the list, not the account): lapsed and deleted together
 * count once in each.
 */
const STRENGTH: ChangeAction[] = ['revive', 'delete', 'relink', 'protect', 'pending', 'update'];

export function strongestChange(changes: readonly Change[]): ChangeAction | null {
  for (const action of STRENGTH) if (changes.some((c) => c.action === action)) return action;
  return null;
}

function countAccount(counts: Counts, changes: readonly Change[]): void {
  for (const c of changes) if (c.action === 'lapse') counts.lapsed++;
  const strongest = strongestChange(changes);
  if (strongest === null) counts.unchanged++;
  else counts[COUNT_OF[strongest]]++;
}

export type { Account };
