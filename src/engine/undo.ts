/**
 * What reverting a sync run needs to know of one account (rule R18), as pure functions:
 * the account as a snapshot (its row, its source links, its list entry), a fingerprint of what counts as
 * a change of it, the snapshot a plan leaves behind, and the words for going from one snapshot to
 * another. The store keeps a snapshot of every account a run changed, as it was before the run
 * (src/store/undo.ts); a revert writes those snapshots back.
 */
import { displayName, type AccountStatus, type Attributes, type ExceptionEntry, type Link, type Owner } from '../model.js';
import { fingerprint, relationsOf } from '../sources/record.js';
import { relationsText } from './describe.js';
import type { AccountPlan } from './types.js';

export interface AccountRowState extends Attributes {
  status: AccountStatus;
  owner: Owner;
  notOfferedSince: string | null;
  deletedAt: string | null;
  deletedBy: string | null;
  deletedCause: string | null;
}

/** A link as a snapshot keeps it: the link without its account (the snapshot is of one account). */
export type LinkState = Omit<Link, 'accountId'>;

/** A list entry as a snapshot keeps it. */
export type EntryState = Omit<ExceptionEntry, 'accountId'>;

export interface AccountSnapshot {
  account: AccountRowState;
  /** Ordered by source, then externalId. */
  links: LinkState[];
  entry: EntryState | null;
}

/**
 * A fingerprint of what a person would call a change: the attributes, status and owner, each link
 * (whether it is active, and the record its source last gave), and the list entry's reason and end
 * date. Book-keeping that a sync moves without changing anything (when to look again, since when not
 * offered, timestamps) is left out, so that quiet nights after a run do not count as changes.
 */
export function stateFingerprint(s: AccountSnapshot): number {
  const a = s.account;
  let text = [a.givenName, a.prefix, a.familyName, a.email, a.role, a.status, a.owner].join('\x1f');
  for (const l of s.links) text += `\x1d${l.source}\x1f${l.externalId}\x1f${l.active ? 1 : 0}\x1f${l.record}`;
  text += s.entry === null ? '\x1d-' : `\x1d+${s.entry.reason}\x1f${s.entry.until ?? ''}`;
  return fingerprint(text);
}

function byKey(a: { source: string; externalId: string }, b: { source: string; externalId: string }): number {
  return a.source < b.source ? -1 : a.source > b.source ? 1 : a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0;
}

/**
 * The snapshot of an existing account after its plan is written (src/store/apply.ts writes exactly
 * this): the plan's new row, its link writes over the links before, and the list entry unless the plan
 * takes it off the list. `now`/`actor`/`runId`: what the writer stamps on a deletion.
 */
export function snapshotAfterPlan(before: AccountSnapshot, plan: AccountPlan, now: string): AccountSnapshot {
  const b = before.account;
  const p = plan.after;
  let account = b;
  if (p !== null) {
    const deleting = p.status === 'deleted' && b.status !== 'deleted';
    const reviving = p.status === 'active' && b.status === 'deleted';
    account = {
      givenName: p.givenName,
      prefix: p.prefix,
      familyName: p.familyName,
      email: p.email,
      role: p.role,
      status: p.status,
      owner: p.owner,
      notOfferedSince: p.notOfferedSince,
      deletedAt: deleting ? now : reviving ? null : b.deletedAt,
      deletedBy: reviving ? null : b.deletedBy,
      deletedCause: reviving ? null : b.deletedCause,
    };
  }
  let links = before.links;
  if (plan.links.length > 0) {
    const map = new Map(before.links.map((l) => [`${l.source}\x1f${l.externalId}`, l]));
    for (const w of plan.links) {
      const key = `${w.source}\x1f${w.externalId}`;
      const old = map.get(key);
      map.set(key, {
        source: w.source,
        externalId: w.externalId,
        active: w.active,
        record: w.record,
        fp: w.fp,
        nextCheck: w.nextCheck,
        inactiveSince: w.inactiveSince,
        createdAt: old?.createdAt ?? now,
      });
    }
    links = [...map.values()].sort(byKey);
  }
  return { account, links, entry: plan.unlist ? null : before.entry };
}

/** How a revert writing `to` over `from` is named: the action of the change, for grouping and counts. */
export function revertAction(from: AccountSnapshot, to: AccountSnapshot): 'revive' | 'delete' | 'update' {
  if (from.account.status === 'deleted' && to.account.status === 'active') return 'revive';
  if (from.account.status === 'active' && to.account.status === 'deleted') return 'delete';
  return 'update';
}

const ATTRS: (keyof Attributes)[] = ['givenName', 'prefix', 'familyName', 'email', 'role'];

function linkWords(from: LinkState[], to: LinkState[]): string[] {
  const parts: string[] = [];
  const was = new Map(from.map((l) => [`${l.source}:${l.externalId}`, l]));
  for (const l of to) {
    const name = `${l.source}:${l.externalId}`;
    const old = was.get(name);
    was.delete(name);
    if (old === undefined) {
      parts.push(`link ${name} back${l.active ? '' : ' (inactive)'}`);
      continue;
    }
    if (old.active !== l.active) parts.push(`link ${name} ${l.active ? 'active again' : 'inactive again'}`);
    if (old.record === l.record) continue;
    const r0 = relationsText(relationsOf(old.record));
    const r1 = relationsText(relationsOf(l.record));
    if (r0 !== r1) parts.push(`${name} relations: "${r0}" → "${r1}"`);
  }
  for (const name of was.keys()) parts.push(`link ${name} removed`);
  return parts;
}

function entryWords(from: EntryState | null, to: EntryState | null): string[] {
  if (from === null && to !== null) return [`back on the exception list (${to.reason}${to.until ? `, until ${to.until}` : ''})`];
  if (from !== null && to === null) return ['off the exception list'];
  if (from === null || to === null) return [];
  const parts: string[] = [];
  if (from.reason !== to.reason) parts.push(`list reason: "${from.reason}" → "${to.reason}"`);
  if (from.until !== to.until) parts.push(`list end date: ${from.until ?? 'none'} → ${to.until ?? 'none'}`);
  return parts;
}

/** "Jan de Vries: status: deleted → active; familyName: …; link hr:10234 active again; back on the list (…)". */
export function describeRevert(from: AccountSnapshot, to: AccountSnapshot): string {
  const parts: string[] = [];
  const a = from.account;
  const b = to.account;
  if (a.status !== b.status) parts.push(`status: ${a.status} → ${b.status}`);
  for (const k of ATTRS) if (a[k] !== b[k]) parts.push(`${k}: "${a[k]}" → "${b[k]}"`);
  if (a.owner !== b.owner) parts.push(`owner: ${a.owner} → ${b.owner}`);
  parts.push(...linkWords(from.links, to.links), ...entryWords(from.entry, to.entry));
  const who = displayName(a) || displayName(b);
  return `${who}: ${parts.length > 0 ? parts.join('; ') : 'as it was'}`;
}

/** The attributes and status that differ, as the audit trail's before/after. */
export function revertDiff(from: AccountSnapshot, to: AccountSnapshot): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const k of [...ATTRS, 'status', 'owner'] as const) {
    if (from.account[k] !== to.account[k]) {
      before[k] = from.account[k];
      after[k] = to.account[k];
    }
  }
  before.links = from.links.map((l) => `${l.source}:${l.externalId}${l.active ? '' : ' (inactive)'}`);
  after.links = to.links.map((l) => `${l.source}:${l.externalId}${l.active ? '' : ' (inactive)'}`);
  before.listed = from.entry !== null;
  after.listed = to.entry !== null;
  return { before, after };
}
