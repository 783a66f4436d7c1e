/**
 * What the file targets (SDS v2.1, OneRoster 1.1, plain CSV) share: stable ids for schools and classes,
 * the school year, and what the hash of an account covers.
 */
import { hash } from 'node:crypto';
import type { HubAccount, HubRelation } from './types.js';

/** The foundation itself, for accounts that the hub knows no school of (a hand-made account). */
export const FOUNDATION = { id: 'org-basishub', name: 'basishub' };

function shortId(prefix: string, text: string): string {
  return `${prefix}-${hash('sha1', text, 'hex').slice(0, 12)}`;
}

/** Ids already made: a foundation has thousands of schools and classes, and each is named many times. */
const orgIds = new Map<string, string>();
const classIds = new Map<string, Map<string, string>>();

/** A school's sourcedId: stable while its name is (the hub knows schools by name). */
export function orgId(organisation: string): string {
  if (organisation === '') return FOUNDATION.id;
  let id = orgIds.get(organisation);
  if (id === undefined) orgIds.set(organisation, (id = shortId('org', organisation)));
  return id;
}

export function classId(organisation: string, group: string): string {
  let inOrg = classIds.get(organisation);
  if (inOrg === undefined) classIds.set(organisation, (inOrg = new Map<string, string>()));
  let id = inOrg.get(group);
  if (id === undefined) inOrg.set(group, (id = shortId('cls', organisation + '\x1f' + group)));
  return id;
}

/** The family name as the targets show it: with its tussenvoegsel in front ("de Vries"). */
export function familyWithPrefix(a: Pick<HubAccount, 'prefix' | 'familyName'>): string {
  if (a.prefix === '') return a.familyName;
  return a.familyName === '' ? a.prefix : `${a.prefix} ${a.familyName}`;
}

/** A user name: the email, else a name made from the hub's id (the formats require one). */
export function userName(a: Pick<HubAccount, 'email' | 'id'>): string {
  return a.email !== '' ? a.email : `hub-${a.id}`;
}

/** The Dutch school year that holds `today` (1 August to 31 July), named by the year it ends in. */
export function schoolYear(today: string): { id: string; title: string; start: string; end: string; year: string } {
  const y = Number(today.slice(0, 4));
  const first = today.slice(5) >= '08-01' ? y : y - 1;
  return { id: `sy-${first}-${first + 1}`, title: `Schooljaar ${first}-${first + 1}`, start: `${first}-08-01`, end: `${first + 1}-07-31`, year: String(first + 1) };
}

/** What a file target holds for an account: attributes and relations (the hash of a file account). */
export function describeFileAccount(a: HubAccount): string {
  let s = a.givenName + '\x1f' + a.prefix + '\x1f' + a.familyName + '\x1f' + a.email + '\x1f' + a.role;
  for (const r of a.relations) s += '\x1e' + r.organisation + '\x1f' + r.group + '\x1f' + (r.startDate ?? '') + '\x1f' + (r.endDate ?? '');
  return s;
}

/** A user's schools, each with the widest dates of its relations there (null: open). */
export function schoolsOf(relations: HubRelation[]): { organisation: string; start: string | null; end: string | null }[] {
  if (relations.length === 1) return [{ organisation: relations[0].organisation, start: relations[0].startDate, end: relations[0].endDate }];
  const out = new Map<string, { organisation: string; start: string | null; end: string | null }>();
  for (const r of relations) {
    const seen = out.get(r.organisation);
    if (seen === undefined) out.set(r.organisation, { organisation: r.organisation, start: r.startDate, end: r.endDate });
    else {
      seen.start = seen.start === null || r.startDate === null ? null : seen.start < r.startDate ? seen.start : r.startDate;
      seen.end = seen.end === null || r.endDate === null ? null : seen.end > r.endDate ? seen.end : r.endDate;
    }
  }
  if (out.size === 0) out.set('', { organisation: '', start: null, end: null });
  return [...out.values()];
}

/** A map's entries in the order of their keys (compared as keys: sorting the pairs would compare strings of both). */
export function sortedByKey<V>(m: Map<string, V>): [string, V][] {
  return [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
