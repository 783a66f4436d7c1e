/**
 * Several sources through the built CLI: a change to a source's settings takes effect at the next sync
 * although the exports stay the same (a priority swap, R11; a kind change), and says why; an empty
 * family name never wins (R11); under --json every warning goes into the one document.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { Hub, ROOT, expectOneJsonDocument, DEMO_BASISPOORT_SOURCE, DEMO_HR_MAP } from './cli.js';

const DIR = path.join(ROOT, 'fixtures', 'several-sources');
const HR = path.join(DIR, 'hr-afas.csv');
const BP = path.join(DIR, 'basispoort.csv');

const hub = new Hub();

function user(ref: string): any {
  return hub.ok(['users', 'show', ref]);
}

beforeAll(() => {
  hub.ok(['init']);
  // HR as "other" at priority 5, below Basispoort: as registered before the coordinator corrects it.
  hub.ok([
    'sources',
    'add',
    'hr',
    '--file',
    HR,
    '--kind',
    'other',
    '--priority',
    '5',
    '--date-format',
    'dd-mm-yyyy',
    ...DEMO_HR_MAP,
    '--map',
    'startDate=Startdatum',
  ]);
  // Basispoort as the demo registers it, but at priority 40.
  hub.ok(['sources', 'add', 'basispoort', '--file', BP, ...DEMO_BASISPOORT_SOURCE, '--priority', '40']);
  hub.ok(['sync', 'run']);
});

describe('a settings change takes effect at the next sync, with the same exports', () => {
  let checksums: string[];

  it('night 1: Basispoort (priority 40) wins over HR (5); nobody states a role', () => {
    expect(user('hr:10561')).toMatchObject({ givenName: 'Bram', familyName: 'Fisser', role: '' });
    expect(user('hr:10412')).toMatchObject({ displayName: 'Anna Backer', familyName: 'Backer' });
    checksums = hub
      .ok(['sync', 'history'])[0]
      .files.map((f: { checksum: string }) => f.checksum)
      .sort();
  });

  it('sources edit --priority is audited with who and the settings before and after', () => {
    hub.actor = 'anne';
    const edited = hub.ok(['sources', 'edit', 'hr', '--priority', '50']);
    expect(edited).toMatchObject({ name: 'hr', priority: 50, changes: ['priority of hr changed from 5 to 50'], linkedRecords: 3 });
    const [entry] = hub.ok(['audit', '--limit', '1']);
    expect(entry).toMatchObject({ actor: 'anne', action: 'source.edit', source: 'hr', before: { priority: 5 }, after: { priority: 50 } });
    expect(entry.detail).toBe('source hr: priority of hr changed from 5 to 50; the next sync evaluates its 3 linked record(s) again');
    // The same setting again changes nothing and writes nothing.
    const again = hub.ok(['sources', 'edit', 'hr', '--priority', '50']);
    expect(again.changes).toEqual([]);
    expect(hub.ok(['audit', '--limit', '1'])[0].id).toBe(entry.id);
  });

  it('a dry run right after the edit shows the swap, and why (R11)', () => {
    const r = hub.ok(['sync', 'run', '--dry-run']);
    expect(r.settingsChanged).toEqual(['priority of hr changed from 5 to 50']);
    expect(r.counts).toMatchObject({ updated: 1, created: 0, deleted: 0, unchanged: 2 });
    expect(r.changes).toEqual([
      expect.objectContaining({
        action: 'update',
        source: 'hr',
        externalId: '10561',
        detail: 'Bram Fisser: familyName: "Fisser" → "Visser" (because priority of hr changed from 5 to 50)',
      }),
    ]);
    // Anna: HR now wins, but its empty family name does not blank hers.
    const human = hub.run(['sync', 'run', '--dry-run']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(
      "Settings changed since the last sync, so their sources' accounts are evaluated again: priority of hr changed from 5 to 50.",
    );
    expect(human.stdout).toContain('~ #1 hr:10561 Bram Fisser: familyName: "Fisser" → "Visser" (because priority of hr changed from 5 to 50)');
  });

  it('the sync applies it; the run after it changes nothing', () => {
    const r = hub.ok(['sync', 'run']);
    expect(r.files.map((f: { checksum: string }) => f.checksum).sort()).toEqual(checksums); // the same exports
    expect(r.counts).toMatchObject({ updated: 1, unchanged: 2 });
    expect(r.changes[0].detail).toContain('because priority of hr changed from 5 to 50');
    expect(user('hr:10561')).toMatchObject({ familyName: 'Visser', displayName: 'Bram Visser' });
    expect(user('hr:10412')).toMatchObject({ familyName: 'Backer', displayName: 'Anna Backer' });
    const next = hub.ok(['sync', 'run']);
    expect(next.settingsChanged).toEqual([]);
    expect(next.counts).toMatchObject({ updated: 0, unchanged: 3 });
    expect(next.changes).toEqual([]);
    // The run's audit trail keeps the reason.
    const shown = hub.ok(['sync', 'show', String(r.runId)]);
    expect(shown.changes[0].detail).toContain('because priority of hr changed from 5 to 50');
  });

  it("sources edit --kind other → hr gives HR's people the role staff at the next sync", () => {
    hub.ok(['sources', 'edit', 'hr', '--kind', 'hr']);
    const dry = hub.ok(['sync', 'run', '--dry-run']);
    expect(dry.settingsChanged).toEqual(['kind of hr changed from other to hr']);
    expect(dry.counts).toMatchObject({ updated: 3, unchanged: 0 });
    expect(dry.changes.map((c: { detail: string }) => c.detail).sort()).toEqual([
      'Anna Backer: role: "" → "staff" (because kind of hr changed from other to hr)',
      'Bram Visser: role: "" → "staff" (because kind of hr changed from other to hr)',
      'Jan de Vries: role: "" → "staff" (because kind of hr changed from other to hr)',
    ]);
    const r = hub.ok(['sync', 'run']);
    expect(r.files.map((f: { checksum: string }) => f.checksum).sort()).toEqual(checksums);
    expect(hub.ok(['users', 'list']).map((u: { role: string }) => u.role)).toEqual(['staff', 'staff', 'staff']);
  });

  it('a change that is undone before a sync changes nothing', () => {
    hub.ok(['sources', 'edit', 'basispoort', '--priority', '60']);
    hub.ok(['sources', 'edit', 'basispoort', '--priority', '40']);
    const r = hub.ok(['sync', 'run', '--dry-run']);
    expect(r.settingsChanged).toEqual([]);
    expect(r.counts).toMatchObject({ updated: 0, unchanged: 3 });
  });

  it('no account ends with an empty family name or email that a source stated', () => {
    for (const u of hub.ok(['users', 'list'])) {
      expect(u.familyName).not.toBe('');
      expect(u.email).not.toBe('');
    }
  });
});

describe('--json: one document, warnings inside it', () => {
  it('users edit refused by R13: stderr is exactly one JSON document, the warning inside it', () => {
    const r = hub.run(['users', 'edit', 'hr:10234', '--family-name', 'Vries-Bakker', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expectOneJsonDocument(r.stderr);
    const { error } = JSON.parse(r.stderr);
    expect(error.code).toBe('USAGE');
    expect(error.warnings).toEqual([expect.stringContaining('the next sync will overwrite this change')]);
  });

  it('without --json the same refusal warns, then errs, for people', () => {
    const r = hub.run(['users', 'edit', 'hr:10234', '--family-name', 'Vries-Bakker']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^! #3 Jan de Vries .*overwrite this change/m);
    expect(r.stderr).toMatch(/^Error \[USAGE\]/m);
  });

  it('a command that succeeds with a warning: stdout holds it in the document, stderr stays empty', () => {
    const r = hub.run(['sources', 'add', 'las', '--file', path.join(DIR, 'leerlingen-nog-niet-geleverd.json'), '--kind', 'las', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.json).toMatchObject({ name: 'las', warnings: [expect.stringContaining('does not exist yet')] });
    hub.ok(['sources', 'remove', 'las']);
  });

  it('users delete of an offered account (R14): the warnings are in the document, nothing on stderr', () => {
    const r = hub.run(['users', 'delete', 'hr:10234', '--yes', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.json.warnings).toEqual([expect.stringContaining('the next sync will restore it')]);
    hub.ok(['sync', 'run']); // R14: revived
    expect(user('hr:10234').status).toBe('active');
  });
});

describe('date formats in the README spelling', () => {
  it('accepts dd-mm-yyyy as well as dd-MM-yyyy, and refuses what it cannot read', () => {
    expect(hub.ok(['sources', 'edit', 'hr', '--date-format', 'dd-MM-yyyy']).dateFormat).toBe('dd-MM-yyyy');
    expect(hub.ok(['sources', 'edit', 'hr', '--date-format', 'dd-mm-yyyy']).dateFormat).toBe('dd-mm-yyyy');
    const err = hub.fails(['sources', 'edit', 'hr', '--date-format', 'dd-mmm-yyyy'], 2);
    expect(err.code).toBe('USAGE');
    expect(hub.ok(['sources', 'check', 'hr']).problems).toEqual([]);
  });
});
