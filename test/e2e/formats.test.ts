/**
 * Real-world exports through the built CLI: the Microsoft SDS samples that nobody here
 * wrote, OneRoster bulk and delta, Windows-1252 and semicolon CSV, and relation dates around today.
 */
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { Hub, ROOT, DEMO_HR_MAP } from './cli.js';

const SAMPLES = path.join(ROOT, 'fixtures', 'microsoft-sds'); // Microsoft's samples (MIT), copied into fixtures/
const FORMATS = path.join(ROOT, 'fixtures', 'formats');
const ONEROSTER = path.join(ROOT, 'fixtures', 'oneroster');
const HR_MAP = DEMO_HR_MAP;

describe('Microsoft School Data Sync', () => {
  it('syncs the v1 sample: 86 students and 12 teachers in 2 schools', () => {
    const hub = new Hub();
    hub.ok(['init']);
    hub.ok(['sources', 'add', 'sds', '--file', path.join(SAMPLES, 'v1-100-users'), '--format', 'sds-v1', '--match', 'none']);
    const check = hub.ok(['sources', 'check', 'sds']);
    expect(check).toMatchObject({ records: 98, problems: [] });
    expect(Object.keys(check.organisations).sort()).toEqual(['Contoso High School', 'Fabrikam High School']);
    const run = hub.ok(['sync', 'run']);
    expect(run.counts.created).toBe(98);
    const users = hub.ok(['users', 'list']);
    expect(users.filter((u: any) => u.role === 'student')).toHaveLength(86);
    expect(users.filter((u: any) => u.role === 'staff')).toHaveLength(12);
    const craig = hub.ok(['users', 'show', 'sds:14001']);
    expect(craig).toMatchObject({ givenName: 'Craig', familyName: 'Beane', role: 'staff' });
    expect(craig.relations.map((r: any) => r.group)).toEqual(expect.arrayContaining(['Math - Algebra 1', 'English - Language 1']));
    expect(hub.ok(['sync', 'run']).counts).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 98 });
  });

  it('syncs the v2.1 sample', () => {
    const hub = new Hub();
    hub.ok(['init']);
    hub.ok(['sources', 'add', 'sds2', '--file', path.join(SAMPLES, 'v2.1'), '--format', 'sds-v2.1']);
    const check = hub.ok(['sources', 'check']);
    expect(check[0].problems).toEqual([]);
    const run = hub.ok(['sync', 'run']);
    expect(run.counts).toMatchObject({ created: 1, conflicts: 0 }); // the sample's one offered user
    expect(hub.ok(['users', 'list']).map((u: any) => u.email)).toEqual(['jjonzer@classrmtest31.org']);
  });
});

describe('OneRoster 1.1', () => {
  // The fixtures' school year runs from 2025-08-25 to 2026-07-10.
  const DURING_SCHOOL_YEAR = '2026-01-13T02:00:00.000Z';

  it('reads a bulk folder and the same as a zip', () => {
    const folder = new Hub();
    folder.now = DURING_SCHOOL_YEAR;
    folder.ok(['init']);
    folder.ok(['sources', 'add', 'or', '--file', path.join(ONEROSTER, 'bulk'), '--format', 'oneroster-1.1']);
    const a = folder.ok(['sync', 'run']);
    const zip = new Hub();
    zip.now = DURING_SCHOOL_YEAR;
    zip.ok(['init']);
    zip.ok(['sources', 'add', 'or', '--file', path.join(ONEROSTER, 'bulk.zip')]); // .zip: OneRoster by default
    const b = zip.ok(['sync', 'run']);
    expect(a.counts).toMatchObject({ created: 8, conflicts: 0 });
    expect(b.counts).toEqual(a.counts);
    expect(zip.ok(['users', 'list']).map((u: any) => u.email)).toEqual(folder.ok(['users', 'list']).map((u: any) => u.email));
  });

  it('a delta export changes only what it names; tobedeleted is not offered', () => {
    const hub = new Hub();
    hub.now = DURING_SCHOOL_YEAR;
    hub.ok(['init']);
    hub.ok(['sources', 'add', 'or', '--file', path.join(ONEROSTER, 'bulk'), '--format', 'oneroster-1.1']);
    const first = hub.ok(['sync', 'run']);
    expect(first.counts.created).toBeGreaterThan(3);
    const before = hub.ok(['users', 'show', 'or:t-1001']);
    hub.now = '2026-01-13T03:00:00.000Z';
    const delta = hub.ok(['sync', 'run', '--source', `or=${path.join(ONEROSTER, 'delta')}`]);
    // Sophie Jansen (s-2002) is tobedeleted: not offered, so deleted; users absent from the delta stay.
    expect(delta.changes.filter((c: any) => c.action === 'delete').map((c: any) => c.userId)).toEqual([hub.ok(['users', 'show', 'or:s-2002']).id]);
    expect(delta.counts.deleted).toBe(1);
    expect(hub.ok(['users', 'list', '--status', 'active']).length).toBe(first.counts.created - 1 + delta.counts.created);
    // Marieke's new family name comes through; her class, not in the delta, is kept.
    const after = hub.ok(['users', 'show', 'or:t-1001']);
    expect(after.familyName).toBe('de Vries-Smit');
    expect(after.relations).toEqual(before.relations);
  });
});

describe('Dutch CSV traits', () => {
  it('reads a Windows-1252 export with semicolons, and the same names as the UTF-8 one', () => {
    const utf8 = new Hub();
    utf8.ok(['init']);
    utf8.ok(['sources', 'add', 'hr', '--file', path.join(FORMATS, 'personeel-semicolon-bom.csv'), '--kind', 'hr', ...HR_MAP]);
    utf8.ok(['sync', 'run']);
    const cp = new Hub();
    cp.ok(['init']);
    cp.ok(['sources', 'add', 'hr', '--file', path.join(FORMATS, 'personeel-windows-1252.csv'), '--kind', 'hr', ...HR_MAP]);
    expect(cp.ok(['sources', 'show', 'hr']).detected).toMatchObject({ delimiter: ';', encoding: 'windows-1252', bom: false });
    cp.ok(['sync', 'run']);
    const names = (h: Hub) =>
      h
        .ok(['users', 'list'])
        .map((u: any) => u.displayName)
        .sort();
    expect(names(cp)).toEqual(names(utf8));
    expect(names(cp).some((n: string) => /[éëïó]/.test(n))).toBe(true);
  });

  it('matches bracketed headers regardless of case and spaces', () => {
    const hub = new Hub();
    hub.ok(['init']);
    const file = path.join(hub.dir, 'afas.csv');
    fs.writeFileSync(file, '\ufeff[Personeelsnummer] ; [VOORNAAM] ;[Achternaam];[School]\r\n10001;Jan;Vries;OBS De Regenboog\r\n');
    hub.ok([
      'sources',
      'add',
      'hr',
      '--file',
      file,
      '--kind',
      'hr',
      '--map',
      'externalId=personeelsnummer',
      '--map',
      'givenName=Voornaam',
      '--map',
      'familyName=ACHTERNAAM',
      '--map',
      'organisation=school',
    ]);
    expect(hub.ok(['sync', 'run']).counts.created).toBe(1);
    expect(hub.ok(['users', 'show', 'hr:10001'])).toMatchObject({ givenName: 'Jan', familyName: 'Vries' });
  });
});

describe('relation dates', () => {
  it('a contract that ends today still counts, one that ended yesterday or starts tomorrow does not', () => {
    const hub = new Hub();
    hub.ok(['init']);
    const file = path.join(hub.dir, 'contracts.csv');
    fs.writeFileSync(
      file,
      [
        'externalId;givenName;familyName;organisation;startDate;endDate',
        '1;Eindigt;Vandaag;OBS De Regenboog;01-08-2025;29-11-2026',
        '2;Eindigde;Gisteren;OBS De Regenboog;01-08-2025;28-11-2026',
        '3;Begint;Morgen;OBS De Regenboog;30-11-2026;',
        '4;Loopt;Door;OBS De Regenboog;20250801;',
      ].join('\n') + '\n',
    );
    hub.ok(['sources', 'add', 'hr', '--file', file, '--kind', 'hr']);
    hub.now = '2026-11-29T02:00:00.000Z';
    const today = hub.ok(['sync', 'run']);
    expect(
      today.changes
        .filter((c: any) => c.action === 'create')
        .map((c: any) => c.externalId)
        .sort(),
    ).toEqual(['1', '4']);
    // The next night the same file: 1's contract has ended, 3's has begun.
    hub.now = '2026-11-30T02:00:00.000Z';
    const next = hub.ok(['sync', 'run']);
    expect(next.changes.map((c: any) => [c.action, c.externalId])).toEqual(expect.arrayContaining([['create', '3']]));
    expect(next.counts).toMatchObject({ created: 1, deleted: 1 });
    expect(hub.ok(['users', 'show', 'hr:1']).status).toBe('deleted');
  });

  it('reads dates in a format set per source', () => {
    const hub = new Hub();
    hub.ok(['init']);
    const file = path.join(hub.dir, 'us.csv');
    fs.writeFileSync(file, 'externalId,familyName,organisation,endDate\n1,Smith,School,12/31/2026\n');
    hub.ok(['sources', 'add', 'x', '--file', file, '--date-format', 'MM/dd/yyyy']);
    hub.now = '2026-11-29T02:00:00.000Z';
    hub.ok(['sync', 'run']);
    expect(hub.ok(['users', 'show', 'x:1']).relations[0].endDate).toBe('2026-12-31');
  });
});
