/**
 * Microsoft School Data Sync, CSV format v2.1: orgs.csv, users.csv, roles.csv (required), classes.csv and
 * enrollments.csv (the classes), academicSessions.csv (the school year the classes belong to). Headers
 * exactly as Microsoft's samples (fixtures/microsoft-sds/v2.1). Values: ids as text, dates YYYY-MM-DD,
 * booleans true/false, roles `teacher` (staff) and `student` (an account without a role too: the least
 * rights). The tussenvoegsel is in familyName ("de Vries"): SDS has no field for it.
 */
import type { OutputSet } from './output.js';
import { familyWithPrefix, FOUNDATION, Roster, schoolYear, userName } from './files.js';
import type { AccountWriter } from './types.js';

export const SDS_HEADERS = {
  'orgs.csv': ['sourcedId', 'name', 'type', 'parentSourcedId'],
  'users.csv': ['sourcedId', 'username', 'givenName', 'familyName', 'password', 'activeDirectoryMatchId', 'email', 'phone', 'sms'],
  'roles.csv': ['userSourcedId', 'orgSourcedId', 'role', 'sessionSourcedId', 'grade', 'isPrimary', 'roleStartDate', 'roleEndDate'],
  'classes.csv': ['sourcedId', 'orgSourcedId', 'title', 'sessionSourcedIds', 'courseSourcedId'],
  'enrollments.csv': ['classSourcedId', 'userSourcedId', 'role'],
  'academicSessions.csv': ['sourcedId', 'title', 'type', 'schoolYear', 'startDate', 'endDate'],
} as const;

/** Writes the active accounts in SDS v2.1, as they are handed over one by one, in id order. */
export function sdsWriter(out: OutputSet, today: string): AccountWriter {
  const users = out.table('users.csv', SDS_HEADERS['users.csv']);
  const roles = out.table('roles.csv', SDS_HEADERS['roles.csv']);
  const enrollments = out.table('enrollments.csv', SDS_HEADERS['enrollments.csv']);
  // Each line written field by field into the file's buffer (sourcedIds, roles and booleans never need quotes).
  const roster = new Roster({
    user(a, id) {
      users.int(id).raw(',').field(userName(a)).raw(',').field(a.givenName).raw(',').field(familyWithPrefix(a)).raw(',,,').field(a.email).raw(',,').end();
    },
    school(id, role, org, primary, start, end) {
      roles
        .int(id)
        .raw(',')
        .raw(org)
        .raw(',')
        .raw(role)
        .raw(primary ? ',,,true,' : ',,,false,')
        .field(start)
        .raw(',')
        .field(end)
        .end();
    },
    enrolment(id, role, cls) {
      enrollments.raw(cls).raw(',').int(id).raw(',').raw(role).end();
    },
  });
  return {
    add: (a) => roster.add(a),
    catalog: () => roster.catalog(),
    absorb: (c) => roster.absorb(c),
    sort: () => void roster.sort(),
    share: (ids) => roster.share(ids),
    finish(): void {
      const orgTable = out.table('orgs.csv', SDS_HEADERS['orgs.csv']);
      const orgs = roster.orgList();
      for (let i = 0; i < orgs.length; i += 2) orgTable.row([orgs[i], orgs[i + 1], orgs[i] === FOUNDATION.id ? 'district' : 'school', '']);
      const year = schoolYear(today);
      const classTable = out.table('classes.csv', SDS_HEADERS['classes.csv']);
      // SourcedIds and the school year's id never need quotes; a class's title may.
      const classes = roster.classList();
      for (let i = 0; i < classes.length; i += 3)
        classTable
          .raw(classes[i])
          .raw(',')
          .raw(classes[i + 1])
          .raw(',')
          .field(classes[i + 2])
          .raw(',')
          .raw(year.id)
          .raw(',')
          .end();
      out.table('academicSessions.csv', SDS_HEADERS['academicSessions.csv']).row([year.id, year.title, 'schoolYear', year.year, year.start, year.end]);
    },
  };
}
