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

/** One night with both exports (HR and Basispoort); the clock at 02:00 of that day. */
function both(hub: Hub, day: number, hr: string[], bp: string[]): any {
  hub.now = `2026-11-${String(day).padStart(2, '0')}T02:00:00.000Z`;
  const h = exportFile(hub, `hr-${day}.csv`, HR_HEAD, hr, '\r\n');
  const b = exportFile(hub, `bp-${day}.csv`, BP_HEAD, bp);
  return hub.ok(['sync', 'run', '--source', `hr=${h}`, '--source', `basispoort=${b}`]);
}

/** The run's conflict is HR's record 10234, with the fields of every conflict (R12), its detail saying `text`. */
function expectHrConflict(run: any, text: string): void {
  expect(run.changes.find((c: any) => c.action === 'conflict')).toEqual({
    action: 'conflict',
    userId: null,
    source: 'hr',
    externalId: '10234',
    detail: expect.stringContaining(text),
  });
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

describe('R14 with R12: a revive never makes a second active holder of an address', () => {
  const JAN_ECK = 'https://ketenid.nl/201703/4e1f9b7c2a6d8e0f3b5a7c9d1e2f4a6b8c0d2e4f';
  const JAN_BP = `${JAN_ECK},Jan,de,Vries,jan.devries@waterlanden.nl,medewerker,OBS De Regenboog,Directie`;
  const PETRA_HR = '10488;Petra;van den;Berg;petra.vandenberg@waterlanden.nl;12AB;OBS De Regenboog;Groep 4';

  /** HR drops Jan (account A deleted); Basispoort offers him under a new ECK iD (account B, his address). */
  function janTwice(): { hub: Hub; a: number; b: number } {
    const hub = newHub();
    hub.ok(['sources', 'add', 'hr', '--file', exportFile(hub, 'hr-0.csv', HR_HEAD, [JAN_HR, PETRA_HR, fatimaHr('10395')], '\r\n'), ...DEMO_HR_SOURCE]);
    hub.ok(['sources', 'add', 'basispoort', '--file', exportFile(hub, 'bp-0.csv', BP_HEAD, [NOOR]), ...DEMO_BASISPOORT_SOURCE]);
    expect(both(hub, 20, [JAN_HR, PETRA_HR, fatimaHr('10395')], [NOOR]).counts).toMatchObject({ created: 4 });
    const a = hub.ok(['users', 'show', 'hr:10234']).id;
    expect(both(hub, 21, [PETRA_HR, fatimaHr('10395')], [NOOR]).counts).toMatchObject({ deleted: 1 });
    expect(both(hub, 22, [PETRA_HR, fatimaHr('10395')], [NOOR, JAN_BP]).counts).toMatchObject({ created: 1, revived: 0 });
    const b = hub.ok(['users', 'show', `basispoort:${JAN_ECK}`]).id;
    expect(b).not.toBe(a);
    return { hub, a, b };
  }

  const activeJans = (hub: Hub) => hub.ok(['users', 'list', '--search', 'jan.devries']).filter((u: any) => u.status === 'active');

  it('HR offers the old number again: a conflict naming the holder every night, nothing revived, the old link kept', () => {
    const { hub, a, b } = janTwice();
    for (const day of [23, 24]) {
      const run = both(hub, day, [JAN_HR, PETRA_HR, fatimaHr('10395')], [NOOR, JAN_BP]);
      expect(run.counts).toMatchObject({ revived: 0, conflicts: 1, created: 0, relinked: 0 });
      expectHrConflict(run, `hr:10234 would revive account ${a}, but active account ${b} holds its address jan.devries@waterlanden.nl`);
      expect(hub.ok(['users', 'show', String(a)])).toMatchObject({ status: 'deleted', links: [{ source: 'hr', externalId: '10234', active: false }] });
      expect(activeJans(hub).map((u: any) => u.id)).toEqual([b]);
    }
    const shown = hub.run(['sync', 'show', '5', '--lang', 'nl']);
    expect(shown.stdout).toContain(`zou account ${a} terugzetten, maar actief account ${b} heeft het adres jan.devries@waterlanden.nl`);
    expect(hub.ok(['check']).ok).toBe(true);
  });

  it('resolved by erasing the old account: the next sync links the old number to the new account', () => {
    const { hub, a, b } = janTwice();
    expect(both(hub, 23, [JAN_HR, PETRA_HR, fatimaHr('10395')], [NOOR, JAN_BP]).counts).toMatchObject({ conflicts: 1 });
    hub.now = '2026-11-23T10:00:00.000Z';
    expect(hub.ok(['users', 'purge', '--older-than', '1', '--yes']).purged.map((p: any) => p.id)).toEqual([a]);
    const run = both(hub, 24, [JAN_HR, PETRA_HR, fatimaHr('10395')], [NOOR, JAN_BP]);
    expect(run.counts).toMatchObject({ relinked: 1, conflicts: 0, created: 0, revived: 0 });
    expect(hub.ok(['users', 'show', 'hr:10234'])).toMatchObject({ id: b, status: 'active' });
    expect(activeJans(hub)).toHaveLength(1);
  });

  it('resolved by deleting the new account: the next sync revives the old one, and links Basispoort to it once the new one is erased', () => {
    const { hub, a, b } = janTwice();
    expect(both(hub, 23, [JAN_HR, PETRA_HR, fatimaHr('10395')], [NOOR, JAN_BP]).counts).toMatchObject({ conflicts: 1 });
    hub.now = '2026-11-23T10:00:00.000Z';
    hub.ok(['users', 'delete', String(b), '--reason', 'Jan heeft zijn oude account terug', '--yes']);
    // Basispoort still offers B, but A was deleted first: A comes back, B's revive is the conflict now.
    const back = both(hub, 24, [JAN_HR, PETRA_HR, fatimaHr('10395')], [NOOR, JAN_BP]);
    expect(back.counts).toMatchObject({ revived: 1, conflicts: 1, created: 0 });
    expect(back.changes.find((c: any) => c.action === 'conflict')).toMatchObject({ source: 'basispoort', externalId: JAN_ECK });
    expect(back.changes.find((c: any) => c.action === 'conflict').detail).toContain(
      `would revive account ${b}, but account ${a}, deleted before it, comes back`,
    );
    expect(activeJans(hub).map((u: any) => u.id)).toEqual([a]);
    hub.now = '2026-11-25T10:00:00.000Z';
    expect(hub.ok(['users', 'purge', '--older-than', '1', '--yes']).purged.map((p: any) => p.id)).toEqual([b]);
    const linked = both(hub, 26, [JAN_HR, PETRA_HR, fatimaHr('10395')], [NOOR, JAN_BP]);
    expect(linked.counts).toMatchObject({ relinked: 1, conflicts: 0, created: 0 });
    expect(hub.ok(['users', 'show', `basispoort:${JAN_ECK}`])).toMatchObject({ id: a, status: 'active' });
    expect(activeJans(hub)).toHaveLength(1);
    expect(hub.ok(['check']).ok).toBe(true);
  });

  it('in one run: the old account comes back, and a new account with its address is not made (the next night links it)', () => {
    const hub = newHub();
    hub.ok(['sources', 'add', 'hr', '--file', exportFile(hub, 'hr-0.csv', HR_HEAD, [JAN_HR, PETRA_HR, fatimaHr('10395')], '\r\n'), ...DEMO_HR_SOURCE]);
    hub.ok(['sources', 'add', 'basispoort', '--file', exportFile(hub, 'bp-0.csv', BP_HEAD, [NOOR]), ...DEMO_BASISPOORT_SOURCE]);
    both(hub, 20, [JAN_HR, PETRA_HR, fatimaHr('10395')], [NOOR]);
    const a = hub.ok(['users', 'show', 'hr:10234']).id;
    both(hub, 21, [PETRA_HR, fatimaHr('10395')], [NOOR]);
    const run = both(hub, 22, [JAN_HR, PETRA_HR, fatimaHr('10395')], [NOOR, JAN_BP]);
    expect(run.counts).toMatchObject({ revived: 1, created: 0, conflicts: 1 });
    expect(run.changes.find((c: any) => c.action === 'conflict')).toMatchObject({ source: 'basispoort', externalId: JAN_ECK });
    expect(activeJans(hub).map((u: any) => u.id)).toEqual([a]);
    expect(both(hub, 23, [JAN_HR, PETRA_HR, fatimaHr('10395')], [NOOR, JAN_BP]).counts).toMatchObject({ relinked: 1, conflicts: 0, created: 0 });
    expect(hub.ok(['users', 'show', `basispoort:${JAN_ECK}`])).toMatchObject({ id: a });
  });
});

describe('R12 with R11: an address an account gets from its source has one active holder', () => {
  const JAN_ECK = 'https://ketenid.nl/201703/4e1f9b7c2a6d8e0f3b5a7c9d1e2f4a6b8c0d2e4f';
  const NEW = 'j.devries@waterlanden.nl';
  const janHr = (email: string, team = 'Directie') => `10234;Jan;de;Vries;${email};12AB;OBS De Regenboog;${team}`;
  const janBp = `${JAN_ECK},Jan,de,Vries,${NEW},medewerker,OBS De Regenboog,Directie`;

  function janAndNoor(): { hub: Hub; jan: number; noor: number } {
    const hub = newHub();
    hub.ok(['sources', 'add', 'hr', '--file', exportFile(hub, 'hr-0.csv', HR_HEAD, [JAN_HR, fatimaHr('10395')], '\r\n'), ...DEMO_HR_SOURCE]);
    hub.ok(['sources', 'add', 'basispoort', '--file', exportFile(hub, 'bp-0.csv', BP_HEAD, [NOOR]), ...DEMO_BASISPOORT_SOURCE]);
    expect(both(hub, 20, [JAN_HR, fatimaHr('10395')], [NOOR]).counts).toMatchObject({ created: 3 });
    return { hub, jan: hub.ok(['users', 'show', 'hr:10234']).id, noor: hub.ok(['users', 'show', 'noor.vandermeer@waterlanden.nl']).id };
  }

  it('HR gives Jan a new address the night Basispoort offers him with it: no second account, a conflict naming his; the next night links it', () => {
    const { hub, jan } = janAndNoor();
    const run = both(hub, 21, [janHr(NEW), fatimaHr('10395')], [NOOR, janBp]);
    expect(run.counts).toMatchObject({ created: 0, updated: 1, conflicts: 1 });
    expect(run.changes.find((c: any) => c.action === 'conflict')).toEqual({
      action: 'conflict',
      userId: null,
      source: 'basispoort',
      externalId: JAN_ECK,
      detail: expect.stringContaining(`would take the address ${NEW}, which account ${jan} gets in this run; nothing created or linked`),
    });
    expect(hub.ok(['users', 'list', '--all', '--search', 'devries'])).toEqual([expect.objectContaining({ id: jan, email: NEW, status: 'active' })]);
    const next = both(hub, 22, [janHr(NEW), fatimaHr('10395')], [NOOR, janBp]);
    expect(next.counts).toMatchObject({ created: 0, relinked: 1, conflicts: 0 });
    expect(hub.ok(['users', 'show', `basispoort:${JAN_ECK}`])).toMatchObject({ id: jan });
    expect(hub.ok(['check']).ok).toBe(true);
  });

  it("HR gives Jan Noor's address: Jan keeps his own (his new team applies), a conflict naming Noor's account every night until HR corrects it", () => {
    const { hub, jan, noor } = janAndNoor();
    const taken = 'noor.vandermeer@waterlanden.nl';
    for (const day of [21, 22]) {
      const run = both(hub, day, [janHr(taken, 'Groep 8'), fatimaHr('10395')], [NOOR]);
      expect(run.counts).toMatchObject({ conflicts: 1, created: 0 });
      expectHrConflict(run, `hr:10234 gives account ${jan} the address ${taken}, but active account ${noor} holds it; the address is not changed`);
      expect(hub.ok(['users', 'show', String(jan)])).toMatchObject({ email: 'jan.devries@waterlanden.nl', status: 'active' });
    }
    const shown = hub.run(['sync', 'show', '3', '--lang', 'nl']);
    expect(shown.stdout).toContain(`geeft account ${jan} het adres ${taken}, maar actief account ${noor} heeft dat adres`);
    const fixed = both(hub, 23, [janHr(NEW, 'Groep 8'), fatimaHr('10395')], [NOOR]);
    expect(fixed.counts).toMatchObject({ conflicts: 0, updated: 1 });
    expect(hub.ok(['users', 'show', String(jan)])).toMatchObject({ email: NEW });
    expect(hub.ok(['check']).ok).toBe(true);
  });
});

describe('R12 with R11: a source that does not match on email starts no second holder of an address', () => {
  const TYPO_ECK = 'https://ketenid.nl/201703/0b9d8c7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c';
  /** Basispoort offers Sanne Bakker with Jan's address (a typo in the school's administration), or with her own. */
  const sanne = (email: string) => `${TYPO_ECK},Sanne,,Bakker,${email},medewerker,CBS De Wegwijzer,Groep 4`;

  it('a conflict naming the holder every night, nothing created; once Basispoort corrects the address, her account is made', () => {
    const hub = newHub();
    hub.ok(['sources', 'add', 'hr', '--file', exportFile(hub, 'hr-0.csv', HR_HEAD, [JAN_HR], '\r\n'), ...DEMO_HR_SOURCE]);
    hub.ok(['sources', 'add', 'basispoort', '--file', exportFile(hub, 'bp-0.csv', BP_HEAD, [NOOR]), ...DEMO_BASISPOORT_SOURCE, '--match', 'none']);
    expect(both(hub, 20, [JAN_HR], [NOOR]).counts).toMatchObject({ created: 2 });
    const jan = hub.ok(['users', 'show', 'hr:10234']).id;
    for (const day of [21, 22]) {
      const run = both(hub, day, [JAN_HR], [NOOR, sanne('jan.devries@waterlanden.nl')]);
      expect(run.counts).toMatchObject({ created: 0, conflicts: 1 });
      expect(run.changes.find((c: any) => c.action === 'conflict')).toEqual({
        action: 'conflict',
        userId: null,
        source: 'basispoort',
        externalId: TYPO_ECK,
        detail: `Sanne Bakker: a new account for basispoort:${TYPO_ECK} would take the address jan.devries@waterlanden.nl, but active account ${jan} holds it; nothing created or linked. Correct the address in the source of one of the two accounts`,
      });
      expect(hub.ok(['users', 'list', '--all', '--search', 'waterlanden'])).toHaveLength(2);
    }
    const shown = hub.run(['sync', 'show', '3', '--lang', 'nl']);
    expect(shown.stdout).toContain(`maar actief account ${jan} heeft dat adres; niets aangemaakt of gekoppeld`);
    const fixed = both(hub, 23, [JAN_HR], [NOOR, sanne('s.bakker@waterlanden.nl')]);
    expect(fixed.counts).toMatchObject({ created: 1, conflicts: 0 });
    expect(hub.ok(['users', 'show', `basispoort:${TYPO_ECK}`])).toMatchObject({ email: 's.bakker@waterlanden.nl', status: 'active' });
    expect(hub.ok(['check']).ok).toBe(true);
  });
});
