/**
 * Planning a publish: the hub as it is now (R15) against what the target acknowledged (R16). Pure: it
 * merges two streams in account id order and keeps only what differs, so a million unchanged accounts
 * cost a hash and a comparison each.
 */
import { createHash, type Hash } from 'node:crypto';
import { fingerprint } from '../sources/record.js';
import { writeDigits } from './digits.js';
import { AckSnapshot } from './snapshot.js';
import { COUNT_OF, emptyCounts, type AckedState, type HubAccount, type PublishAction, type PublishCounts } from './types.js';

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

export interface PublishPlan {
  /** The first `keepAccounts` actions (all of them, unless a limit was given): see `size`. */
  actions: PlannedAction[];
  /** How many actions the plan holds in all (listed or not). */
  size: number;
  /** The plan's id (planIdOf), worked out while planning, when the target was named: the actions past `actions` are not kept. */
  id: string | null;
  /** With `recordId`: the text the id is made of (without the target's name), for a plan made in parts (mergePlans). */
  idText?: Uint8Array[];
  /** What the target holds once every action is acknowledged (asked for with `snapshot`): a file target's next acknowledged state. */
  next: AckSnapshot | null;
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

/**
 * @param hash the fingerprint of what the target gets now, compared as a number with the acknowledged
 * hash (always made by hashOf): a million unchanged accounts are then spared writing it in base 36.
 */
function decide(a: HubAccount, s: AckedState | undefined, hash: number): PublishAction | null {
  if (s === undefined) return a.active ? 'create' : null; // never sent, and deleted: nothing to send
  if (s.active === a.active && (s.hashValue ?? parseInt(s.hash, 36)) === hash) return null;
  if (a.active && !s.active) return 'reactivate';
  if (!a.active && s.active) return 'deactivate';
  return 'update';
}

/** What a plan may do besides planning (see planPublish). */
export interface PlanOptions {
  /** Actions listed with their account (the rest are counted; with a target, also hashed into the plan id). Default: all. */
  keepAccounts?: number;
  /** The target's name: the plan id is worked out while planning (needed when not every action is kept). */
  target?: string;
  /** Also build `next`, the acknowledged state once every action is acknowledged. */
  snapshot?: boolean;
  /**
   * The fingerprint of what the target gets for an account with its active flag, worked out without
   * making that text: it must equal fingerprint(describe(a) + (a.active ? '\x1f1' : '\x1f0')).
   */
  fingerprint?: (a: HubAccount) => number;
  /** Called with each account as the plan takes it (a file target's writer, SCIM's groups), before it is planned. */
  each?: (a: HubAccount) => void;
  /** Keep the text of the plan's id rather than its hash (`idText`): the plan is one part of a larger one (mergePlans). */
  recordId?: boolean;
}

/**
 * Hashes the plan's actions as they come (a planIdOf that needs no list of them): the text of each,
 * `\n<action>|<account id>|<hash>`, written as ASCII bytes into a buffer that goes to the hash when
 * full; a hash given as its number is written in base 36 there (as hashOf writes it), with no string made.
 */
class PlanHasher {
  /** Null: the text is kept in `chunks` instead (a part of a plan: see mergePlans). */
  private readonly h: Hash | null;
  readonly chunks: Buffer[] = [];
  private readonly buf = Buffer.allocUnsafe(1 << 16);
  private used = 0;

  /** `target` null: keep the text, not its hash. */
  constructor(target: string | null) {
    this.h = target === null ? null : createHash('sha256').update(target);
  }

  add(action: PublishAction, accountId: number, hash: string | number): void {
    if (this.used > this.buf.length - 256) this.flush();
    this.buf[this.used++] = 0x0a;
    this.ascii(action);
    this.buf[this.used++] = 0x7c;
    if (Number.isSafeInteger(accountId) && accountId >= 0) this.used = writeDigits(this.buf, this.used, accountId, 10);
    else this.ascii(String(accountId));
    this.buf[this.used++] = 0x7c;
    if (typeof hash === 'number') this.used = writeDigits(this.buf, this.used, hash, 36);
    else this.ascii(hash);
  }

  /** Text of ASCII characters (actions, hashes, ids). */
  private ascii(text: string): void {
    if (this.used + text.length > this.buf.length) this.flush();
    for (let i = 0; i < text.length; i++) this.buf[this.used++] = text.charCodeAt(i);
  }

  private flush(): void {
    const bytes = this.buf.subarray(0, this.used);
    if (this.h !== null) this.h.update(bytes);
    else this.chunks.push(Buffer.from(bytes));
    this.used = 0;
  }

  digest(): string {
    this.flush();
    return this.h!.digest('hex').slice(0, 16);
  }

  /** Text of a plan's part, as another hasher kept it (text()), after what was added so far. */
  addText(chunk: Uint8Array): void {
    this.flush();
    this.h!.update(chunk);
  }

  /** The text kept (see the constructor). */
  text(): Buffer[] {
    this.flush();
    return this.chunks;
  }
}

/** An acknowledged account that is no longer in the hub (erased there), or whose id now names another person. */
const gone = (st: AckedState): PlannedAction => ({
  action: 'delete',
  accountId: st.accountId,
  accountCreated: st.accountCreated,
  active: false,
  acked: st,
  hash: '',
});

/**
 * @param describe what the target gets for an account, as text (hashed; the active flag is added here).
 */
export function planPublish(
  accounts: Iterable<HubAccount>,
  acked: Iterable<AckedState>,
  describe: (a: HubAccount) => string,
  options: PlanOptions = {},
): PublishPlan {
  const keepAccounts = options.keepAccounts ?? Infinity;
  const fingerprintOf = options.fingerprint;
  const actions: PlannedAction[] = [];
  const hasher = options.recordId ? new PlanHasher(null) : options.target === undefined ? null : new PlanHasher(options.target);
  const next = options.snapshot ? new AckSnapshot() : null;
  const counts = emptyCounts();
  let size = 0;
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
    size++;
    hasher?.add(p.action, p.accountId, p.hash);
    if (actions.length < keepAccounts) actions.push(p);
  };
  const each = options.each;
  for (const a of accounts) {
    if (each !== undefined) each(a);
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
    const n = fingerprintOf !== undefined ? fingerprintOf(a) : fingerprint(describe(a) + (a.active ? '\x1f1' : '\x1f0'));
    // Once acknowledged, the target holds every active account and every one it held, as it is now.
    if (next !== null && (a.active || state !== undefined)) next.push(a.id, a.createdAt, n, a.active);
    const action = decide(a, state, n);
    if (action === null) {
      if (state !== undefined) counts.unchanged++;
      continue;
    }
    if (actions.length < keepAccounts)
      add({ action, accountId: a.id, accountCreated: a.createdAt, active: a.active, account: a, acked: state, hash: n.toString(36) });
    else {
      // Past the listed ones: counted and hashed into the plan id (the hash as its number), with no object or text made for it.
      counts[COUNT_OF[action]]++;
      size++;
      hasher?.add(action, a.id, n);
    }
  }
  while (!s.done) add(gone(take()));
  return {
    actions,
    size,
    id: options.recordId ? null : (hasher?.digest() ?? null),
    idText: options.recordId ? hasher!.text() : undefined,
    next,
    counts,
    activeAcked,
    removals: counts.deactivated + counts.deleted,
    activeInHub,
    seen,
  };
}

/** The default limit of R17: the larger of 10 and 10% of the target's accounts. */
export function defaultMaxDeactivations(activeAcked: number): number {
  return Math.max(10, Math.floor(activeAcked / 10));
}

/** A plan's id: the target, and each action with what it would send. Approving it lets exactly this through. */
export function planIdOf(target: string, plan: PublishPlan): string {
  if (plan.id !== null) return plan.id;
  if (plan.actions.length < plan.size) throw new Error('planIdOf: a plan that lists only some of its actions carries its id');
  const h = new PlanHasher(target);
  for (const p of plan.actions) h.add(p.action, p.accountId, p.hash);
  return h.digest();
}

/**
 * One plan of a target from plans of its accounts in parts, each made with `recordId` over an id range,
 * added in id order as they are made: the same plan (actions listed, counts, id, snapshot) as one pass
 * over all of them. A part's text of the plan's id is hashed as it is added.
 */
export class PlanMerger {
  private readonly counts = emptyCounts();
  readonly actions: PlannedAction[] = [];
  private next: AckSnapshot | null = null;
  private readonly hasher: PlanHasher;
  private size = 0;
  private activeAcked = 0;
  private activeInHub = 0;
  private seen = 0;

  /** `expected`: accounts the parts hold about (room made for their snapshot at once). */
  constructor(
    target: string,
    private readonly keepAccounts: number,
    private readonly expected = 0,
  ) {
    this.hasher = new PlanHasher(target);
  }

  add(p: PublishPlan): void {
    for (const k of Object.keys(this.counts) as (keyof PublishCounts)[]) this.counts[k] += p.counts[k];
    for (const a of p.actions) if (this.actions.length < this.keepAccounts) this.actions.push(a);
    if (p.next !== null) (this.next ??= new AckSnapshot(this.expected)).append(p.next);
    for (const chunk of p.idText ?? []) this.hasher.addText(chunk);
    this.size += p.size;
    this.activeAcked += p.activeAcked;
    this.activeInHub += p.activeInHub;
    this.seen += p.seen;
  }

  plan(): PublishPlan {
    const { actions, size, next, counts, activeAcked, activeInHub, seen } = this;
    return { actions, size, id: this.hasher.digest(), next, counts, activeAcked, removals: counts.deactivated + counts.deleted, activeInHub, seen };
  }
}

/** PlanMerger's plan of `parts` (given in id order). */
export function mergePlans(target: string, parts: readonly PublishPlan[], keepAccounts: number): PublishPlan {
  const merger = new PlanMerger(target, keepAccounts);
  for (const p of parts) merger.add(p);
  return merger.plan();
}
