/**
 * Microsoft School Data Sync exports (formats `sds-v1`, `sds-v2.1`): a folder of CSV files, found by
 * name regardless of case. SDS has no tussenvoegsel: prefix stays '' and familyName is as written.
 * The column mapping (`--map`) does not apply to these fixed formats.
 *
 * sds-v1: School.csv, Section.csv, Student.csv, Teacher.csv, StudentEnrollment.csv, TeacherRoster.csv.
 *   One person per Student/Teacher row: externalId = SIS ID, givenName = First Name, familyName =
 *   Last Name, email = Username when it is an address, else Secondary Email. Relations: one row per
 *   section the person is in (organisation = the section's school, group = Section Name); a person
 *   without a section in the school of a row gets one row with that school and no group. A Status
 *   other than Active gives a row without a relation (not offered). Sections whose Status is not
 *   Active are left out.
 *
 * sds-v2.1: users.csv, orgs.csv, roles.csv (required), classes.csv and enrollments.csv (optional).
 *   externalId = sourcedId, email = email, else username when it is an address. Each role row is a
 *   relation with its organisation (org name) and roleStartDate/roleEndDate; a user's classes in that
 *   organisation (enrollments) are its groups, with the role's dates. A class in an organisation where
 *   the user has no role is a relation without dates. The role is staff when any role of the user is
 *   a staff role (teacher, administrator, …), else student. Users with only guardian, parent or
 *   relative roles, or none, are left out (no accounts of the foundation).
 */
import { msg } from '../i18n/message.js';
import { exportDate } from './dates.js';
import type { ProblemReader, ReaderOptions } from './problems.js';
import type { TableSource } from './csvtable.js';
import { addMembership, openFolder, personRow, progress, requireFiles, rosterRole, RosterTables, rosterUser, type RosterPerson } from './roster.js';
import type { ExportInfo, ExportRow } from './types.js';

function isActive(status: string): boolean {
  const s = status.trim();
  return s === '' || s.toLowerCase() === 'active';
}

const SDS_V1_FILES = {
  schools: ['School.csv', 'schools'],
  sections: ['Section.csv', 'sections'],
  students: ['Student.csv', 'students'],
  teachers: ['Teacher.csv', 'teachers'],
  enrollments: ['StudentEnrollment.csv', 'studentSections'],
  rosters: ['TeacherRoster.csv', 'teacherSections'],
} as const;

/** SDS v1, table by table: schools, sections, who is in which section, then the people. */
class SdsV1 extends RosterTables {
  private readonly files = requireFiles(this.ex, SDS_V1_FILES);
  /** School SIS ID -> name. */
  private readonly schools = new Map<string, string>();
  private readonly sections = new Map<string, { name: string; school: string }>();
  private readonly inactiveSections = new Set<string>();
  /** Person SIS ID -> section SIS IDs. */
  private readonly memberships = new Map<string, string[]>();
  /** The SIS IDs of Student.csv and Teacher.csv. */
  private readonly seen = new Set<string>();
  private notActive = 0;

  async readAll(onRow: (row: ExportRow) => void): Promise<ExportInfo> {
    await this.readSchools();
    await this.readSections();
    for (const file of [this.files.enrollments, this.files.rosters]) await this.readMemberships(file);
    await this.readPeople(this.files.students, 'student', onRow);
    await this.readPeople(this.files.teachers, 'staff', onRow);
    if (this.notActive > 0) this.warnings.push(msg('readPeopleNotActive', { n: this.notActive }));
    let strangers = 0;
    for (const id of this.memberships.keys()) if (!this.seen.has(id)) strangers++;
    if (strangers > 0) this.warnings.push(msg('readSectionStrangers', { n: strangers }));
    return this.info('sds-v1', await this.ex.checksum(), false);
  }

  private async readSchools(): Promise<void> {
    const file = this.files.schools;
    await this.read(file, ['SIS ID', 'Name'], [], (get, line) => {
      const id = get('SIS ID').trim();
      if (this.schools.has(id)) this.problem(file.file, line, msg('readSchoolTwice', { id }));
      else this.schools.set(id, get('Name').trim());
    });
  }

  private async readSections(): Promise<void> {
    const file = this.files.sections;
    await this.read(file, ['SIS ID', 'School SIS ID', 'Section Name'], ['Status'], (get, line) => {
      const id = get('SIS ID').trim();
      if (!isActive(get('Status'))) {
        this.inactiveSections.add(id);
        return;
      }
      const school = this.schools.get(get('School SIS ID').trim());
      if (school === undefined) this.problem(file.file, line, this.notIn('School SIS ID', get('School SIS ID').trim(), this.files.schools));
      else this.sections.set(id, { name: get('Section Name').trim(), school });
    });
    const n = this.inactiveSections.size;
    if (n > 0) this.warnings.push(msg('readSectionsInactive', { n }));
  }

  private async readMemberships(file: TableSource): Promise<void> {
    await this.read(file, ['Section SIS ID', 'SIS ID'], [], (get, line) => {
      const section = get('Section SIS ID').trim();
      if (!this.sections.has(section)) {
        if (!this.inactiveSections.has(section)) this.problem(file.file, line, this.notIn('Section SIS ID', section, this.files.sections));
        return;
      }
      const person = get('SIS ID').trim();
      if (!this.memberships.get(person)?.includes(section)) addMembership(this.memberships, person, section, file.file, line);
    });
  }

  /** One person per row: a row per section, and one for the school of the row when no section is in it. */
  private async readPeople(file: TableSource, role: 'student' | 'staff', onRow: (row: ExportRow) => void): Promise<void> {
    const required = ['SIS ID', 'School SIS ID', 'First Name', 'Last Name'] as const;
    await this.read(file, required, ['Username', 'Secondary Email', 'Status'], (get, line) => {
      const id = get('SIS ID');
      const username = get('Username').trim();
      const p: RosterPerson = {
        externalId: id,
        givenName: get('First Name'),
        familyName: get('Last Name'),
        email: username.includes('@') ? username : get('Secondary Email').trim(),
        role,
        file: file.file,
        line,
      };
      this.seen.add(id.trim());
      if (!isActive(get('Status'))) {
        this.notActive++;
        onRow(personRow(p));
        return;
      }
      const schoolId = get('School SIS ID').trim();
      const school = this.schools.get(schoolId);
      if (school === undefined) {
        this.problem(file.file, line, this.notIn('School SIS ID', schoolId, this.files.schools));
        return;
      }
      let inSchool = false;
      for (const s of this.memberships.get(id.trim()) ?? []) {
        const section = this.sections.get(s)!;
        if (section.school === school) inSchool = true;
        onRow(personRow(p, section.school, section.name));
      }
      if (!inSchool) onRow(personRow(p, school));
    });
  }
}

export const readSdsV1: ProblemReader = async (path, settings, onRow, opts?: ReaderOptions) => {
  return new SdsV1(await openFolder(path), settings, opts).readAll(progress(onRow, opts));
};

type RosterRole = 'staff' | 'student';

interface Role {
  org: string;
  start: string;
  end: string;
  role: RosterRole;
}

const SDS_V21_FILES = {
  users: ['users.csv', 'users'],
  orgs: ['orgs.csv', 'organisations'],
  roles: ['roles.csv', 'userOrganisations'],
} as const;

/** SDS v2.1, table by table: organisations, classes, roles, enrollments, then the users. */
class SdsV21 extends RosterTables {
  private readonly files = requireFiles(this.ex, SDS_V21_FILES);
  /** Both or neither: without them there are no groups. */
  private readonly classesFile = this.ex.files.get('classes.csv');
  private readonly enrollmentsFile = this.ex.files.get('enrollments.csv');
  /** sourcedId -> name. */
  private readonly orgs = new Map<string, string>();
  private readonly classes = new Map<string, { title: string; org: string }>();
  private readonly roles = new Map<string, Role[]>();
  private readonly unknownRoles = new Set<string>();
  private readonly enrollments = new Map<string, { cls: string; role: RosterRole | null | undefined }[]>();

  async readAll(onRow: (row: ExportRow) => void): Promise<ExportInfo> {
    const { classesFile, enrollmentsFile } = this;
    const grouped = classesFile !== undefined && enrollmentsFile !== undefined;
    if (!grouped) this.warnings.push(msg('readNoClasses'));
    await this.read(this.files.orgs, ['sourcedId', 'name'], [], (get) => {
      this.orgs.set(get('sourcedId').trim(), get('name').trim());
    });
    if (grouped) await this.readClasses(classesFile);
    await this.readRoles();
    if (grouped) await this.readEnrollments(enrollmentsFile, classesFile);
    await this.readUsers(onRow);
    if (this.unknownRoles.size > 0) this.warnings.push(msg('readRolesUnknown', { roles: [...this.unknownRoles] }));
    return this.info('sds-v2.1', await this.ex.checksum(), false);
  }

  private async readClasses(file: TableSource): Promise<void> {
    await this.read(file, ['sourcedId', 'orgSourcedId', 'title'], [], (get, line) => {
      const org = get('orgSourcedId').trim();
      if (!this.orgs.has(org)) this.problem(file.file, line, this.notIn('orgSourcedId', org, this.files.orgs));
      else this.classes.set(get('sourcedId').trim(), { title: get('title').trim(), org });
    });
  }

  private async readRoles(): Promise<void> {
    const file = this.files.roles.file;
    await this.read(this.files.roles, ['userSourcedId', 'orgSourcedId', 'role'], ['roleStartDate', 'roleEndDate'], (get, line) => {
      const r = rosterRole(get('role'));
      if (r === undefined) this.unknownRoles.add(get('role').trim());
      if (r === undefined || r === null) return;
      const org = get('orgSourcedId').trim();
      if (!this.orgs.has(org)) {
        this.problem(file, line, this.notIn('orgSourcedId', org, this.files.orgs));
        return;
      }
      const role: Role = {
        org,
        start: exportDate(get('roleStartDate'), null, file, line, 'roleStartDate'),
        end: exportDate(get('roleEndDate'), null, file, line, 'roleEndDate'),
        role: r,
      };
      addMembership(this.roles, get('userSourcedId').trim(), role, file, line);
    });
  }

  private async readEnrollments(file: TableSource, classesFile: TableSource): Promise<void> {
    await this.read(file, ['classSourcedId', 'userSourcedId'], ['role'], (get, line) => {
      const cls = get('classSourcedId').trim();
      if (!this.classes.has(cls)) this.problem(file.file, line, this.notIn('classSourcedId', cls, classesFile));
      else addMembership(this.enrollments, get('userSourcedId').trim(), { cls, role: rosterRole(get('role')) }, file.file, line);
    });
  }

  private async readUsers(onRow: (row: ExportRow) => void): Promise<void> {
    const file = this.files.users;
    let skipped = 0;
    await this.read(file, ['sourcedId', 'givenName', 'familyName'], ['username', 'email'], (get, line) => {
      const id = get('sourcedId').trim();
      const role = this.roleOf(id);
      if (role === null) skipped++;
      else this.userRows(rosterUser(get, role, file.file, line), onRow);
    });
    if (skipped > 0) this.warnings.push(msg('readUsersWithoutRole', { n: skipped }));
  }

  /** Staff when any role or enrollment says so, else student when one says that; null: no account. */
  private roleOf(id: string): RosterRole | null {
    let role: RosterRole | null = null;
    for (const r of this.roles.get(id) ?? []) if (role !== 'staff') role = r.role;
    for (const e of this.enrollments.get(id) ?? []) if (role !== 'staff' && (e.role === 'staff' || e.role === 'student')) role = e.role;
    return role;
  }

  /**
   * A row per role with each of the user's classes in its organisation (or one without a group), then
   * a row per class in an organisation where the user has no role; a user with neither gets one row.
   */
  private userRows(p: RosterPerson, onRow: (row: ExportRow) => void): void {
    const userRoles = this.roles.get(p.externalId) ?? [];
    const userClasses = this.enrollments.get(p.externalId) ?? [];
    const placed = new Set<number>();
    for (const r of userRoles) {
      const org = this.orgs.get(r.org)!;
      let grouped = false;
      userClasses.forEach((e, i) => {
        const cls = this.classes.get(e.cls)!;
        if (cls.org !== r.org) return;
        grouped = true;
        placed.add(i);
        onRow(personRow(p, org, cls.title, r.start, r.end));
      });
      if (!grouped) onRow(personRow(p, org, '', r.start, r.end));
    }
    userClasses.forEach((e, i) => {
      if (placed.has(i)) return;
      const cls = this.classes.get(e.cls)!;
      onRow(personRow(p, this.orgs.get(cls.org), cls.title));
    });
    if (userRoles.length === 0 && userClasses.length === 0) onRow(personRow(p));
  }
}

export const readSdsV21: ProblemReader = async (path, settings, onRow, opts?: ReaderOptions) => {
  return new SdsV21(await openFolder(path), settings, opts).readAll(progress(onRow, opts));
};
