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
import { invalidExport } from '../errors.js';
import { exportDate } from './dates.js';
import type { TableInfo } from './csvtable.js';
import { report, type ProblemReader, type ReaderOptions } from './problems.js';
import { addMembership, openFolder, personRow, readRosterTable, requireFile, rosterRole, rosterUser, type RosterExport, type RosterPerson } from './roster.js';
import type { ExportInfo, ExportRow, ReaderSettings, SourceFormat } from './types.js';

function counted(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function info(format: SourceFormat, ex: RosterExport, checksum: string, tables: TableInfo[], settings: ReaderSettings, warnings: string[]): ExportInfo {
  if (Object.keys(settings.map).length > 0) warnings.unshift(`--map is ignored: ${format} has fixed column names`);
  for (const t of tables) warnings.push(...t.warnings);
  const enc = tables.find((t) => t.encoding === 'windows-1252') ? 'windows-1252' : 'utf-8';
  return {
    path: ex.path,
    checksum,
    detected: { format, encoding: enc, bom: tables.some((t) => t.bom), files: ex.names },
    partial: false,
    warnings,
  };
}

/** Counts rows for onProgress. */
function progress(onRow: (row: ExportRow) => void, opts: ReaderOptions | undefined): (row: ExportRow) => void {
  let rows = 0;
  const onProgress = opts?.onProgress;
  if (onProgress === undefined) return onRow;
  return (row) => {
    onRow(row);
    if (++rows % 10000 === 0) onProgress(rows);
  };
}

export const readSdsV1: ProblemReader = async (path, settings, onRowIn, opts?: ReaderOptions) => {
  const onRow = progress(onRowIn, opts);
  const ex = await openFolder(path);
  const schoolFile = requireFile(ex, 'School.csv', 'the schools');
  const sectionFile = requireFile(ex, 'Section.csv', 'the sections');
  const studentFile = requireFile(ex, 'Student.csv', 'the students');
  const teacherFile = requireFile(ex, 'Teacher.csv', 'the teachers');
  const enrollmentFile = requireFile(ex, 'StudentEnrollment.csv', "the students' sections");
  const rosterFile = requireFile(ex, 'TeacherRoster.csv', "the teachers' sections");
  const warnings: string[] = [];
  const tables: TableInfo[] = [];

  const schools = new Map<string, string>();
  tables.push(
    await readRosterTable(schoolFile, settings, ['SIS ID', 'Name'], [], (get, line) => {
      const id = get('SIS ID').trim();
      if (schools.has(id)) report(opts, invalidExport(schoolFile.file, line, `school SIS ID ${id} appears twice`));
      else schools.set(id, get('Name').trim());
    }, opts),
  );

  const sections = new Map<string, { name: string; school: string }>();
  const inactiveSections = new Set<string>();
  tables.push(
    await readRosterTable(sectionFile, settings, ['SIS ID', 'School SIS ID', 'Section Name'], ['Status'], (get, line) => {
      const id = get('SIS ID').trim();
      const status = get('Status').trim();
      if (status !== '' && status.toLowerCase() !== 'active') {
        inactiveSections.add(id);
        return;
      }
      const school = schools.get(get('School SIS ID').trim());
      if (school === undefined) {
        report(opts, invalidExport(sectionFile.file, line, `School SIS ID ${get('School SIS ID').trim()} is not in ${schoolFile.file}`));
        return;
      }
      sections.set(id, { name: get('Section Name').trim(), school });
    }, opts),
  );
  if (inactiveSections.size > 0) warnings.push(`${counted(inactiveSections.size, 'section', 'sections')} not Active left out`);

  const memberships = new Map<string, string[]>();
  for (const file of [enrollmentFile, rosterFile]) {
    tables.push(
      await readRosterTable(file, settings, ['Section SIS ID', 'SIS ID'], [], (get, line) => {
        const section = get('Section SIS ID').trim();
        if (!sections.has(section)) {
          if (!inactiveSections.has(section)) report(opts, invalidExport(file.file, line, `Section SIS ID ${section} is not in ${sectionFile.file}`));
          return;
        }
        const person = get('SIS ID').trim();
        if (!memberships.get(person)?.includes(section)) addMembership(memberships, person, section, file.file, line);
      }, opts),
    );
  }

  const seen = new Set<string>();
  const notActive = { n: 0 };
  for (const [file, role] of [
    [studentFile, 'student'],
    [teacherFile, 'staff'],
  ] as const) {
    tables.push(
      await readRosterTable(
        file,
        settings,
        ['SIS ID', 'School SIS ID', 'First Name', 'Last Name'],
        ['Username', 'Secondary Email', 'Status'],
        (get, line) => {
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
          seen.add(id.trim());
          const status = get('Status').trim();
          if (status !== '' && status.toLowerCase() !== 'active') {
            notActive.n++;
            onRow(personRow(p));
            return;
          }
          const schoolId = get('School SIS ID').trim();
          const school = schools.get(schoolId);
          if (school === undefined) {
            report(opts, invalidExport(file.file, line, `School SIS ID ${schoolId} is not in ${schoolFile.file}`));
            return;
          }
          let inSchool = false;
          for (const s of memberships.get(id.trim()) ?? []) {
            const section = sections.get(s)!;
            if (section.school === school) inSchool = true;
            onRow(personRow(p, section.school, section.name));
          }
          if (!inSchool) onRow(personRow(p, school));
        },
        opts,
      ),
    );
  }
  if (notActive.n > 0) warnings.push(`${counted(notActive.n, 'person is', 'people are')} not Active (no relation)`);
  let strangers = 0;
  for (const id of memberships.keys()) if (!seen.has(id)) strangers++;
  if (strangers > 0) warnings.push(`sections name ${counted(strangers, 'SIS ID', 'SIS IDs')} that are in neither Student.csv nor Teacher.csv`);
  return info('sds-v1', ex, await ex.checksum(), tables, settings, warnings);
};

interface Role {
  org: string;
  start: string;
  end: string;
  role: 'staff' | 'student';
}

export const readSdsV21: ProblemReader = async (path, settings, onRowIn, opts?: ReaderOptions) => {
  const onRow = progress(onRowIn, opts);
  const ex = await openFolder(path);
  const usersFile = requireFile(ex, 'users.csv', 'the users');
  const orgsFile = requireFile(ex, 'orgs.csv', 'the organisations');
  const rolesFile = requireFile(ex, 'roles.csv', "the users' organisations");
  const classesFile = ex.files.get('classes.csv');
  const enrollmentsFile = ex.files.get('enrollments.csv');
  const warnings: string[] = [];
  const tables: TableInfo[] = [];
  if (classesFile === undefined || enrollmentsFile === undefined) warnings.push('no classes.csv or enrollments.csv: no groups');

  const orgs = new Map<string, string>();
  tables.push(
    await readRosterTable(orgsFile, settings, ['sourcedId', 'name'], [], (get) => {
      orgs.set(get('sourcedId').trim(), get('name').trim());
    }, opts),
  );

  const classes = new Map<string, { title: string; org: string }>();
  if (classesFile !== undefined && enrollmentsFile !== undefined) {
    tables.push(
      await readRosterTable(classesFile, settings, ['sourcedId', 'orgSourcedId', 'title'], [], (get, line) => {
        const org = get('orgSourcedId').trim();
        if (!orgs.has(org)) {
          report(opts, invalidExport(classesFile.file, line, `orgSourcedId ${org} is not in ${orgsFile.file}`));
          return;
        }
        classes.set(get('sourcedId').trim(), { title: get('title').trim(), org });
      }, opts),
    );
  }

  const unknownRoles = new Set<string>();
  const roles = new Map<string, Role[]>();
  tables.push(
    await readRosterTable(
      rolesFile,
      settings,
      ['userSourcedId', 'orgSourcedId', 'role'],
      ['roleStartDate', 'roleEndDate'],
      (get, line) => {
        const r = rosterRole(get('role'));
        if (r === undefined) unknownRoles.add(get('role').trim());
        if (r === undefined || r === null) return;
        const org = get('orgSourcedId').trim();
        if (!orgs.has(org)) {
          report(opts, invalidExport(rolesFile.file, line, `orgSourcedId ${org} is not in ${orgsFile.file}`));
          return;
        }
        const role: Role = {
          org,
          start: exportDate(get('roleStartDate'), null, rolesFile.file, line, 'roleStartDate'),
          end: exportDate(get('roleEndDate'), null, rolesFile.file, line, 'roleEndDate'),
          role: r,
        };
        addMembership(roles, get('userSourcedId').trim(), role, rolesFile.file, line);
      },
      opts,
    ),
  );

  const enrollments = new Map<string, { cls: string; role: 'staff' | 'student' | null | undefined }[]>();
  if (classesFile !== undefined && enrollmentsFile !== undefined) {
    tables.push(
      await readRosterTable(enrollmentsFile, settings, ['classSourcedId', 'userSourcedId'], ['role'], (get, line) => {
        const cls = get('classSourcedId').trim();
        if (!classes.has(cls)) {
          report(opts, invalidExport(enrollmentsFile.file, line, `classSourcedId ${cls} is not in ${classesFile.file}`));
          return;
        }
        addMembership(enrollments, get('userSourcedId').trim(), { cls, role: rosterRole(get('role')) }, enrollmentsFile.file, line);
      }, opts),
    );
  }

  let skipped = 0;
  tables.push(
    await readRosterTable(usersFile, settings, ['sourcedId', 'givenName', 'familyName'], ['username', 'email'], (get, line) => {
      const id = get('sourcedId').trim();
      const userRoles = roles.get(id) ?? [];
      const userClasses = enrollments.get(id) ?? [];
      let role: 'staff' | 'student' | null = null;
      for (const r of userRoles) if (role !== 'staff') role = r.role;
      for (const e of userClasses) if (role !== 'staff' && (e.role === 'staff' || e.role === 'student')) role = e.role;
      if (role === null) {
        skipped++;
        return;
      }
      const p: RosterPerson = rosterUser(get, role, usersFile.file, line);
      let any = false;
      const placed = new Set<number>();
      for (const r of userRoles) {
        const org = orgs.get(r.org)!;
        let grouped = false;
        userClasses.forEach((e, i) => {
          const cls = classes.get(e.cls)!;
          if (cls.org !== r.org) return;
          grouped = true;
          placed.add(i);
          onRow(personRow(p, org, cls.title, r.start, r.end));
        });
        if (!grouped) onRow(personRow(p, org, '', r.start, r.end));
        any = true;
      }
      userClasses.forEach((e, i) => {
        if (placed.has(i)) return;
        const cls = classes.get(e.cls)!;
        onRow(personRow(p, orgs.get(cls.org), cls.title));
        any = true;
      });
      if (!any) onRow(personRow(p));
    }, opts),
  );
  if (skipped > 0) warnings.push(`${counted(skipped, 'user', 'users')} without a student or staff role (guardians, parents) left out`);
  if (unknownRoles.size > 0) warnings.push(`roles not known, left out: ${[...unknownRoles].join(', ')}`);
  return info('sds-v2.1', ex, await ex.checksum(), tables, settings, warnings);
};
