/**
 * The JSON shapes of the contract (the command-line contract, "JSON output"), built from the store. The
 * CLI prints these as they are under --json, and renders them as tables for people.
 */
import { displayName, type Account, type ExceptionEntry, type Link } from '../model.js';
import { relationsOf } from '../sources/record.js';
import type { Store } from '../store/store.js';

export interface UserView {
  id: number;
  email: string;
  givenName: string;
  prefix: string;
  familyName: string;
  displayName: string;
  role: string;
  status: 'active' | 'deleted';
  owner: 'source' | 'hub';
  links: { source: string; externalId: string; active: boolean }[];
  relations: { source: string; organisation: string; group: string; startDate: string | null; endDate: string | null }[];
  listed: boolean;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  /** Extensions: since when no source offers it (null while offered), and who or what deleted it. */
  notOfferedSince: string | null;
  deletedBy: string | null;
  deletedCause: string | null;
}

export function userView(a: Account, links: Link[], listed: boolean): UserView {
  const relations: UserView['relations'] = [];
  for (const l of links) {
    if (!l.active) continue;
    for (const r of relationsOf(l.record)) {
      relations.push({ source: l.source, organisation: r.organisation, group: r.group, startDate: r.startDate, endDate: r.endDate });
    }
  }
  return {
    id: a.id,
    email: a.email,
    givenName: a.givenName,
    prefix: a.prefix,
    familyName: a.familyName,
    displayName: displayName(a),
    role: a.role,
    status: a.status,
    owner: a.owner,
    links: links.map((l) => ({ source: l.source, externalId: l.externalId, active: l.active })),
    relations,
    listed,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    deletedAt: a.deletedAt,
    notOfferedSince: a.notOfferedSince,
    deletedBy: a.deletedBy,
    deletedCause: a.deletedCause,
  };
}

export function loadUserView(store: Store, a: Account): UserView {
  return userView(a, store.linksOf(a.id), store.exception(a.id) !== undefined);
}

/** The account of a list entry, as the list, its review and an import show it. */
export interface ExceptionUser {
  id: number;
  email: string;
  displayName: string;
  status: 'active' | 'deleted';
  owner: 'source' | 'hub';
}

export function exceptionUser(a: Account): ExceptionUser {
  return { id: a.id, email: a.email, displayName: displayName(a), status: a.status, owner: a.owner };
}

/** A list entry as the contract shows it: the entry (its reason, end date, who and when) with its account. */
export interface ExceptionView extends Omit<ExceptionEntry, 'accountId'> {
  user: ExceptionUser;
  daysListed: number;
  offered: boolean;
  notOfferedSince: string | null;
  /** Extensions: whether the end date has passed, and where the account works (for people). */
  lapsed: boolean;
  organisations: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function daysBetween(fromIso: string, toIso: string): number {
  return Math.max(0, Math.floor((Date.parse(toIso) - Date.parse(fromIso)) / DAY_MS));
}

export function exceptionView(e: ExceptionEntry, a: Account, links: Link[], now: string, today: string): ExceptionView {
  const offered = links.some((l) => l.active);
  const organisations = new Set<string>();
  for (const l of links) for (const r of relationsOf(l.record)) if (r.organisation) organisations.add(r.organisation);
  return {
    user: exceptionUser(a),
    reason: e.reason,
    until: e.until,
    createdAt: e.createdAt,
    createdBy: e.createdBy,
    updatedAt: e.updatedAt,
    updatedBy: e.updatedBy,
    daysListed: daysBetween(e.createdAt, now),
    offered,
    notOfferedSince: offered ? null : a.notOfferedSince,
    lapsed: e.until !== null && e.until < today,
    organisations: [...organisations],
  };
}
