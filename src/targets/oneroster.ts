/**
 * OneRoster 1.1 CSV (1EdTech), bulk: manifest.csv, orgs.csv, users.csv, academicSessions.csv,
 * courses.csv, classes.csv, enrollments.csv, with the column sets of the 1.1 CSV binding. Values: status
 * and dateLastModified empty (allowed in a bulk file), booleans `true`/`false`, dates YYYY-MM-DD, roles
 * `teacher` (staff) and `student` (an account without a role too: the least rights). Schools hang under
 * the foundation (a district). The tussenvoegsel is in familyName ("de Vries"), as Dutch OneRoster
 * exports write it; middleName stays empty (it means further given names).
 */
import type { OutputSet } from './output.js';
import { familyWithPrefix, FOUNDATION, Roster, schoolYear, userName } from './files.js';
import type { AccountWriter } from './types.js';

export const ONEROSTER_HEADERS = {
  'manifest.csv': ['propertyName', 'value'],
  'orgs.csv': ['sourcedId', 'status', 'dateLastModified', 'name', 'type', 'identifier', 'parentSourcedId'],
  'users.csv': [
    'sourcedId',
    'status',
    'dateLastModified',
    'enabledUser',
    'orgSourcedIds',
    'role',
    'username',
    'userIds',
    'givenName',
    'familyName',
    'middleName',
    'identifier',
    'email',
    'sms',
    'phone',
    'agentSourcedIds',
    'grades',
    'password',
  ],
  'academicSessions.csv': ['sourcedId', 'status', 'dateLastModified', 'title', 'type', 'startDate', 'endDate', 'parentSourcedId', 'schoolYear'],
  'courses.csv': [
    'sourcedId',
    'status',
    'dateLastModified',
    'schoolYearSourcedId',
    'title',
    'courseCode',
    'grades',
    'orgSourcedId',
    'subjects',
    'subjectCodes',
  ],
  'classes.csv': [
    'sourcedId',
    'status',
    'dateLastModified',
    'title',
    'grades',
    'courseSourcedId',
    'classCode',
    'classType',
    'location',
    'schoolSourcedId',
    'termSourcedIds',
    'subjects',
    'subjectCodes',
    'periods',
  ],
  'enrollments.csv': [
    'sourcedId',
    'status',
    'dateLastModified',
    'classSourcedId',
    'schoolSourcedId',
    'userSourcedId',
    'role',
    'primary',
    'beginDate',
    'endDate',
  ],
} as const;

/** The files OneRoster 1.1 knows, and whether this export holds them (manifest.csv). */
const MANIFEST_FILES = [
  'academicSessions',
  'categories',
  'classes',
  'classResources',
  'courses',
  'courseResources',
  'demographics',
  'enrollments',
  'lineItems',
  'orgs',
  'resources',
  'results',
  'users',
];
const WRITTEN = new Set(['academicSessions', 'classes', 'courses', 'enrollments', 'orgs', 'users']);

/** Writes the active accounts as a OneRoster 1.1 bulk export, as they are handed over one by one. */
export function oneRosterWriter(out: OutputSet, today: string): AccountWriter {
  // The manifest comes first in a .zip; its rows are written by finish(), as every row not of an account.
  const manifest = out.table('manifest.csv', ONEROSTER_HEADERS['manifest.csv']);
  const users = out.table('users.csv', ONEROSTER_HEADERS['users.csv']);
  const enrollments = out.table('enrollments.csv', ONEROSTER_HEADERS['enrollments.csv']);
  // Each line written field by field into the file's buffer (sourcedIds, roles and booleans never need quotes).
  const roster = new Roster({
    user(a, id, role, schools) {
      users.int(id).raw(',,,true,').field(schools).raw(',').raw(role).raw(',').field(userName(a)).raw(',,').field(a.givenName).raw(',');
      users.field(familyWithPrefix(a)).raw(',,,').field(a.email).raw(',,,,,').end();
    },
    school() {},
    enrolment(id, role, cls, org, start, end) {
      enrollments.raw('enr-').raw(cls.slice(4)).raw('-').int(id).raw(',,,').raw(cls).raw(',').raw(org).raw(',').int(id).raw(',').raw(role);
      enrollments.raw(',false,').field(start).raw(',').field(end).end();
    },
  });
  return {
    add: (a) => roster.add(a),
    catalog: () => roster.catalog(),
    absorb: (c) => roster.absorb(c),
    sort: () => void roster.sort(),
    share: (ids) => roster.share(ids),
    finish(): void {
      manifest.row(['manifest.version', '1.0']);
      manifest.row(['oneroster.version', '1.1']);
      for (const f of MANIFEST_FILES) manifest.row([`file.${f}`, WRITTEN.has(f) ? 'bulk' : 'absent']);
      manifest.row(['source.systemName', 'basishub']);
      const orgTable = out.table('orgs.csv', ONEROSTER_HEADERS['orgs.csv']);
      orgTable.row([FOUNDATION.id, '', '', FOUNDATION.name, 'district', '', '']);
      const orgs = roster.orgList();
      for (let i = 0; i < orgs.length; i += 2) if (orgs[i] !== FOUNDATION.id) orgTable.row([orgs[i], '', '', orgs[i + 1], 'school', '', FOUNDATION.id]);
      const year = schoolYear(today);
      out
        .table('academicSessions.csv', ONEROSTER_HEADERS['academicSessions.csv'])
        .row([year.id, '', '', year.title, 'schoolYear', year.start, year.end, '', year.year]);
      const courses = out.table('courses.csv', ONEROSTER_HEADERS['courses.csv']);
      const classTable = out.table('classes.csv', ONEROSTER_HEADERS['classes.csv']);
      const classes = roster.classList();
      for (let i = 0; i < classes.length; i += 3) {
        const [id, org, title] = [classes[i], classes[i + 1], classes[i + 2]];
        const course = `crs-${id.slice(4)}`;
        courses.row([course, '', '', year.id, title, '', '', org, '', '']);
        classTable.row([id, '', '', title, '', course, '', 'homeroom', '', org, year.id, '', '', '']);
      }
    },
  };
}
