/**
 * What the file targets (SDS v2.1, OneRoster 1.1, plain CSV) share: stable ids for schools and classes,
 * the school year, and what the hash of an account covers.
 */
import { hash } from 'node:crypto';
import { FingerprintBuilder } from '../sources/record.js';
import type { HubAccount, HubRelation } from './types.js';

/** The foundation itself, for accounts that the hub knows no school of (a hand-made account). */
export const FOUNDATION = { id: 'org-basishub', name: 'basishub' };

function shortId(prefix: string, text: string): string {
  return `${prefix}-${hash('sha1', text, 'hex').slice(0, 12)}`;
}

/** A school's sourcedId: stable while its name is (the hub knows schools by name). */
export function orgId(organisation: string): string {
  return organisation === '' ? FOUNDATION.id : shortId('org', organisation);
}

/** A class's sourcedId: stable while its school's name and its group's are. */
export function classId(organisation: string, group: string): string {
  return shortId('cls', organisation + '\x1f' + group);
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

const FILE_FINGERPRINT = new FingerprintBuilder();

/**
 * The fingerprint a file account's hash is made from: that of describeFileAccount(a) followed by its
 * active flag, worked out piece by piece (a million accounts are spared joining each one's text).
 */
export function fileAccountFingerprint(a: HubAccount): number {
  return FILE_FINGERPRINT.reset()
    .add(a.givenName)
    .add('\x1f')
    .add(a.prefix)
    .add('\x1f')
    .add(a.familyName)
    .add('\x1f')
    .add(a.email)
    .add('\x1f')
    .add(a.role)
    .add(a.relationsText ?? relationsText(a.relations))
    .add(a.active ? '\x1f1' : '\x1f0')
    .value();
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

/** The role in a roster file: `teacher` (staff) or `student` (an account without a role too: the least rights). */
export type RosterRole = 'teacher' | 'student';

export function rosterRole(role: HubAccount['role']): RosterRole {
  return role === 'staff' ? 'teacher' : 'student';
}

/** Where an account with several relations is placed in a roster file: its schools (the first is its primary one) and its classes. */
interface Placement {
  /** sourcedId of the school, and the widest dates of the account's relations there ('' open). */
  schools: { id: string; start: string; end: string }[];
  /** The schools' sourcedIds, comma-separated (OneRoster's orgSourcedIds). */
  schoolIds: string;
  /** sourcedId of the class and of its school, and the relation's dates ('' open). */
  classes: { id: string; org: string; start: string; end: string }[];
}

/** The rows a roster writer (SDS, OneRoster) makes of an active account (`id`: its sourcedId, the hub's id). */
export interface RosterRows {
  /** The account itself; `schoolIds`: its schools' sourcedIds, comma-separated, the primary one first. */
  user(a: HubAccount, id: number, role: RosterRole, schoolIds: string): void;
  /** One of its schools, with the widest dates of its relations there ('' open). */
  school(id: number, role: RosterRole, org: string, primary: boolean, start: string, end: string): void;
  /** One of its classes (and the class's school), with the relation's dates ('' open). */
  enrolment(id: number, role: RosterRole, cls: string, org: string, start: string, end: string): void;
}

/**
 * The schools and classes of the accounts a roster writer (SDS, OneRoster) is handed, and each
 * account's place among them: the active accounts' part every such writer shares. An account with one
 * relation (nearly all) is placed by two lookups by name (its school, then its class in the school); one
 * with several by working its schools out. A cache by the relation's text instead held some 100,000
 * texts at 1M and cost more memory and time than it saved (measured again with one lookup per account
 * by the text the store hands over: a third slower).
 * A school's and a class's id (a SHA-1) is made once, when the roster first meets it.
 */
export class Roster {
  /** sourcedId → name ('' → the foundation's name). */
  readonly orgs = new Map<string, string>();
  readonly classes = new Map<string, { org: string; title: string }>();
  /** By name: a school's sourcedId, and its classes' sourcedIds by group. */
  private readonly byName = new Map<string, { id: string; classes: Map<string, string> }>();

  constructor(private readonly rows: RosterRows) {}

  /** Hands the rows of an account to the writer (none for a deleted account: absent from the files). */
  add(a: HubAccount): void {
    if (!a.active) return;
    const id = a.id;
    const role = rosterRole(a.role);
    const rows = this.rows;
    if (a.relations.length === 1) {
      const r = a.relations[0];
      const school = this.school(r.organisation);
      const start = r.startDate ?? '';
      const end = r.endDate ?? '';
      rows.user(a, id, role, school.id);
      rows.school(id, role, school.id, true, start, end);
      if (r.group !== '') rows.enrolment(id, role, this.klass(school, r.organisation, r.group), school.id, start, end);
      return;
    }
    const p = this.placement(a.relations);
    rows.user(a, id, role, p.schoolIds);
    for (let i = 0; i < p.schools.length; i++) rows.school(id, role, p.schools[i].id, i === 0, p.schools[i].start, p.schools[i].end);
    for (const c of p.classes) rows.enrolment(id, role, c.id, c.org, c.start, c.end);
  }

  private school(organisation: string): { id: string; classes: Map<string, string> } {
    let s = this.byName.get(organisation);
    if (s === undefined) {
      s = { id: orgId(organisation), classes: new Map<string, string>() };
      this.byName.set(organisation, s);
      this.orgs.set(s.id, organisation === '' ? FOUNDATION.name : organisation);
    }
    return s;
  }

  private klass(school: { id: string; classes: Map<string, string> }, organisation: string, group: string): string {
    let id = school.classes.get(group);
    if (id === undefined) {
      id = classId(organisation, group);
      school.classes.set(group, id);
      this.classes.set(id, { org: school.id, title: group });
    }
    return id;
  }

  private placement(relations: readonly HubRelation[]): Placement {
    const schools = schoolsOf(relations).map((s) => ({ id: this.school(s.organisation).id, start: s.start ?? '', end: s.end ?? '' }));
    const classes: Placement['classes'] = [];
    for (const r of relations) {
      if (r.group === '') continue;
      const school = this.school(r.organisation);
      classes.push({ id: this.klass(school, r.organisation, r.group), org: school.id, start: r.startDate ?? '', end: r.endDate ?? '' });
    }
    return { schools, schoolIds: schools.map((x) => x.id).join(','), classes };
  }
}

/** A map's entries in the order of their keys (the keys sorted alone: comparing pairs costs more). */
export function sortedByKey<V>(m: Map<string, V>): [string, V][] {
  return [...m.keys()].sort().map((k) => [k, m.get(k)!]);
}
