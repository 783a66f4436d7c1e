/**
 * An account's attributes: merged from the records that offer it (R11), compared with what the hub
 * holds, and the account's state as it will be.
 */
import type { Account, AccountStatus, Attributes, Owner } from '../model.js';
import { packAttributes, type SourceRecord } from '../sources/record.js';
import type { AccountState, EngineSource } from './types.js';

/** A record that offers an account, with the source it comes from. */
export interface Offer {
  source: EngineSource;
  record: SourceRecord;
}

const NO_ATTRIBUTES: Attributes = { givenName: '', prefix: '', familyName: '', email: '', role: '' };

/**
 * Attributes that an account takes from its sources, merged by priority (R11). `offered` is ordered by
 * priority, highest first. An empty value never wins over a stated one: each attribute comes from the
 * highest-priority source that states it, and a value that no source states (an export without an email
 * column, an empty cell) keeps what the account has.
 *
 * The name is a unit around the family name: family name and prefix come from the highest-priority
 * source that states a family name, so that a prefix is never glued to another source's family name (an
 * empty prefix there is a statement: "Backer" has no tussenvoegsel). The given name comes from that same
 * source when it states one, else from the next source by priority that does. A source with a given name
 * but an empty family name does not supply the unit; when no source states a family name, the account
 * keeps its family name and prefix (a new account takes the first given name offered).
 */
export function mergeAttributes(offered: readonly Offer[], current: Attributes = NO_ATTRIBUTES): Attributes {
  // Plain loops: this runs once per new account, a million times in a first sync.
  let named: SourceRecord | undefined;
  let given: string | undefined;
  let email: string | undefined;
  let role: string | undefined;
  for (const o of offered) {
    const r = o.record;
    if (named === undefined && r.familyName !== '') named = r;
    if (given === undefined && r.givenName !== '') given = r.givenName;
    if (email === undefined && r.email !== '') email = r.email;
    if (role === undefined) {
      const value = r.role || o.source.defaultRole;
      if (value !== '') role = value;
    }
  }
  return {
    givenName: named !== undefined && named.givenName !== '' ? named.givenName : (given ?? current.givenName),
    prefix: named ? named.prefix : current.prefix,
    familyName: named ? named.familyName : current.familyName,
    email: email ?? current.email,
    role: (role ?? current.role) as Attributes['role'],
  };
}

/** A record with its source's default role where it states none (hr: staff, las: student). */
export function withRole(r: SourceRecord, src: EngineSource): SourceRecord {
  if (r.role === '' && src.defaultRole !== '') r.role = src.defaultRole;
  return r;
}

const ATTRS: (keyof Attributes)[] = ['givenName', 'prefix', 'familyName', 'email', 'role'];

export interface AttributeDiff {
  before: Record<string, string>;
  after: Record<string, string>;
}

/** The attributes that differ, before and after; null when none does. */
export function attributeDiff(before: Attributes, after: Attributes): AttributeDiff | null {
  const b: Record<string, string> = {};
  const a: Record<string, string> = {};
  let any = false;
  for (const k of ATTRS) {
    if (before[k] !== after[k]) {
      b[k] = before[k];
      a[k] = after[k];
      any = true;
    }
  }
  return any ? { before: b, after: a } : null;
}

/** `familyName: "Vries" → "Jansen", email: …`. */
export function describeDiff(d: AttributeDiff): string {
  return Object.keys(d.after)
    .map((k) => `${k}: "${d.before[k]}" → "${d.after[k]}"`)
    .join(', ');
}

/** An account as it will be (a literal, not a spread: this runs a million times in a first sync). */
export function accountState(a: Attributes, status: AccountStatus, owner: Owner, notOfferedSince: string | null): AccountState {
  return { givenName: a.givenName, prefix: a.prefix, familyName: a.familyName, email: a.email, role: a.role, status, owner, notOfferedSince };
}

/** An account the hub holds, as an AccountState. */
export function stateOf(account: Account): AccountState {
  return accountState(account, account.status, account.owner, account.notOfferedSince);
}

export function sameState(a: AccountState, b: AccountState): boolean {
  return packAttributes(a) === packAttributes(b) && a.status === b.status && a.owner === b.owner && a.notOfferedSince === b.notOfferedSince;
}
