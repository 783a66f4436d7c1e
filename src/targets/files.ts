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
  return {
    id: `sy-${first}-${first + 1}`,
    title: `Schooljaar ${first}-${first + 1}`,
    start: `${first}-08-01`,
    end: `${first + 1}-07-31`,
    year: String(first + 1),
  };
}

/** The relations as a file account's hash covers them (relation by relation: school, class, dates). */
export function relationsText(relations: readonly HubRelation[]): string {
  let s = '';
  for (const r of relations) s += '\x1e' + r.organisation + '\x1f' + r.group + '\x1f' + (r.startDate ?? '') + '\x1f' + (r.endDate ?? '');
  return s;
}

/** What a file target holds for an account: attributes and relations (the hash of a file account). */
export function describeFileAccount(a: HubAccount): string {
  return a.givenName + '\x1f' + a.prefix + '\x1f' + a.familyName + '\x1f' + a.email + '\x1f' + a.role + (a.relationsText ?? relationsText(a.relations));
}

/** A user's schools, each with the widest dates of its relations there (null: open). */
export function schoolsOf(relations: readonly HubRelation[]): { organisation: string; start: string | null; end: string | null }[] {
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

/** Where an account is placed in a roster file: its schools (the first is its primary one) and its classes. */
export interface Placement {
  /** sourcedId of the school, and the widest dates of the account's relations there ('' open). */
  schools: { id: string; start: string; end: string }[];
  /** The schools' sourcedIds, comma-separated (OneRoster's orgSourcedIds). */
  schoolIds: string;
  /** sourcedId of the class and of its school, and the relation's dates ('' open). */
  classes: { id: string; org: string; start: string; end: string }[];
}

/**
 * The schools and classes of the accounts a roster writer (SDS, OneRoster) is handed, and each
 * account's place among them: the active accounts' part every such writer shares. An account's
 * placement is worked out once per relations array (accounts with the same relations share one,
 * src/store/targets.ts), not once per account.
 */
export class Roster {
  /** sourcedId → name ('' → the foundation's name). */
  readonly orgs = new Map<string, string>();
  readonly classes = new Map<string, { org: string; title: string }>();
  private readonly placed = new Map<readonly HubRelation[], Placement>();

  /** The placement of an active account (undefined for a deleted one: absent from the files). */
  place(a: HubAccount): Placement | undefined {
    if (!a.active) return undefined;
    let p = this.placed.get(a.relations);
    if (p === undefined) {
      // Accounts with several links have arrays of their own: a bound, so that those do not pile up.
      if (this.placed.size >= 10_000) this.placed.clear();
      this.placed.set(a.relations, (p = this.placement(a.relations)));
    }
    return p;
  }

  private placement(relations: readonly HubRelation[]): Placement {
    const schools = schoolsOf(relations).map((s) => {
      const id = orgId(s.organisation);
      if (!this.orgs.has(id)) this.orgs.set(id, s.organisation === '' ? FOUNDATION.name : s.organisation);
      return { id, start: s.start ?? '', end: s.end ?? '' };
    });
    const classes: Placement['classes'] = [];
    for (const r of relations) {
      if (r.group === '') continue;
      const id = classId(r.organisation, r.group);
      const org = orgId(r.organisation);
      // Only a class not seen before gets an entry: most are named by many accounts.
      if (!this.classes.has(id)) this.classes.set(id, { org, title: r.group });
      classes.push({ id, org, start: r.startDate ?? '', end: r.endDate ?? '' });
    }
    return { schools, schoolIds: schools.map((x) => x.id).join(','), classes };
  }
}

/** A map's entries in the order of their keys (compared as keys: sorting the pairs would compare strings of both). */
export function sortedByKey<V>(m: Map<string, V>): [string, V][] {
  return [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
