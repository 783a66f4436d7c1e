/**
 * Matching a record to its account through the CLI, night after night (R5, R12): a listed substitute
 * who comes back under a new personnel number, and records of one source that claim one email address.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { DEMO_BASISPOORT_SOURCE, DEMO_HR_SOURCE, Hub } from '../helpers/hub.js';

const HR_HEAD = '\uFEFFPersoneelsnummer;Voornaam;Tussenvoegsel;Achternaam;E-mailadres;BRIN;School;Team';
const JAN_HR = '10234;Jan;de;Vries;jan.devries@waterlanden.nl;12AB;OBS De Regenboog;Directie';
const fatimaHr = (nr: string) => `${nr};Fatima;el;Amrani;fatima.elamrani@waterlanden.nl;12AB;OBS De Regenboog;Invalpool`;

const BP_HEAD = 'eckid,voornaam,tussenvoegsel,achternaam,email,rol,school,groep';
const ECK1 = 'https://ketenid.nl/201703/bffb9adec5c6b33c848338fac46a6555891e83dd';
const ECK2 = 'https://ketenid.nl/201703/838f8ab11c5cb523efe9d1f9ace29d941f475cc2';
const bas = (eck: string, given: string) => `${eck},${given},'t,Hart,bas.thart@waterlanden.nl,medewerker,CBS De Wegwijzer,Groep 6`;
const NOOR = `https://ketenid.nl/201703/5a1c0e6f2d9b8c7a6e5f4d3c2b1a0f9e8d7c6b5a,Noor,van der,Meer,noor.vandermeer@waterlanden.nl,medewerker,CBS De Wegwijzer,Groep 3`;

/** Writes the export `name` in the hub's folder, and returns its path. */
function exportFile(hub: Hub, name: string, head: string, rows: string[], eol = '\n'): string {
  const file = path.join(hub.dir, name);
  fs.writeFileSync(file, [head, ...rows].join(eol) + eol);
  return file;
}

/** A new, empty hub. */
function newHub(): Hub {
  const hub = new Hub();
  hub.ok(['init']);
  return hub;
}

/** One night: the clock a day on, this export as the source's file. */
function night(hub: Hub, day: number, source: string, file: string): any {
  hub.now = `2026-11-${String(day).padStart(2, '0')}T02:00:00.000Z`;
  return hub.ok(['sync', 'run', '--source', `${source}=${file}`]);
}

describe('R5: a listed substitute comes back under a new personnel number (same email)', () => {
  it('is matched back to the same account, stays listed, and the old number later lands there too', () => {
    const hub = newHub();
    hub.ok(['sources', 'add', 'hr', '--file', exportFile(hub, 'hr-1.csv', HR_HEAD, [JAN_HR, fatimaHr('10395')], '\r\n'), ...DEMO_HR_SOURCE]);
    hub.ok(['sync', 'run']);
    hub.ok(['exceptions', 'add', 'hr:10395', '--reason', 'Invalpool: tussen twee contracten']);
    const id = hub.ok(['users', 'show', 'hr:10395']).id;

    expect(night(hub, 25, 'hr', exportFile(hub, 'hr-2.csv', HR_HEAD, [JAN_HR], '\r\n')).counts).toMatchObject({ protected: 1, deleted: 0 });
    expect(hub.ok(['users', 'show', String(id)])).toMatchObject({ owner: 'hub', listed: true });

    const back = night(hub, 26, 'hr', exportFile(hub, 'hr-3.csv', HR_HEAD, [JAN_HR, fatimaHr('20395')], '\r\n'));
    expect(back.counts).toMatchObject({ created: 0, relinked: 1, conflicts: 0 });
    expect(hub.ok(['users', 'show', 'hr:20395'])).toMatchObject({ id, owner: 'source', listed: true, status: 'active' });
    expect(hub.ok(['users', 'list', '--all', '--search', 'fatima.elamrani'])).toHaveLength(1);

    const old = night(hub, 27, 'hr', exportFile(hub, 'hr-4.csv', HR_HEAD, [JAN_HR, fatimaHr('10395')], '\r\n'));
    expect(old.counts).toMatchObject({ created: 0, conflicts: 0, deleted: 0 });
    expect(hub.ok(['users', 'show', 'hr:10395'])).toMatchObject({ id, owner: 'source', listed: true, status: 'active' });
    expect(hub.ok(['users', 'list', '--all', '--search', 'fatima.elamrani'])).toHaveLength(1);
  });
});

describe('R12: a second Basispoort record with an email another record holds', () => {
  it('is a conflict every night, nothing created; the address stays with one account', () => {
    const hub = newHub();
    hub.ok(['sources', 'add', 'basispoort', '--file', exportFile(hub, 'bp-1.csv', BP_HEAD, [bas(ECK1, 'Bas'), NOOR]), ...DEMO_BASISPOORT_SOURCE]);
    expect(hub.ok(['sync', 'run']).counts).toMatchObject({ created: 2 });
    const two = exportFile(hub, 'bp-2.csv', BP_HEAD, [bas(ECK1, 'Bas'), NOOR, bas(ECK2, 'Sebastiaan')]);
    for (const day of [25, 26]) {
      const run = night(hub, day, 'basispoort', two);
      expect(run.counts).toMatchObject({ created: 0, conflicts: 1 });
      const conflict = run.changes.find((c: any) => c.action === 'conflict');
      expect(conflict).toMatchObject({ source: 'basispoort', externalId: ECK2 });
      expect(conflict.detail).toContain(`(linked to basispoort:${ECK1}, another record of this source)`);
      expect(conflict.detail).toContain('nothing created or linked');
    }
    expect(hub.ok(['users', 'list', '--all', '--search', 'bas.thart'])).toHaveLength(1);
    const shown = hub.run(['sync', 'show', '3', '--lang', 'nl']);
    expect(shown.stdout).toContain(`(gekoppeld aan basispoort:${ECK1}, een andere persoon uit deze bron)`);
  });

  it('within one run (a first sync too): the second record is a conflict, not a second account', () => {
    const hub = newHub();
    hub.ok([
      'sources',
      'add',
      'basispoort',
      '--file',
      exportFile(hub, 'bp.csv', BP_HEAD, [bas(ECK1, 'Bas'), NOOR, bas(ECK2, 'Sebastiaan')]),
      ...DEMO_BASISPOORT_SOURCE,
    ]);
    const run = hub.ok(['sync', 'run']);
    expect(run.counts).toMatchObject({ created: 2, conflicts: 1 });
    const conflict = run.changes.find((c: any) => c.action === 'conflict');
    expect(conflict).toMatchObject({ externalId: ECK2 });
    expect(conflict.detail).toContain(`the new account for basispoort:${ECK1} (another record of this source)`);
    expect(hub.ok(['users', 'list', '--all', '--search', 'bas.thart'])).toHaveLength(1);
    // The next night, the same answer (the first record now holds the account by its link).
    expect(night(hub, 25, 'basispoort', path.join(hub.dir, 'bp.csv')).counts).toMatchObject({ created: 0, conflicts: 1 });
  });
});
