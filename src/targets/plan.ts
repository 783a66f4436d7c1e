/**
 * Planning a publish: the hub as it is now (R15) against what the target acknowledged (R16). Pure: it
 * merges two streams in account id order and keeps only what differs, so a million unchanged accounts
 * cost a hash and a comparison each.
 */
import { createHash } from 'node:crypto';
import { fingerprint } from '../sources/record.js';
import { COUNT_OF, emptyCounts, PUBLISH_ACTIONS, type AckedState, type HubAccount, type PublishAction, type PublishCounts } from './types.js';

export interface PlannedAction {
  action: PublishAction;
  accountId: number;
  /** What the acknowledgement records (not for a delete). */
  accountCreated: string;
  active: boolean;
  /**
   * The account as it is now: absent for a delete (the account was purged), and past `keepAccounts`
   * actions (a file target's first publish of a million accounts needs only their ids and hashes).
   */
  account?: HubAccount;
  /** What the target acknowledged before; absent for a create. */
  acked?: AckedState;
  /** The hash of what will be sent (a delete: ''). */
  hash: string;
}

/**
 * The actions past the listed ones, of a plan that keeps no account for them (a file target's first
 * publish of a million accounts): a column per field, no object per account, so that the garbage
 * collector has four arrays of them to look at rather than an object each.
 */
class ActionColumns {
  readonly ids: number[] = [];
  readonly created: string[] = [];
  readonly hashes: string[] = [];
  /** The action's index in PUBLISH_ACTIONS, plus 8 when the account is active. */
  readonly codes: number[] = [];

  push(p: PlannedAction): void {
    this.ids.push(p.accountId);
    this.created.push(p.accountCreated);
    this.hashes.push(p.hash);
    this.codes.push(PUBLISH_ACTIONS.indexOf(p.action) + (p.active ? 8 : 0));
  }

  at(i: number): PlannedAction {
    const code = this.codes[i];
    const action = PUBLISH_ACTIONS[code & 7];
    return { action, accountId: this.ids[i], accountCreated: this.created[i], active: code >= 8, hash: this.hashes[i] };
  }
}

export interface PublishPlan {
  /** The first `keepAccounts` actions (all of them, unless a limit was given): see `size` and allActions(). */
  actions: PlannedAction[];
  /** How many actions the plan holds in all. */
  size: number;
  /** The actions past `actions`, kept as columns. */
  rest: ActionColumns | null;
  /** What the publish would do; `unchanged` includes deleted accounts already deactivated there. */
  counts: PublishCounts;
  /** Accounts the target holds as active now: the base of the safety limit (R17). */
  activeAcked: number;
  /** Deactivations and deletions: what the safety limit counts. */
  removals: number;
  /** Active accounts in the hub (what the target will hold). */
  activeInHub: number;
  /** Accounts the plan looked at, for progress. */
  seen: number;
}

/**
 * A short, stable hash of what a target gets for an account: the 53-bit fingerprint the hub keeps for
 * source records too (it only has to tell a change, a million times per publish).
 */
export function hashOf(text: string): string {
  return fingerprint(text).toString(36);
}

/** Every action of a plan, in order: the kept ones, then those kept as columns. */
export function* allActions(plan: PublishPlan): IterableIterator<PlannedAction> {
  yield* plan.actions;
  const rest = plan.rest;
  if (rest !== null) for (let i = 0; i < rest.ids.length; i++) yield rest.at(i);
}

/**
 * @param hash the fingerprint of what the target gets now, compared as a number with the acknowledged
 * hash (always made by hashOf): a million unchanged accounts are then spared writing it in base 36.
 */
function decide(a: HubAccount, s: AckedState | undefined, hash: number): PublishAction | null {
  if (s === undefined) return a.active ? 'create' : null; // never sent, and deleted: nothing to send
  if (s.active === a.active && parseInt(s.hash, 36) === hash) return null;
  if (a.active && !s.active) return 'reactivate';
  if (!a.active && s.active) return 'deactivate';
  return 'update';
}

/**
 * @param describe what the target gets for an account, as text (hashed; the active flag is added here).
 */
export function planPublish(
  accounts: Iterable<HubAccount>,
  acked: Iterable<AckedState>,
  describe: (a: HubAccount) => string,
  keepAccounts = Infinity,
): PublishPlan {
  const actions: PlannedAction[] = [];
  const rest = keepAccounts === Infinity ? null : new ActionColumns();
  const counts = emptyCounts();
  let activeAcked = 0;
  let activeInHub = 0;
  let seen = 0;
  const states = acked[Symbol.iterator]();
  let s = states.next();
  const take = (): AckedState => {
    const v = s.value as AckedState;
    if (v.active) activeAcked++;
    s = states.next();
    return v;
  };
  const add = (p: PlannedAction) => {
    counts[COUNT_OF[p.action]]++;
    if (rest !== null && actions.length >= keepAccounts) rest.push(p);
    else actions.push(p);
  };
  const gone = (st: AckedState): PlannedAction => ({
    action: 'delete',
    accountId: st.accountId,
    accountCreated: st.accountCreated,
    active: false,
    acked: st,
    hash: '',
  });
  for (const a of accounts) {
    seen++;
    if (a.active) activeInHub++;
    // Acknowledged accounts that are no longer in the hub: erased (purged) there, so removed here (R15).
    while (!s.done && s.value.accountId < a.id) add(gone(take()));
    let state: AckedState | undefined;
    if (!s.done && s.value.accountId === a.id) state = take();
    if (state !== undefined && state.accountCreated !== a.createdAt) {
      // The id was handed out again after a purge: the old account goes, the new one is another person.
      add(gone(state));
      state = undefined;
    }
    const n = fingerprint(describe(a) + (a.active ? '\x1f1' : '\x1f0'));
    const action = decide(a, state, n);
    if (action === null) {
      if (state !== undefined) counts.unchanged++;
      continue;
    }
    const hash = n.toString(36); // hashOf
    if (rest !== null && actions.length >= keepAccounts) add({ action, accountId: a.id, accountCreated: a.createdAt, active: a.active, hash });
    else add({ action, accountId: a.id, accountCreated: a.createdAt, active: a.active, account: a, acked: state, hash });
  }
  while (!s.done) add(gone(take()));
  const size = actions.length + (rest?.ids.length ?? 0);
  return { actions, size, rest, counts, activeAcked, removals: counts.deactivated + counts.deleted, activeInHub, seen };
}

/** The default limit of R17: the larger of 10 and 10% of the target's accounts. */
export function defaultMaxDeactivations(activeAcked: number): number {
  return Math.max(10, Math.floor(activeAcked / 10));
}

/** A plan's id: the target, and each action with what it would send. Approving it lets exactly this through. */
export function planIdOf(target: string, plan: PublishPlan): string {
  const h = createHash('sha256');
  h.update(target);
  for (const p of allActions(plan)) h.update(`\n${p.action}|${p.accountId}|${p.hash}`);
  return h.digest('hex').slice(0, 16);
}
