/**
 * OneRoster 1.1 CSV exports (format `oneroster-1.1`, 1EdTech OneRoster v1.1 CSV binding): a folder,
 * or a .zip of it, with manifest.csv (`propertyName,value`: `oneroster.version`, `file.users` =
 * bulk | delta | absent, …), users.csv, orgs.csv, classes.csv and enrollments.csv.
 *
 * - One person per users.csv row with a student or staff role (teacher, administrator, aide,
 *   proctor); guardians, parents and relatives are left out (no accounts of the foundation).
 *   externalId = sourcedId; email = email, else username when it is an address.
 * - Tussenvoegsel: OneRoster has no field for it. Dutch OneRoster exports write it in front of the
 *   family name (`familyName` "de Vries"), and `middleName` holds further given names, if anything.
 *   We keep it simple: familyName is taken as written (with its tussenvoegsel), prefix stays '', and
 *   middleName is not used. (Splitting "de Vries" would guess wrong on names such as "De Boer".)
 * - Relations: one row per enrollment (organisation = the school's name, group = the class title,
 *   beginDate/endDate as relation dates), and one row without a group for each organisation in the
 *   user's orgSourcedIds where the user has no enrollment. A user with neither gets a row without a
 *   relation. `enabledUser` false also gives a row without a relation (not offered).
 * - Delta (`file.users` = delta): ExportInfo.partial is true: users not in the file keep their state.
 *   A user with status `tobedeleted` is a row without a relation (not offered); enrollments with
 *   status `tobedeleted` do not count. Limitation: a delta names only the enrollments that changed,
 *   so a changed user whose enrollments did not change gets only the relations of their
 *   orgSourcedIds (still offered, but without groups until the next bulk export); an org or class
 *   that a delta does not include is named by its sourcedId (with a warning).
 */
import { invalidExport } from '../errors.js';
import { exportDate } from './dates.js';
import type { TableInfo } from './csvtable.js';
import { pathKind } from './files.js';
import { report, type ProblemReader, type ReaderOptions } from './problems.js';
import { addMembership, openFolder, openZip, personRow, readRosterTable, requireFile, rosterRole, rosterUser, type RosterPerson } from './roster.js';
import type { ExportRow } from './types.js';

type Mode = 'bulk' | 'delta' | 'absent';

interface Enrollment {
  cls: string;
  school: string;
  begin: string;
  end: string;
}

export const readOneRoster: ProblemReader = async (path, settings, onRow, opts?: ReaderOptions) => {
  const ex = (await pathKind(path)) === 'folder' ? await openFolder(path) : await openZip(path);
  const warnings: string[] = [];
  const tables: TableInfo[] = [];
  if (Object.keys(settings.map).length > 0) warnings.push('--map is ignored: oneroster-1.1 has fixed column names');

  const manifestFile = requireFile(ex, 'manifest.csv', 'the OneRoster manifest');
  const manifest = new Map<string, string>();
  tables.push(
    await readRosterTable(manifestFile, settings, ['propertyName', 'value'], [], (get) => {
      manifest.set(get('propertyName').trim().toLowerCase(), get('value').trim());
    }, opts),
  );
  const version = manifest.get('oneroster.version');
  if (version !== undefined && version !== '1.1') {
    throw invalidExport(manifestFile.file, null, `oneroster.version is ${version}; this source reads OneRoster 1.1`);
  }
  const mode = (name: string): Mode => {
    const value = manifest.get(`file.${name.toLowerCase()}`);
    const present = ex.files.has(`${name.toLowerCase()}.csv`);
    if (value === undefined) {
      if (present) warnings.push(`manifest.csv does not say file.${name}: read as bulk`);
      return present ? 'bulk' : 'absent';
    }
    const m = value.toLowerCase();
    if (m !== 'bulk' && m !== 'delta' && m !== 'absent') {
      throw invalidExport(manifestFile.file, null, `file.${name} is "${value}": expected bulk, delta or absent`);
    }
    if (m !== 'absent' && !present) throw invalidExport(ex.path, null, `manifest.csv says file.${name} is ${m}, but there is no ${name}.csv`);
    return m;
  };
  const usersMode = mode('users');
  if (usersMode === 'absent') throw invalidExport(manifestFile.file, null, 'file.users is absent: the export holds no users');
  const partial = usersMode === 'delta';
  const orgsMode = mode('orgs');
  const classesMode = mode('classes');
  const enrollmentsMode = mode('enrollments');

  const orgs = new Map<string, string>();
  if (orgsMode !== 'absent') {
    tables.push(
      await readRosterTable(ex.files.get('orgs.csv')!, settings, ['sourcedId', 'name'], [], (get) => {
        orgs.set(get('sourcedId').trim(), get('name').trim());
      }, opts),
    );
  }
  const classes = new Map<string, { title: string; school: string }>();
  if (classesMode !== 'absent') {
    tables.push(
      await readRosterTable(ex.files.get('classes.csv')!, settings, ['sourcedId', 'title', 'schoolSourcedId'], [], (get) => {
        classes.set(get('sourcedId').trim(), { title: get('title').trim(), school: get('schoolSourcedId').trim() });
      }, opts),
    );
  }

  const enrollments = new Map<string, Enrollment[]>();
  if (enrollmentsMode !== 'absent') {
    const file = ex.files.get('enrollments.csv')!;
    tables.push(
      await readRosterTable(
        file,
        settings,
        ['classSourcedId', 'userSourcedId'],
        ['schoolSourcedId', 'status', 'beginDate', 'endDate'],
        (get, line) => {
          if (get('status').trim().toLowerCase() === 'tobedeleted') return;
          const cls = get('classSourcedId').trim();
          if (!classes.has(cls) && classesMode === 'bulk') {
            report(opts, invalidExport(file.file, line, `classSourcedId ${cls} is not in classes.csv`));
            return;
          }
          const e: Enrollment = {
            cls,
            school: get('schoolSourcedId').trim(),
            begin: exportDate(get('beginDate'), null, file.file, line, 'beginDate'),
            end: exportDate(get('endDate'), null, file.file, line, 'endDate'),
          };
          addMembership(enrollments, get('userSourcedId').trim(), e, file.file, line);
        },
        opts,
      ),
    );
  }

  const usersFile = requireFile(ex, 'users.csv', 'the users');
  const unknownIds = new Set<string>();
  const orgName = (id: string, line: number): string | null => {
    const name = orgs.get(id);
    if (name !== undefined) return name;
    if (orgsMode === 'bulk') {
      report(opts, invalidExport(usersFile.file, line, `organisation ${id} is not in orgs.csv`));
      return null;
    }
    unknownIds.add(id);
    return id;
  };
  let skipped = 0;
  let disabled = 0;
  let deleted = 0;
  let rows = 0;
  const unknownRoles = new Set<string>();
  const seen = new Set<string>();
  const emit = (row: ExportRow): void => {
    onRow(row);
    if (++rows % 10000 === 0) opts?.onProgress?.(rows);
  };
  tables.push(
    await readRosterTable(
      usersFile,
      settings,
      ['sourcedId', 'role', 'givenName', 'familyName'],
      ['status', 'enabledUser', 'orgSourcedIds', 'username', 'email'],
      (get, line) => {
        const role = rosterRole(get('role'));
        if (role === undefined) unknownRoles.add(get('role').trim());
        if (role === null || role === undefined) {
          skipped++;
          return;
        }
        const id = get('sourcedId').trim();
        seen.add(id);
        const p: RosterPerson = rosterUser(get, role, usersFile.file, line);
        if (get('status').trim().toLowerCase() === 'tobedeleted') {
          deleted++;
          emit(personRow(p));
          return;
        }
        if (get('enabledUser').trim().toLowerCase() === 'false') {
          disabled++;
          emit(personRow(p));
          return;
        }
        let any = false;
        const orgsWithClass = new Set<string>();
        for (const e of enrollments.get(id) ?? []) {
          const cls = classes.get(e.cls);
          if (cls === undefined) unknownIds.add(e.cls);
          const school = e.school || cls?.school || '';
          const org = school === '' ? '' : orgName(school, line);
          if (org === null) return;
          orgsWithClass.add(school);
          emit(personRow(p, org, cls?.title ?? e.cls, e.begin, e.end));
          any = true;
        }
        for (const raw of get('orgSourcedIds').split(',')) {
          const orgId = raw.trim();
          if (orgId === '' || orgsWithClass.has(orgId)) continue;
          const org = orgName(orgId, line);
          if (org === null) return;
          orgsWithClass.add(orgId);
          emit(personRow(p, org));
          any = true;
        }
        if (!any) emit(personRow(p));
      },
      opts,
    ),
  );
  if (skipped > 0) warnings.push(`${skipped} users without a student or staff role (guardians, parents) left out`);
  if (unknownRoles.size > 0) warnings.push(`roles not known, left out: ${[...unknownRoles].join(', ')}`);
  if (disabled > 0) warnings.push(`${disabled} users with enabledUser false (no relation)`);
  if (deleted > 0) warnings.push(`${deleted} users marked tobedeleted (no relation)`);
  if (unknownIds.size > 0) warnings.push(`not in this export, named by sourcedId: ${[...unknownIds].slice(0, 20).join(', ')}`);
  let strangers = 0;
  for (const id of enrollments.keys()) if (!seen.has(id)) strangers++;
  if (strangers > 0) {
    warnings.push(
      partial
        ? `enrollments of ${strangers} users who are not in this delta's users.csv: their groups change at the next bulk export`
        : `enrollments of ${strangers} users who are not in users.csv`,
    );
  }
  for (const t of tables) warnings.push(...t.warnings);
  return {
    path,
    checksum: await ex.checksum(),
    detected: {
      format: 'oneroster-1.1',
      encoding: tables.some((t) => t.encoding === 'windows-1252') ? 'windows-1252' : 'utf-8',
      bom: tables.some((t) => t.bom),
      files: ex.names,
    },
    partial,
    warnings,
  };
};
