/**
 * Long answers come in pages: `sync show` of a large run, `exceptions list` and `exceptions review` of a
 * long list print a first page and say how much more there is; --all prints everything, --limit and
 * --offset any page. --json stays whole unless a page is asked for. Small runs and lists print as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Hub, DEMO_HR_MAP } from '../helpers/hub.js';

const GIVEN = ['Daan', 'Sanne', 'Mohammed', 'Fleur', 'Jesse', 'Noor', 'Emre', 'Zoë', 'Bram', 'Aïsha'];
const FAMILY: [string, string][] = [
  ['van der', 'Berg'],
  ['', 'Jansen'],
  ['de', 'Vries'],
  ['', 'Öztürk'],
  ['van', 'Dijk'],
  ['', 'El Amrani'],
  ['', 'Bakker'],
  ["'t", 'Hoen'],
];
const PEOPLE = 1200;
const LISTED = 120;

let hub: Hub;

/** An HR export of PEOPLE staff members (semicolon CSV with BOM, as HR systems write it). */
function writeExport(file: string): void {
  const rows = ['Personeelsnummer;Voornaam;Tussenvoegsel;Achternaam;E-mailadres;School;Team'];
  for (let i = 0; i < PEOPLE; i++) {
    const [prefix, family] = FAMILY[i % FAMILY.length]!;
    const given = GIVEN[i % GIVEN.length]!;
    rows.push([20000 + i, given, prefix, family, `medewerker${i}@waterlanden.nl`, `OBS De Regenboog ${i % 12}`, `Groep ${1 + (i % 8)}`].join(';'));
  }
  fs.writeFileSync(file, '\ufeff' + rows.join('\r\n') + '\r\n');
}

beforeAll(() => {
  hub = new Hub();
  const file = path.join(hub.dir, 'hr.csv');
  writeExport(file);
  hub.ok(['init']);
  hub.ok(['sources', 'add', 'hr', '--file', file, '--kind', 'hr', '--delimiter', ';', ...DEMO_HR_MAP]);
  hub.ok(['sync', 'run']);
  const list = ['user,reason,until', ...Array.from({ length: LISTED }, (_, i) => `hr:${20000 + i * 7},Invalpool: tussen twee contracten,`)];
  fs.writeFileSync(path.join(hub.dir, 'lijst.csv'), list.join('\n') + '\n');
  hub.now = '2026-11-24T10:00:00.000Z';
  hub.ok(['exceptions', 'import', path.join(hub.dir, 'lijst.csv')]);
});
afterAll(() => fs.rmSync(hub.dir, { recursive: true, force: true }));

const lines = (text: string, mark: string) => text.split('\n').filter((l) => l.trimStart().startsWith(mark + ' '));

describe('sync show of a run of more than 1,000 changes', () => {
  it('prints the first 50 of each kind, with how many there are and how to see them all', () => {
    const r = hub.run(['sync', 'show', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Created (1,200)');
    expect(lines(r.stdout, '+')).toHaveLength(50);
    expect(r.stdout).toContain('… and 1,150 more (basishub sync show 1 --all)');
  });

  it('prints every change with --all, and keeps --json whole', () => {
    expect(lines(hub.run(['sync', 'show', '1', '--all']).stdout, '+')).toHaveLength(PEOPLE);
    const whole = hub.ok(['sync', 'show', '1']);
    expect(whole.changes).toHaveLength(PEOPLE);
    expect(whole.page).toBeUndefined();
  });

  it('gives any page with --limit and --offset, in the order the run made them', () => {
    const whole = hub.ok(['sync', 'show', '1']).changes;
    const page = hub.ok(['sync', 'show', '1', '--limit', '3', '--offset', '1198']);
    expect(page.page).toEqual({ offset: 1198, limit: 3, total: PEOPLE });
    expect(page.changes).toEqual(whole.slice(1198));
    const text = hub.run(['sync', 'show', '1', '--limit', '10', '--offset', '5']);
    expect(lines(text.stdout, '+')).toHaveLength(10);
    expect(text.stderr).toContain('6–15 of 1,200 changes (next: basishub sync show 1 --offset 15 --limit 10; all: --all)');
  });

  it('refuses --all with a page', () => {
    expect(hub.fails(['sync', 'show', '1', '--all', '--limit', '5'], 2)).toMatchObject({ code: 'USAGE', message: '--all and --limit contradict each other.' });
    expect(hub.fails(['sync', 'show', '1', '--offset', '-1'], 2)).toMatchObject({ code: 'USAGE' });
  });
});

describe('exceptions list of more than 100 entries', () => {
  const rows = (stdout: string) => stdout.trim().split('\n').slice(1); // piped: a header, then a line per entry

  it('prints the first 50 and the command for the next page', () => {
    const r = hub.run(['exceptions', 'list']);
    expect(r.code).toBe(0);
    expect(rows(r.stdout)).toHaveLength(50);
    expect(r.stderr).toContain('1–50 of 120 entries (next: basishub exceptions list --offset 50 --limit 50; all: --all)');
  });

  it('prints all with --all and under --json, and a page with --limit and --offset', () => {
    expect(rows(hub.run(['exceptions', 'list', '--all']).stdout)).toHaveLength(LISTED);
    const whole = hub.ok(['exceptions', 'list']);
    expect(whole).toHaveLength(LISTED);
    expect(hub.ok(['exceptions', 'list', '--limit', '5', '--offset', '118'])).toEqual(whole.slice(118));
    const filtered = hub.run(['exceptions', 'list', '--stale', '0', '--limit', '20', '--offset', '100']);
    expect(rows(filtered.stdout)).toHaveLength(20);
    expect(filtered.stderr).toContain('101–120 of 120 entries');
  });

  it('says so when a page lies past the end, and refuses --all with a page', () => {
    const past = hub.run(['exceptions', 'list', '--offset', '500']);
    expect(past.code).toBe(0);
    expect(past.stderr).toContain('none from 501 on of 120 entries');
    expect(hub.ok(['exceptions', 'list', '--offset', '500'])).toEqual([]);
    expect(hub.fails(['exceptions', 'list', '--all', '--offset', '5'], 2)).toMatchObject({ code: 'USAGE' });
  });
});

describe('exceptions review of a long group', () => {
  it('prints the first 50 of the group and counts the rest; --all and --json print them all', () => {
    const r = hub.run(['exceptions', 'review', '--older-than', '0', '--no-record']);
    expect(r.stdout).toContain(`Listed 0 days or longer (${LISTED})`);
    expect(r.stdout).toContain('… and 70 more (basishub exceptions review --all)');
    expect(r.stdout.split('\n').filter((l) => /^\d+\t/.test(l))).toHaveLength(50);
    const all = hub.run(['exceptions', 'review', '--older-than', '0', '--no-record', '--all']);
    expect(all.stdout.split('\n').filter((l) => /^\d+\t/.test(l))).toHaveLength(LISTED);
    expect(hub.ok(['exceptions', 'review', '--older-than', '0', '--no-record']).groups.longListed).toHaveLength(LISTED);
  });

  it('the JSON document is the same with or without a terminal: every entry, no totals of a first page', () => {
    const json = hub.ok(['exceptions', 'review', '--older-than', '0', '--no-record']);
    expect(json).not.toHaveProperty('totals');
    expect(json.pending).toBe(LISTED);
    const text = hub.run(['exceptions', 'review', '--older-than', '0', '--no-record']);
    expect(text.stderr).toContain(`${LISTED} accounts need a decision`);
  });
});

describe('sync show of a stopped run of more than 1,000 planned changes', () => {
  it('prints the first 50 of each kind of what it planned; --json and --all print all of it', () => {
    // An export cut short to 10 people: a safety stop, with more than a thousand planned deletions.
    const short = path.join(hub.dir, 'hr-short.csv');
    const all = fs.readFileSync(path.join(hub.dir, 'hr.csv'), 'utf8').split('\r\n');
    fs.writeFileSync(short, all.slice(0, 11).join('\r\n') + '\r\n');
    const stop = hub.fails(['sync', 'run', '--source', `hr=${short}`], 4);
    expect(stop.code).toBe('SAFETY_STOP');
    const runId = String(stop.runId);
    const text = hub.run(['sync', 'show', runId]);
    expect(lines(text.stdout, '-')).toHaveLength(50);
    expect(text.stdout).toMatch(new RegExp(`… and [\\d,]+ more \\(basishub sync show ${runId} --all\\)`));
    const planned = hub.ok(['sync', 'show', runId]).changes.filter((c: { action: string }) => c.action === 'delete');
    expect(planned.length).toBeGreaterThan(1000);
    expect(lines(hub.run(['sync', 'show', runId, '--all']).stdout, '-')).toHaveLength(planned.length);
  });
});
