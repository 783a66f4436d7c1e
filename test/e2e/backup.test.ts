/**
 * Backups through the built CLI: `backup --output` (consistent while a sync runs, owner-only, never over
 * a file without --force, never over the hub) and the copies a sync makes first (--backup-dir, --keep,
 * the hub settings), pruned to the last n of its own.
 */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BIN, Hub, ROOT, DEMO_HR_MAP } from './cli.js';

const GOOD = path.join(ROOT, 'fixtures', 'revert', 'hr-afas-goed.csv');
const HR_MAP = DEMO_HR_MAP;

function integrity(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

/** An HR export of n staff, semicolon CSV with BOM; `suffix` renames every family name (a night of n updates). */
function writeStaff(file: string, n: number, suffix: string): void {
  const prefixes = ['', 'de', 'van', 'van der', "'t", 'ter'];
  const lines = ['Personeelsnummer;Voornaam;Tussenvoegsel;Achternaam;E-mailadres;School;Team'];
  for (let i = 0; i < n; i++) {
    const id = 200000 + i;
    lines.push(`${id};Medewerker ${i};${prefixes[i % prefixes.length]};Jansen${suffix};m${id}@waterlanden.nl;School ${i % 40};Groep ${1 + (i % 8)}`);
  }
  fs.writeFileSync(file, '\uFEFF' + lines.join('\r\n') + '\r\n');
}

async function waitFor(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function lockHeld(db: string): boolean {
  const h = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (h.prepare('SELECT count(*) AS n FROM sync_lock').get() as { n: number }).n > 0;
  } finally {
    h.close();
  }
}

describe('backup', () => {
  it('takes a consistent copy while a sync runs: it passes the integrity check and opens as a hub', async () => {
    const hub = new Hub();
    // Enough people that the renaming sync still holds the lock when the backup (a few MB) is done.
    const n = 5_000;
    const base = path.join(hub.dir, 'hr-base.csv');
    const renamed = path.join(hub.dir, 'hr-renamed.csv');
    writeStaff(base, n, '');
    writeStaff(renamed, n, '-Bakker');
    hub.ok(['init']);
    hub.ok(['sources', 'add', 'hr', '--file', base, '--kind', 'hr', ...HR_MAP]);
    hub.ok(['sync', 'run']);

    // A sync that renames them all, in a process of its own; the backup starts while it holds the lock.
    const child = spawn(process.execPath, [BIN, '--db', hub.db, 'sync', 'run', '--source', `hr=${renamed}`, '--json'], {
      env: { ...process.env, NO_COLOR: '1', BASISHUB_NOW: '2026-11-25T02:00:00.000Z', BASISHUB_ACTOR: 'cron' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    await waitFor(() => lockHeld(hub.db), 'the sync to take its lock');
    const copy = path.join(hub.dir, 'kopie.db');
    const made = hub.ok(['backup', '--output', copy]);
    const syncWasRunning = lockHeld(hub.db);
    expect(await exited).toBe(0);

    expect(made).toEqual({ output: copy, bytes: fs.statSync(copy).size });
    expect(fs.statSync(copy).mode & 0o777).toBe(0o600);
    expect(integrity(copy)).toBe('ok');
    // One state of the hub: all renamed or none, never half a sync.
    const users = hub.ok(['--db', copy, 'users', 'list']);
    expect(users).toHaveLength(n);
    const renamedCount = users.filter((u: any) => u.familyName === 'Jansen-Bakker').length;
    expect([0, n]).toContain(renamedCount);
    expect(syncWasRunning || renamedCount === n).toBe(true);
    expect(fs.readdirSync(hub.dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  }, 180_000);

  it('never writes over a file without --force, and never over the hub', () => {
    const hub = new Hub();
    hub.ok(['init']);
    const copy = path.join(hub.dir, 'kopie.db');
    fs.writeFileSync(copy, 'notities van de coördinator');
    const err = hub.fails(['backup', '--output', copy], 2);
    expect(err.message).toContain('already exists');
    expect(fs.readFileSync(copy, 'utf8')).toBe('notities van de coördinator');
    hub.ok(['backup', '--output', copy, '--force']);
    expect(integrity(copy)).toBe('ok');
    expect(fs.statSync(copy).mode & 0o777).toBe(0o600);

    // The hub itself, by its own name or another (a hard link, a symbolic link): refused, even with --force.
    const hard = path.join(hub.dir, 'ook-de-hub.db');
    fs.linkSync(hub.db, hard);
    const soft = path.join(hub.dir, 'snelkoppeling.db');
    fs.symlinkSync(hub.db, soft);
    const state = hub.dbState();
    for (const target of [hub.db, hard, soft]) expect(hub.fails(['backup', '--output', target, '--force'], 2).message).toContain('is the hub database');
    expect(hub.dbState()).toBe(state);
    expect(integrity(hub.db)).toBe('ok');
    expect(hub.fails(['backup', '--output', path.join(hub.dir, 'bestaat-niet', 'kopie.db')], 2).message).toContain('does not exist');
    expect(hub.fails(['backup', '--output', hub.dir, '--force'], 2).message).toContain('not a file');
  });
});

describe('a copy before each sync', () => {
  it('keeps the last n copies of its own, removes older ones, and leaves other files alone', () => {
    const hub = new Hub();
    hub.ok(['init']);
    hub.ok(['sources', 'add', 'hr', '--file', GOOD, '--kind', 'hr', ...HR_MAP]);
    const dir = path.join(hub.dir, 'backups');
    fs.mkdirSync(dir);
    const other = ['hub-presync-notities.db', 'ander-presync-20261101T020000Z.db', 'hub-presync-20261101T020000Z.db.txt'];
    for (const f of other) fs.writeFileSync(path.join(dir, f), 'niet van basishub');

    // Flags on the command line.
    hub.now = '2026-11-24T02:00:00.000Z';
    const first = hub.ok(['sync', 'run', '--backup-dir', dir, '--keep', '2']);
    expect(first.backup).toEqual({ output: path.join(dir, 'hub-presync-20261124T020000Z.db'), bytes: expect.any(Number), pruned: [] });
    // The copy before the first sync holds no accounts yet.
    expect(hub.ok(['--db', first.backup.output, 'users', 'list'])).toEqual([]);

    // Then the hub's settings, so the cron line stays short.
    hub.ok(['config', 'set', 'backup-dir', dir]);
    hub.ok(['config', 'set', 'backup-keep', '2']);
    expect(hub.ok(['config', 'list'])).toEqual([
      expect.objectContaining({ name: 'backup-dir', value: dir }),
      expect.objectContaining({ name: 'backup-keep', value: '2' }),
    ]);
    for (const night of ['25', '26', '27']) {
      hub.now = `2026-11-${night}T02:00:00.000Z`;
      hub.ok(['sync', 'run']);
    }
    hub.now = '2026-11-27T02:00:00.000Z'; // the same second again: a second name, not an overwrite
    const again = hub.ok(['sync', 'run']);
    expect(again.backup.output).toBe(path.join(dir, 'hub-presync-20261127T020000Z-1.db'));
    expect(again.backup.pruned).toEqual([path.join(dir, 'hub-presync-20261126T020000Z.db')]);
    expect(fs.readdirSync(dir).sort()).toEqual([...other, 'hub-presync-20261127T020000Z-1.db', 'hub-presync-20261127T020000Z.db'].sort());
    for (const f of ['hub-presync-20261127T020000Z.db', 'hub-presync-20261127T020000Z-1.db']) {
      expect(integrity(path.join(dir, f))).toBe('ok');
      expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    }
    // A dry run and --no-backup make no copy.
    hub.now = '2026-11-28T02:00:00.000Z';
    expect(hub.ok(['sync', 'run', '--dry-run']).backup).toBeNull();
    expect(hub.ok(['sync', 'run', '--no-backup']).backup).toBeNull();
    expect(fs.readdirSync(dir)).toHaveLength(5);
    // The setting changes are in the audit trail.
    expect(hub.ok(['audit', '--limit', '50']).filter((e: any) => e.action === 'config.set')).toHaveLength(2);
  });

  it('refuses bad settings and --keep without a folder', () => {
    const hub = new Hub();
    hub.ok(['init']);
    hub.ok(['sources', 'add', 'hr', '--file', GOOD, '--kind', 'hr', ...HR_MAP]);
    expect(hub.fails(['config', 'set', 'backup-keep', '0'], 2).message).toContain('at least 1');
    expect(hub.fails(['config', 'set', 'bewaar', '3'], 2).code).toBe('NOT_FOUND');
    expect(hub.fails(['sync', 'run', '--keep', '3'], 2).message).toContain('--keep needs a folder');
    expect(hub.fails(['sync', 'run', '--backup-dir', path.join(hub.dir, 'b'), '--keep', '0'], 2).code).toBe('USAGE');
    expect(hub.ok(['sync', 'history'])).toEqual([]);
  });
});
