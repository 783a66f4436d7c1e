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
import { msg } from '../i18n/message.js';
import { exportDate } from './dates.js';
import type { TableSource } from './csvtable.js';
import { pathKind } from './files.js';
import type { ProblemReader, ReaderOptions } from './problems.js';
import { addMembership, openFolder, openZip, personRow, progress, requireFile, rosterRole, RosterTables, rosterUser, type RosterPerson } from './roster.js';
import type { ExportInfo, ExportRow } from './types.js';

/** What manifest.csv says of a file: all of it (bulk), what changed (delta), or not in the export. */
type Mode = 'bulk' | 'delta' | 'absent';

interface Enrollment {
  cls: string;
  school: string;
  begin: string;
  end: string;
}

/** The people left out or kept without a relation, for the warnings. */
interface UserCounts {
  skipped: number;
  disabled: number;
  deleted: number;
}

/** A OneRoster export, table by table: the manifest, organisations, classes, enrollments, then the users. */
class OneRoster extends RosterTables {
  private readonly manifest = new Map<string, string>();
  private readonly orgs = new Map<string, string>();
  private readonly classes = new Map<string, { title: string; school: string }>();
  private readonly enrollments = new Map<string, Enrollment[]>();
  /** Orgs and classes named by an id that this (delta) export does not hold. */
  private readonly unknownIds = new Set<string>();
  private readonly unknownRoles = new Set<string>();
  /** The sourcedIds of users.csv. */
  private readonly seen = new Set<string>();
  private readonly counts: UserCounts = { skipped: 0, disabled: 0, deleted: 0 };
  private orgsMode: Mode = 'absent';

  async readAll(onRow: (row: ExportRow) => void): Promise<ExportInfo> {
    const manifestFile = requireFile(this.ex, 'manifest.csv', 'manifest');
    await this.readManifest(manifestFile);
    const usersMode = this.mode('users', manifestFile);
    if (usersMode === 'absent') throw invalidExport(manifestFile.file, null, msg('readNoUsers'));
    const partial = usersMode === 'delta';
    this.orgsMode = this.mode('orgs', manifestFile);
    const classesMode = this.mode('classes', manifestFile);
    const enrollmentsMode = this.mode('enrollments', manifestFile);
    if (this.orgsMode !== 'absent') {
      await this.read(this.ex.files.get('orgs.csv')!, ['sourcedId', 'name'], [], (get) => {
        this.orgs.set(get('sourcedId').trim(), get('name').trim());
      });
    }
    if (classesMode !== 'absent') {
      await this.read(this.ex.files.get('classes.csv')!, ['sourcedId', 'title', 'schoolSourcedId'], [], (get) => {
        this.classes.set(get('sourcedId').trim(), { title: get('title').trim(), school: get('schoolSourcedId').trim() });
      });
    }
    if (enrollmentsMode !== 'absent') await this.readEnrollments(this.ex.files.get('enrollments.csv')!, classesMode);
    await this.readUsers(requireFile(this.ex, 'users.csv', 'users'), onRow);
    this.summarise(partial);
    return this.info('oneroster-1.1', await this.ex.checksum(), partial);
  }

  private async readManifest(file: TableSource): Promise<void> {
    await this.read(file, ['propertyName', 'value'], [], (get) => {
      this.manifest.set(get('propertyName').trim().toLowerCase(), get('value').trim());
    });
    const version = this.manifest.get('oneroster.version');
    if (version !== undefined && version !== '1.1') {
      throw invalidExport(file.file, null, msg('readOneRosterVersion', { version }));
    }
  }

  /** What the manifest says of `<name>.csv` (bulk when it says nothing and the file is there). */
  private mode(name: string, manifestFile: TableSource): Mode {
    const value = this.manifest.get(`file.${name.toLowerCase()}`);
    const present = this.ex.files.has(`${name.toLowerCase()}.csv`);
    if (value === undefined) {
      if (present) this.warnings.push(msg('readManifestSilent', { name }));
      return present ? 'bulk' : 'absent';
    }
    const m = value.toLowerCase();
    if (m !== 'bulk' && m !== 'delta' && m !== 'absent') {
      throw invalidExport(manifestFile.file, null, msg('readManifestMode', { name, value }));
    }
    if (m !== 'absent' && !present) throw invalidExport(this.ex.path, null, msg('readManifestFileMissing', { name, mode: m }));
    return m;
  }

  private async readEnrollments(file: TableSource, classesMode: Mode): Promise<void> {
    const optional = ['schoolSourcedId', 'status', 'beginDate', 'endDate'] as const;
    await this.read(file, ['classSourcedId', 'userSourcedId'], optional, (get, line) => {
      if (get('status').trim().toLowerCase() === 'tobedeleted') return;
      const cls = get('classSourcedId').trim();
      if (!this.classes.has(cls) && classesMode === 'bulk') {
        this.problem(file.file, line, msg('readNotInFile', { column: 'classSourcedId', id: cls, file: 'classes.csv' }));
        return;
      }
      const e: Enrollment = {
        cls,
        school: get('schoolSourcedId').trim(),
        begin: exportDate(get('beginDate'), null, file.file, line, 'beginDate'),
        end: exportDate(get('endDate'), null, file.file, line, 'endDate'),
      };
      addMembership(this.enrollments, get('userSourcedId').trim(), e, file.file, line);
    });
  }

  /** The name of an organisation; in a delta its id (noted); null when a bulk orgs.csv lacks it (a problem). */
  private orgName(id: string, file: string, line: number): string | null {
    const name = this.orgs.get(id);
    if (name !== undefined) return name;
    if (this.orgsMode === 'bulk') {
      this.problem(file, line, msg('readOrgNotInOrgs', { id }));
      return null;
    }
    this.unknownIds.add(id);
    return id;
  }

  private async readUsers(file: TableSource, onRow: (row: ExportRow) => void): Promise<void> {
    const optional = ['status', 'enabledUser', 'orgSourcedIds', 'username', 'email'] as const;
    await this.read(file, ['sourcedId', 'role', 'givenName', 'familyName'], optional, (get, line) => {
      const role = rosterRole(get('role'));
      if (role === undefined) this.unknownRoles.add(get('role').trim());
      if (role === null || role === undefined) {
        this.counts.skipped++;
        return;
      }
      this.seen.add(get('sourcedId').trim());
      const p: RosterPerson = rosterUser(get, role, file.file, line);
      if (get('status').trim().toLowerCase() === 'tobedeleted') {
        this.counts.deleted++;
        onRow(personRow(p));
      } else if (get('enabledUser').trim().toLowerCase() === 'false') {
        this.counts.disabled++;
        onRow(personRow(p));
      } else this.userRows(p, get('orgSourcedIds'), onRow);
    });
  }

  /**
   * A row per enrollment, then one without a group per organisation of `orgSourcedIds` that no
   * enrollment named; one without a relation when there is neither. An organisation that is not in a
   * bulk orgs.csv is a problem of the row, which ends its rows there.
   */
  private userRows(p: RosterPerson, orgSourcedIds: string, onRow: (row: ExportRow) => void): void {
    let any = false;
    const orgsWithClass = new Set<string>();
    for (const e of this.enrollments.get(p.externalId) ?? []) {
      const cls = this.classes.get(e.cls);
      if (cls === undefined) this.unknownIds.add(e.cls);
      const school = e.school || cls?.school || '';
      const org = school === '' ? '' : this.orgName(school, p.file, p.line);
      if (org === null) return;
      orgsWithClass.add(school);
      onRow(personRow(p, org, cls?.title ?? e.cls, e.begin, e.end));
      any = true;
    }
    for (const raw of orgSourcedIds.split(',')) {
      const orgId = raw.trim();
      if (orgId === '' || orgsWithClass.has(orgId)) continue;
      const org = this.orgName(orgId, p.file, p.line);
      if (org === null) return;
      orgsWithClass.add(orgId);
      onRow(personRow(p, org));
      any = true;
    }
    if (!any) onRow(personRow(p));
  }

  private summarise(partial: boolean): void {
    const { warnings, counts } = this;
    if (counts.skipped > 0) warnings.push(msg('readUsersWithoutRole', { n: counts.skipped }));
    if (this.unknownRoles.size > 0) warnings.push(msg('readRolesUnknown', { roles: [...this.unknownRoles] }));
    if (counts.disabled > 0) warnings.push(msg('readUsersDisabled', { n: counts.disabled }));
    if (counts.deleted > 0) warnings.push(msg('readUsersToBeDeleted', { n: counts.deleted }));
    if (this.unknownIds.size > 0) warnings.push(msg('readNamedById', { ids: [...this.unknownIds].slice(0, 20) }));
    let strangers = 0;
    for (const id of this.enrollments.keys()) if (!this.seen.has(id)) strangers++;
    if (strangers > 0) warnings.push(msg('readEnrollmentStrangers', { n: strangers, delta: partial }));
  }
}

export const readOneRoster: ProblemReader = async (path, settings, onRow, opts?: ReaderOptions) => {
  const ex = (await pathKind(path)) === 'folder' ? await openFolder(path) : await openZip(path);
  return new OneRoster(ex, settings, opts).readAll(progress(onRow, opts));
};
