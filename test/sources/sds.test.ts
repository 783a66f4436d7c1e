import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkExport, readExport } from '../../src/sources/index.js';
import { offeredOn } from '../../src/engine/offer.js';
import { expectWhere, invalid, readRows, SAMPLES, settings, tempDir } from './helpers.js';

const V1 = join(SAMPLES, 'microsoft-sds/v1-100-users');
const V21 = join(SAMPLES, 'microsoft-sds/v2.1');
const v1 = settings({ format: 'sds-v1' });
const v21 = settings({ format: 'sds-v2.1' });

function copyLowerCase(from: string): string {
  const dir = tempDir();
  for (const f of readdirSync(from)) copyFileSync(join(from, f), join(dir, f.toLowerCase()));
  return dir;
}

describe('SDS v1 (Microsoft sample, 100 users)', () => {
  it('86 students and 12 teachers in 2 schools', async () => {
    const { info, records } = await readExport(V1, v1);
    let students = 0;
    let staff = 0;
    const schools = new Set<string>();
    for (const r of records.records()) {
      if (r.role === 'student') students++;
      if (r.role === 'staff') staff++;
      for (const rel of r.relations) schools.add(rel.organisation);
    }
    expect(students).toBe(86);
    expect(staff).toBe(12);
    expect(records.size).toBe(98);
    expect([...schools].sort()).toEqual(['Contoso High School', 'Fabrikam High School']);
    // 86 students in 7 sections each (StudentEnrollment.csv), 28 teacher roster rows
    expect(records.rows).toBe(86 * 7 + 28);
    expect(info.detected.format).toBe('sds-v1');
    expect(info.detected.files).toEqual(['School.csv', 'Section.csv', 'Student.csv', 'StudentEnrollment.csv', 'Teacher.csv', 'TeacherRoster.csv']);
    expect(info.partial).toBe(false);
  });

  it('maps a student: SIS ID, names, sections as groups of the school, rows from Student.csv', async () => {
    const { rows } = await readRows(V1, v1);
    const ora = rows.filter((r) => r.externalId === '13001');
    expect(ora).toHaveLength(7);
    expect(ora[0]).toMatchObject({
      givenName: 'Ora',
      familyName: 'Klein',
      prefix: '',
      email: '',
      role: 'student',
      organisation: 'Contoso High School',
      line: 2,
    });
    expect(ora[0]!.file).toBe(join(V1, 'Student.csv'));
    expect(ora.map((r) => r.group)).toContain('Math - Algebra 1');
    const craig = rows.filter((r) => r.externalId === '14001');
    expect(craig[0]).toMatchObject({ givenName: 'Craig', familyName: 'Beane', role: 'staff', file: join(V1, 'Teacher.csv') });
    expect(craig.map((r) => r.group).sort()).toEqual(['English - Language 1', 'Math - Algebra 1']);
  });

  it('the checksum covers all files in name order', async () => {
    const { info } = await readExport(V1, v1);
    const hash = createHash('sha256');
    for (const f of readdirSync(V1).sort()) hash.update(readFileSync(join(V1, f)));
    expect(info.checksum).toBe(hash.digest('hex'));
  });

  it('relations per school in sources check', async () => {
    const report = await checkExport(V1, v1, offeredOn('2026-01-15'));
    expect(report.problems).toEqual([]);
    expect(report.organisations).toEqual({ 'Contoso High School': 67, 'Fabrikam High School': 31 });
    expect(report.notOffered).toBe(0);
  });

  it('matches file names regardless of case; Status other than Active gives no relation; no sections gives the school', async () => {
    const dir = copyLowerCase(V1);
    const student = readFileSync(join(dir, 'student.csv'), 'utf8').replace(
      '13002,10001,Beulah,McMillan,BMcMillan,P@ssword,WA,,13002,Lynn,10,Active',
      '13002,10001,Beulah,McMillan,BMcMillan,P@ssword,WA,,13002,Lynn,10,Inactive',
    );
    writeFileSync(join(dir, 'student.csv'), student);
    const enrol = readFileSync(join(dir, 'studentenrollment.csv'), 'utf8')
      .split('\r\n')
      .filter((l) => !l.endsWith(',13003'))
      .join('\r\n');
    writeFileSync(join(dir, 'studentenrollment.csv'), enrol);
    const { records, info } = await readExport(dir, v1);
    expect(records.record('13002')!.relations).toEqual([]);
    expect(records.record('13003')!.relations).toEqual([{ organisation: 'Contoso High School', group: '', startDate: null, endDate: null }]);
    expect(records.size).toBe(98);
    expect(info.warnings.map(String)).toContain('1 person is not Active (no relation)');
  });

  it('a missing file is INVALID_EXPORT naming it', async () => {
    const dir = copyLowerCase(V1);
    unlinkSync(join(dir, 'teacherroster.csv'));
    const err = await invalid(readExport(dir, v1));
    expectWhere(err, dir, null);
    expect(err.message).toContain('no TeacherRoster.csv');
  });

  it('a school that is not in School.csv is INVALID_EXPORT at the line', async () => {
    const dir = copyLowerCase(V1);
    const p = join(dir, 'teacher.csv');
    writeFileSync(p, readFileSync(p, 'utf8').replace('14003,10001', '14003,19999'));
    const err = await invalid(readExport(dir, v1));
    expectWhere(err, p, 4);
    expect(err.message).toContain('School SIS ID 19999');
  });

  it('a path that is not a folder', async () => {
    const p = join(V1, 'School.csv');
    expectWhere(await invalid(readExport(p, v1)), p, null);
  });
});

describe('SDS v2.1 (Microsoft sample)', () => {
  it('reads users with their roles (organisations, dates) and classes', async () => {
    const { info, records } = await readExport(V21, v21);
    expect([...records.ids()]).toEqual(['114001', '114003', '114004', '114006', '114007', '114008']);
    expect(records.rows).toBe(8);
    expect(records.record('114001')).toEqual({
      externalId: '114001',
      givenName: 'Jack',
      prefix: '',
      familyName: 'Craig',
      email: 'jcraig@classrmtest31.org',
      role: 'student',
      relations: [{ organisation: 'School of TwoDotOne', group: 'Biology 10', startDate: '2021-08-24', endDate: '2022-06-11' }],
    });
    expect(records.record('114006')!.role).toBe('staff');
    expect(records.record('114006')!.relations).toEqual([
      { organisation: 'College of Engineering', group: 'Computer Science 101', startDate: null, endDate: null },
      { organisation: 'Computer Science Department', group: '', startDate: '2021-09-01', endDate: '2021-12-01' },
    ]);
    expect(records.record('114007')!.relations).toEqual([
      { organisation: 'Ministry of TwoDotOne', group: '', startDate: '2021-08-24', endDate: '2022-06-11' },
      { organisation: 'School of TwoDotOne', group: 'Biology 10', startDate: '2021-08-24', endDate: '2022-06-11' },
    ]);
    expect(records.record('114008')!.relations).toEqual([
      { organisation: 'College of Engineering', group: 'Computer Science 101', startDate: '2021-09-01', endDate: '2021-12-01' },
    ]);
    // guardians (in users.csv, no roles) are left out
    expect(records.has('114002')).toBe(false);
    expect(records.has('114005')).toBe(false);
    expect(info.warnings.map(String)).toContain('2 users without a student or staff role (guardians, parents) left out');
    expect(info.detected.files).toContain('users.csv');
  });

  it('role dates decide what is offered', async () => {
    const during = await checkExport(V21, v21, offeredOn('2021-10-01'));
    expect(during.notOffered).toBe(0);
    const after = await checkExport(V21, v21, offeredOn('2022-07-01'));
    // only 114006's class relation has no dates
    expect(after.notOffered).toBe(5);
    expect(after.notOfferedSample).toEqual(['114001', '114003', '114004', '114007', '114008']);
  });

  it('rows name users.csv and the line of the user', async () => {
    const { rows } = await readRows(V21, v21);
    expect(rows[0]).toMatchObject({ externalId: '114001', file: join(V21, 'users.csv'), line: 2 });
    expect(rows.find((r) => r.externalId === '114008')!.line).toBe(9);
  });
});
