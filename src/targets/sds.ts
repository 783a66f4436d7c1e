/**
 * Microsoft School Data Sync, CSV format v2.1: orgs.csv, users.csv, roles.csv (required), classes.csv and
 * enrollments.csv (the classes), academicSessions.csv (the school year the classes belong to). Headers
 * exactly as Microsoft's samples (fixtures/microsoft-sds/v2.1). Values: ids as text, dates YYYY-MM-DD,
 * booleans true/false, roles `teacher` (staff) and `student` (an account without a role too: the least
 * rights). The tussenvoegsel is in familyName ("de Vries"): SDS has no field for it.
 */
import type { OutputSet } from './output.js';
import { familyWithPrefix, FOUNDATION, Roster, schoolYear, sortedByKey, userName } from './files.js';
import type { AccountWriter, HubAccount } from './types.js';

export const SDS_HEADERS = {
  'orgs.csv': ['sourcedId', 'name', 'type', 'parentSourcedId'],
  'users.csv': ['sourcedId', 'username', 'givenName', 'familyName', 'password', 'activeDirectoryMatchId', 'email', 'phone', 'sms'],
  'roles.csv': ['userSourcedId', 'orgSourcedId', 'role', 'sessionSourcedId', 'grade', 'isPrimary', 'roleStartDate', 'roleEndDate'],
  'classes.csv': ['sourcedId', 'orgSourcedId', 'title', 'sessionSourcedIds', 'courseSourcedId'],
  'enrollments.csv': ['classSourcedId', 'userSourcedId', 'role'],
  'academicSessions.csv': ['sourcedId', 'title', 'type', 'schoolYear', 'startDate', 'endDate'],
} as const;

export function sdsRole(role: HubAccount['role']): 'teacher' | 'student' {
  return role === 'staff' ? 'teacher' : 'student';
}

/** Writes the active accounts in SDS v2.1, as they are handed over one by one, in id order. */
export function sdsWriter(out: OutputSet, today: string): AccountWriter {
  const users = out.table('users.csv', SDS_HEADERS['users.csv']);
  const roles = out.table('roles.csv', SDS_HEADERS['roles.csv']);
  const enrollments = out.table('enrollments.csv', SDS_HEADERS['enrollments.csv']);
  const roster = new Roster();
  return {
    add(a: HubAccount): void {
      const place = roster.place(a);
      if (place === undefined) return;
      const id = String(a.id);
      users.row([id, userName(a), a.givenName, familyWithPrefix(a), '', '', a.email, '', '']);
      const role = sdsRole(a.role);
      place.schools.forEach((s, i) => roles.row([id, s.id, role, '', '', i === 0 ? 'true' : 'false', s.start, s.end]));
      for (const c of place.classes) enrollments.row([c.id, id, role]);
    },
    finish(): void {
      const orgTable = out.table('orgs.csv', SDS_HEADERS['orgs.csv']);
      for (const [id, name] of sortedByKey(roster.orgs)) orgTable.row([id, name, id === FOUNDATION.id ? 'district' : 'school', '']);
      const year = schoolYear(today);
      const classTable = out.table('classes.csv', SDS_HEADERS['classes.csv']);
      for (const [id, c] of sortedByKey(roster.classes)) classTable.row([id, c.org, c.title, year.id, '']);
      out.table('academicSessions.csv', SDS_HEADERS['academicSessions.csv']).row([year.id, year.title, 'schoolYear', year.year, year.start, year.end]);
    },
  };
}
