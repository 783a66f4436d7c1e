/**
 * Hostile input and unlucky machines, through the built CLI: escape sequences in names from an export,
 * actors and reasons that say nothing or hold control characters, output paths that lead to the hub or
 * to a device, a malformed clock and out-of-range numbers, a hub kept read-only, a full disk and a
 * read-only file system. Every one ends with its own code, never INTERNAL.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DEMO_HR_SOURCE, Hub, tempDir } from './cli.js';
import { beforeRemoval } from '../helpers/tmp.js';

const ESC = '\u001b';
/** A pupil whose name retitles the terminal and clears it; another whose family name hides what follows. */
const HOSTILE_CSV =
  '\uFEFFPersoneelsnummer;Voornaam;Tussenvoegsel;Achternaam;E-mailadres;School;Team\r\n' +
  `10234;"Jan${ESC}]0;gehackt\u0007";van der;Berg${ESC}[2J;jan.vanderberg@waterlanden.nl;OBS De Regenboog;Groep 5\r\n` +
  `10257;Anouk;de;Graaf${ESC}[8mverborgen;anouk.degraaf@waterlanden.nl;OBS De Regenboog;Team onderbouw\r\n` +
  '10395;Fatima;el;Amrani;fatima.elamrani@waterlanden.nl;CBS Het Kompas;Invalpool\r\n';

function hubWith(csv: string, dir?: string): Hub {
  const hub = new Hub(dir);
  const file = path.join(hub.dir, 'medewerkers.csv');
  fs.writeFileSync(file, csv);
  hub.ok(['init']);
  hub.ok(['sources', 'add', 'hr', '--file', file, ...DEMO_HR_SOURCE]);
  hub.ok(['sync', 'run']);
  return hub;
}

function noRawControls(text: string): void {
  // Tabs are allowed: a piped table is tab-separated.
  expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
}

describe('terminal injection: names from an export', () => {
  let hub: Hub;
  beforeAll(() => {
    hub = hubWith(HOSTILE_CSV);
    hub.ok(['exceptions', 'add', 'hr:10257', '--reason', 'Zwangerschapsverlof']);
  });

  it('users list, users show and exceptions list show the escape sequences escaped', () => {
    for (const args of [['users', 'list'], ['users', 'show', 'hr:10234'], ['users', 'show', 'hr:10257'], ['exceptions', 'list'], ['audit']]) {
      const r = hub.run(args);
      expect(r.code).toBe(0);
      noRawControls(r.stdout);
      noRawControls(r.stderr);
    }
    expect(hub.run(['users', 'show', 'hr:10234']).stdout).toContain('Jan\\x1b]0;gehackt\\x07 van der Berg\\x1b[2J');
    expect(hub.run(['exceptions', 'list']).stdout).toContain('Graaf\\x1b[8mverborgen');
  });

  it('--json keeps the exact values', () => {
    const u = hub.ok(['users', 'show', 'hr:10234']);
    expect(u.givenName).toBe(`Jan${ESC}]0;gehackt\u0007`);
    expect(u.familyName).toBe(`Berg${ESC}[2J`);
    const list = hub.ok(['exceptions', 'list']);
    expect(list[0].user.displayName).toBe(`Anouk de Graaf${ESC}[8mverborgen`);
  });

  it('error text that repeats what was typed shows it escaped', () => {
    const r = hub.run(['users', 'show', `niemand${ESC}[2J@waterlanden.nl`]);
    expect(r.code).toBe(2);
    noRawControls(r.stderr);
    expect(r.stderr).toContain('niemand\\x1b[2J@waterlanden.nl');
  });
});

describe('who acts and why must be readable', () => {
  let hub: Hub;
  beforeAll(() => {
    hub = hubWith(HOSTILE_CSV);
  });

  it.each([
    ['an empty --actor', ['--actor', '', 'exceptions', 'add', 'hr:10395', '--reason', 'Invalpool'], '--actor is empty'],
    ['an --actor with an escape sequence', ['--actor', `cron${ESC}[2J`, 'exceptions', 'add', 'hr:10395', '--reason', 'Invalpool'], 'U+001B'],
    ['a reason of only a zero-width space', ['exceptions', 'add', 'hr:10395', '--reason', '\u200b'], 'nothing visible'],
    ['a reason with a carriage return', ['exceptions', 'add', 'hr:10395', '--reason', 'Invalpool\rniets'], 'U+000D'],
    ['a reason with a right-to-left override', ['exceptions', 'add', 'hr:10395', '--reason', 'Invalpool \u202etxet'], 'U+202E'],
    ['a deletion reason with a bell', ['users', 'delete', 'hr:10395', '--yes', '--reason', 'uit dienst\u0007'], 'U+0007'],
  ])('refuses %s (USAGE), writing nothing', (_what, args, text) => {
    const before = hub.dbState();
    const err = hub.fails(args, 2);
    expect(err.code).toBe('USAGE');
    expect(err.message).toContain(text);
    expect(hub.dbState()).toEqual(before);
  });

  it('refuses BASISHUB_ACTOR that holds nothing visible', () => {
    const r = hub.run(['exceptions', 'add', 'hr:10395', '--reason', 'Invalpool', '--json'], { env: { BASISHUB_ACTOR: '\u200b\u200b' } });
    expect(r.code).toBe(2);
    expect(r.error.message).toContain('BASISHUB_ACTOR holds nothing visible');
  });
});

describe('output files are refused by identity, not by name', () => {
  let hub: Hub;
  beforeAll(() => {
    hub = hubWith(HOSTILE_CSV);
    hub.ok(['exceptions', 'add', 'hr:10395', '--reason', 'Invalpool']);
  });

  it('the hub through a symlinked folder or a hard link: refused, and the hub unchanged', () => {
    const dir = tempDir();
    fs.symlinkSync(hub.dir, path.join(dir, 'via'));
    fs.linkSync(hub.db, path.join(dir, 'harde-link.db'));
    const before = fs.readFileSync(hub.db);
    for (const target of [path.join(dir, 'via', 'hub.db'), path.join(dir, 'harde-link.db')]) {
      const err = hub.fails(['exceptions', 'export', '--output', target], 2);
      expect(err.code).toBe('USAGE');
      expect(err.message).toContain('is the hub database');
    }
    expect(fs.readFileSync(hub.db).equals(before)).toBe(true);
    expect(hub.run(['check']).code).toBe(0);
  });

  it('/dev/stdout, /dev/null, a FIFO and a folder are not regular files: refused, nothing replaced', () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'pijp');
    execFileSync('mkfifo', [fifo]);
    for (const [target, what] of [
      ['/dev/stdout', /is a (device|named pipe|socket|file that basishub has open)/],
      ['/dev/null', /is a device/],
      [fifo, /is a named pipe/],
      [dir, /is a folder/],
    ] as const) {
      const r = hub.run(['exceptions', 'export', '--output', target]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(what);
    }
    expect(fs.lstatSync('/dev/stdout').isSymbolicLink()).toBe(true);
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
  });

  it('--output - writes to stdout', () => {
    const r = hub.run(['exceptions', 'export', '--output', '-']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('fatima.elamrani@waterlanden.nl');
    expect(r.stdout.startsWith('\uFEFFuser,reason,until')).toBe(true);
  });

  it('a new file gets mode 600; a file kept at 400 stays 400', () => {
    const dir = tempDir();
    const file = path.join(dir, 'lijst.csv');
    hub.ok(['exceptions', 'export', '--output', file]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    fs.chmodSync(file, 0o400);
    const r = hub.run(['exceptions', 'export', '--output', file]);
    // root may write over it; anyone else is refused (STORAGE). Either way the mode is not widened.
    expect([0, 2]).toContain(r.code);
    expect(fs.statSync(file).mode & 0o777).toBe(0o400);
  });
});

describe('every failure has its code', () => {
  let hub: Hub;
  beforeAll(() => {
    hub = hubWith(HOSTILE_CSV);
  });

  it.each([['2026-13-45'], ['gisteren'], ['2026-02-30T02:00:00Z'], ['2026-11-24T25:00']])('BASISHUB_NOW=%s is USAGE', (now) => {
    const r = hub.run(['users', 'list', '--json'], { env: { BASISHUB_NOW: now } });
    expect(r.code).toBe(2);
    expect(r.error).toMatchObject({ code: 'USAGE' });
    expect(r.error.message).toContain('BASISHUB_NOW');
  });

  it.each([
    [['users', 'list', '--limit', '99999999999999999999']],
    [['audit', '--limit', '1e3']],
    [['sync', 'history', '--limit', '0']],
    [['users', 'purge', '--older-than', '9999999999', '--yes']],
    [['sync', 'run', '--max-deletes', '-1']],
  ])('%j is USAGE', (args) => {
    const err = hub.fails(args, 2);
    expect(err.code).toBe('USAGE');
  });

  it('a hub at mode 400 stays 400 (only new files get 600)', () => {
    const h = hubWith(HOSTILE_CSV);
    fs.chmodSync(h.db, 0o400);
    h.run(['users', 'list']);
    h.run(['exceptions', 'add', 'hr:10395', '--reason', 'Invalpool']);
    expect(fs.statSync(h.db).mode & 0o777).toBe(0o400);
  });
});

/** Root in a container may mount a small tmpfs: a real full disk and a real read-only file system. */
function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const dir = tempDir('basishub-mount-');
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]).status === 0;
  if (ok) spawnSync('umount', [dir]);
  return ok;
}
const mountable = canMount();
function tmpfs(sizeKb: number): string {
  const dir = tempDir('basishub-mount-');
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0700`, 'tmpfs', dir]);
  beforeRemoval(() => spawnSync('umount', ['-l', dir]));
  return dir;
}

/** A large HR export: enough rows to fill a small disk. */
function bigExport(n: number): string {
  const rows = ['\uFEFFPersoneelsnummer;Voornaam;Tussenvoegsel;Achternaam;E-mailadres;School;Team'];
  for (let i = 0; i < n; i++) rows.push(`${200000 + i};Sanne;van den;Heuvel-${i};s${i}@waterlanden.nl;OBS De Regenboog ${i % 30};Groep ${1 + (i % 8)}`);
  return rows.join('\r\n') + '\r\n';
}

(mountable ? describe : describe.skip)('the disk (a tmpfs mounted for the test; needs root)', () => {
  it('a full disk during a sync is STORAGE (exit 2): it says what could not be written, and nothing changed', () => {
    const dir = tmpfs(2048); // room for the empty hub (its schema, search rows included) and its WAL
    const hub = new Hub(dir);
    hub.ok(['init']);
    const file = path.join(tempDir(), 'groot.csv');
    fs.writeFileSync(file, bigExport(20000));
    hub.ok(['sources', 'add', 'hr', '--file', file, ...DEMO_HR_SOURCE]);
    const r = hub.run(['sync', 'run', '--json']);
    expect(r.code).toBe(2);
    expect(r.error.code).toBe('STORAGE');
    expect(r.error.message).toContain(hub.db);
    expect(r.error.message).toContain('the disk is full');
    expect(r.error.message).toContain('Nothing was changed');
    const db = new Database(hub.db, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(0);
    db.close();
  });

  it('an export to a full disk is STORAGE, naming the file; no half file is left', () => {
    const hub = hubWith(HOSTILE_CSV);
    hub.ok(['exceptions', 'add', 'hr:10395', '--reason', 'Invalpool']);
    const dir = tmpfs(4);
    fs.writeFileSync(path.join(dir, 'vol'), Buffer.alloc(4096, 1));
    const target = path.join(dir, 'lijst.csv');
    const err = hub.fails(['exceptions', 'export', '--output', target], 2);
    expect(err.code).toBe('STORAGE');
    expect(err.message).toContain(target);
    expect(fs.readdirSync(dir)).toEqual(['vol']);
  });

  it('a hub on a read-only file system is STORAGE, not "not a basishub database"', () => {
    const dir = tmpfs(2048);
    const hub = hubWith(HOSTILE_CSV, dir);
    // As a hub closed by its last process is: no -wal or -shm beside it (SQLite must create them to open it).
    for (const f of [`${hub.db}-wal`, `${hub.db}-shm`]) expect(fs.existsSync(f)).toBe(false);
    execFileSync('mount', ['-o', 'remount,ro', dir]);
    for (const args of [
      ['users', 'list'],
      ['exceptions', 'add', 'hr:10395', '--reason', 'Invalpool'],
    ]) {
      const r = hub.spawn([...args, '--json']); // a fresh process: nothing of the hub open from before
      expect(r.code).toBe(2);
      expect(r.error.code).toBe('STORAGE');
      expect(r.error.message).toContain('read-only file system');
      expect(r.error.message).not.toContain('not a basishub database');
    }
    // check reads it all the same (a backup on read-only media).
    const c = hub.run(['check', '--json']);
    expect(c.code).toBe(0);
    expect(c.json.ok).toBe(true);
  });
});
