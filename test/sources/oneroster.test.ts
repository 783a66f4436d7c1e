import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkExport, readExport } from '../../src/sources/index.js';
import { offeredOn } from '../../src/engine/offer.js';
import { expectWhere, fixture, invalid, readRows, settings, storedZip, tempDir } from './helpers.js';

const oneroster = settings({ format: 'oneroster-1.1' });
const BULK = fixture('oneroster/bulk');
const DELTA = fixture('oneroster/delta');
const ZIP = fixture('oneroster/bulk.zip');

const BULK_IDS = ['t-1001', 't-1002', 't-1003', 't-1004', 's-2001', 's-2002', 's-2003', 's-2004', 's-2005'];

describe('OneRoster 1.1 bulk (folder)', () => {
  it('reads students and staff, leaves guardians out', async () => {
    const { info, records } = await readExport(BULK, oneroster);
    expect([...records.ids()]).toEqual(BULK_IDS);
    expect(records.rows).toBe(11);
    expect(info.partial).toBe(false);
    expect(info.detected).toMatchObject({ format: 'oneroster-1.1', encoding: 'utf-8' });
    expect(info.detected.files).toEqual(['academicSessions.csv', 'classes.csv', 'courses.csv', 'enrollments.csv', 'manifest.csv', 'orgs.csv', 'users.csv']);
    expect(info.warnings).toContain('1 users without a student or staff role (guardians, parents) left out');
  });

  it('maps attributes: familyName as written (with tussenvoegsel), middleName unused, email else username', async () => {
    const { records } = await readExport(BULK, oneroster);
    expect(records.record('s-2001')).toEqual({
      externalId: 's-2001',
      givenName: 'Daan',
      prefix: '',
      familyName: 'van den Berg',
      email: 'd.vandenberg@leerling.delinge.nl',
      role: 'student',
      relations: [{ organisation: 'OBS De Regenboog', group: 'Groep 3', startDate: '2025-08-25', endDate: '2026-07-10' }],
    });
    expect(records.record('t-1002')!.email).toBe('ahmed.elkhatib@delinge.nl');
    expect(records.record('s-2002')!.email).toBe('');
    expect(records.record('s-2004')!.familyName).toBe("'t Hart");
    expect(records.record('s-2003')!.familyName).toBe('Yılmaz');
    expect(records.record('t-1003')!.role).toBe('staff');
  });

  it('relations: enrollments give groups, other orgSourcedIds the school alone; disabled users none', async () => {
    const { records } = await readExport(BULK, oneroster);
    expect(records.record('t-1002')!.relations).toEqual([
      { organisation: 'CBS Het Kompas', group: '', startDate: null, endDate: null },
      { organisation: 'OBS De Regenboog', group: 'Groep 7/8', startDate: null, endDate: null },
    ]);
    expect(records.record('t-1003')!.relations.map((r) => r.organisation)).toEqual(['CBS Het Kompas', 'Stichting Primair Onderwijs De Linge']);
    expect(records.record('s-2005')!.relations).toEqual([{ organisation: 'CBS Het Kompas', group: '', startDate: null, endDate: null }]);
    expect(records.record('t-1004')!.relations).toEqual([]);
  });

  it('sources check: organisations and what is not offered', async () => {
    const report = await checkExport(BULK, oneroster, offeredOn('2026-01-15'));
    expect(report.problems).toEqual([]);
    expect(report.records).toBe(9);
    expect(report.organisations).toEqual({ 'OBS De Regenboog': 4, 'CBS Het Kompas': 5, 'Stichting Primair Onderwijs De Linge': 1 });
    expect(report.notOfferedSample).toEqual(['t-1004']);
    const summer = await checkExport(BULK, oneroster, offeredOn('2026-07-20'));
    // the pupils with an enrollment ending 2026-07-10 are no longer offered
    expect(summer.notOfferedSample).toEqual(['t-1004', 's-2001', 's-2002', 's-2003']);
  });

  it('the checksum covers all files in name order', async () => {
    const { info } = await readExport(BULK, oneroster);
    const hash = createHash('sha256');
    for (const f of readdirSync(BULK).sort()) hash.update(readFileSync(join(BULK, f)));
    expect(info.checksum).toBe(hash.digest('hex'));
  });
});

describe('OneRoster 1.1 delta', () => {
  it('is partial; tobedeleted users have no relation; tobedeleted enrollments do not count', async () => {
    const { info, records } = await readExport(DELTA, oneroster);
    expect(info.partial).toBe(true);
    expect([...records.ids()]).toEqual(['t-1001', 's-2002', 's-2006']);
    expect(records.record('s-2002')!.relations).toEqual([]);
    expect(records.record('t-1001')!.familyName).toBe('de Vries-Smit');
    // the delta names no enrollment of t-1001: only the organisation (see oneroster.ts, limitation)
    expect(records.record('t-1001')!.relations).toEqual([{ organisation: 'OBS De Regenboog', group: '', startDate: null, endDate: null }]);
    expect(records.record('s-2006')!.relations).toEqual([{ organisation: 'CBS Het Kompas', group: 'Groep 5', startDate: '2026-01-12', endDate: '2026-07-10' }]);
    expect(info.warnings).toContain('1 users marked tobedeleted (no relation)');
  });
});

describe('OneRoster 1.1 zip', () => {
  it('a zip of the bulk export reads the same as the folder; its checksum is of the archive', async () => {
    const folder = await readRows(BULK, oneroster);
    const zip = await readRows(ZIP, oneroster);
    expect(zip.rows.map(({ file, ...r }) => r)).toEqual(folder.rows.map(({ file, ...r }) => r));
    expect(zip.rows[0]!.file).toBe(`${ZIP}/users.csv`);
    expect(zip.info.checksum).toBe(createHash('sha256').update(readFileSync(ZIP)).digest('hex'));
    expect(zip.info.detected.files).toEqual(folder.info.detected.files);
  });

  it('reads stored entries inside a top folder', async () => {
    const dir = tempDir();
    const p = join(dir, 'export.zip');
    const entries = readdirSync(BULK).map((f) => ({ name: `oneroster-export/${f}`, data: readFileSync(join(BULK, f)) }));
    writeFileSync(p, storedZip([{ name: 'oneroster-export/', data: Buffer.alloc(0) }, ...entries]));
    const { records } = await readExport(p, oneroster);
    expect([...records.ids()]).toEqual(BULK_IDS);
  });

  it('a damaged entry (CRC) is INVALID_EXPORT naming the entry', async () => {
    const dir = tempDir();
    const p = join(dir, 'damaged.zip');
    const entries = readdirSync(BULK).map((f) => ({ name: f, data: readFileSync(join(BULK, f)) }));
    const zip = storedZip(entries);
    const at = zip.indexOf('Marieke');
    zip.write('Mariekx', at);
    writeFileSync(p, zip);
    const err = await invalid(readExport(p, oneroster));
    expect(err.message).toContain(`${p}/users.csv`);
    expect(err.message).toContain('CRC');
  });

  it('a truncated archive and a file that is no zip', async () => {
    const dir = tempDir();
    const cut = join(dir, 'cut.zip');
    writeFileSync(cut, readFileSync(ZIP).subarray(0, 500));
    expectWhere(await invalid(readExport(cut, oneroster)), cut, null);
    const text = join(dir, 'users.csv');
    writeFileSync(text, 'sourcedId\n1\n');
    expectWhere(await invalid(readExport(text, oneroster)), text, null);
  });
});

describe('OneRoster 1.1: invalid exports', () => {
  function copyBulk(): string {
    const dir = tempDir();
    cpSync(BULK, dir, { recursive: true });
    return dir;
  }

  it('no manifest', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'users.csv'), 'sourcedId\n');
    const err = await invalid(readExport(dir, oneroster));
    expect(err.message).toContain('no manifest.csv');
  });

  it('another OneRoster version', async () => {
    const dir = copyBulk();
    const m = join(dir, 'manifest.csv');
    writeFileSync(m, readFileSync(m, 'utf8').replace('oneroster.version,1.1', 'oneroster.version,1.2'));
    const err = await invalid(readExport(dir, oneroster));
    expectWhere(err, m, null);
    expect(err.message).toContain('1.2');
  });

  it('file.users absent', async () => {
    const dir = copyBulk();
    const m = join(dir, 'manifest.csv');
    writeFileSync(m, readFileSync(m, 'utf8').replace('file.users,bulk', 'file.users,absent'));
    expect((await invalid(readExport(dir, oneroster))).message).toContain('file.users is absent');
  });

  it('an enrollment of a class that is not in classes.csv names its line', async () => {
    const dir = copyBulk();
    const e = join(dir, 'enrollments.csv');
    writeFileSync(e, readFileSync(e, 'utf8').replace('enr-5,,,cls-kp-g5', 'enr-5,,,cls-kp-g9'));
    const err = await invalid(readExport(dir, oneroster));
    expectWhere(err, e, 6);
    expect(err.message).toContain('cls-kp-g9');
  });

  it('a user of an organisation that is not in orgs.csv names the user line', async () => {
    const dir = copyBulk();
    const u = join(dir, 'users.csv');
    writeFileSync(u, readFileSync(u, 'utf8').replace('s-2005,,,true,org-kp', 's-2005,,,true,org-xx'));
    const err = await invalid(readExport(dir, oneroster));
    expectWhere(err, u, 10);
  });
});
