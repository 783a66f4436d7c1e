/**
 * What only real processes show (the contract's "Safety defaults"): one sync at a time when the lock is
 * held by another process, a reader that closes the pipe early, and a sync killed (SIGKILL) in mid-write.
 * The binary runs as a child process (`hub.start`, `hub.spawn`); the checks around it run in-process.
 */
import { describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BULK_LOAD_MIN } from '../../src/app/sync.js';
import { BIN, Hub, nightSources } from '../helpers/hub.js';

/** The hub's data but the run history: a stopped run is recorded there, and nothing else changes. */
function state(hub: Hub): string {
  return hub.dbState({ runs: false });
}

describe('one sync at a time', () => {
  it('a second sync exits 5 at once, naming who holds the lock; a lock left by a dead process never blocks', async () => {
    const hub = Hub.afterNightOne();
    // The holder: another process that stays alive far longer than any test may take.
    const sleeper = spawn('sleep', ['3600']);
    try {
      const db = new Database(hub.db);
      db.prepare("INSERT INTO sync_lock (id, pid, host, actor, since) VALUES (1, ?, ?, 'cron', '2026-11-25T01:59:00.000Z')").run(sleeper.pid, os.hostname());
      db.close();
      const before = state(hub);
      // The exports do not exist: a sync that read them before it looked at the lock would fail with exit 3.
      const missing = path.join(hub.dir, 'not-yet-delivered.csv');
      const r = hub.run(['sync', 'run', ...nightSources(2), '--source', `hr=${missing}`, '--json']);
      expect(r.code).toBe(5);
      expect(r.error.code).toBe('SYNC_LOCKED');
      expect(r.error.message).toContain('started by cron at 2026-11-25T01:59:00.000Z');
      expect(r.error.holder).toMatchObject({ pid: sleeper.pid, actor: 'cron' });
      // It did not wait for the holder to end: the holder still runs.
      expect(() => process.kill(sleeper.pid!, 0)).not.toThrow();
      expect(state(hub)).toEqual(before);
      // Other commands still work meanwhile.
      expect(hub.ok(['users', 'list']).length).toBe(44);
    } finally {
      const gone = new Promise((resolve) => sleeper.on('exit', resolve));
      sleeper.kill('SIGKILL');
      await gone;
    }
    // The holder is gone (killed, its lock left behind): the lock is taken over.
    expect(hub.night(2).status).toBe('completed');
  });

  it('two syncs at once: while one runs in its own process, the other exits 5', async () => {
    const hub = new Hub();
    hub.ok(['init']);
    // Enough pupils that the first is still reading when it is paused (the lock is taken before it reads).
    const big = writePupils(hub, 20000);
    hub.ok(['sources', 'add', 'pupils', '--file', big, '--kind', 'las']);
    const first = hub.start(['sync', 'run', '--json']);
    await waitFor(() => lockHeld(hub.db));
    // Paused, the first cannot finish before the second has looked (else the second might simply run).
    first.proc.kill('SIGSTOP');
    let second;
    try {
      second = hub.run(['sync', 'run', '--json']);
    } finally {
      first.proc.kill('SIGCONT');
    }
    expect(second.code).toBe(5);
    expect(second.error.code).toBe('SYNC_LOCKED');
    // The lock row names the first, or (paused while it writes) the hub stays busy until the wait ends.
    expect(second.error.message).toMatch(new RegExp(`Another sync is running: .*process ${first.proc.pid} |The hub is busy: a sync is writing to it`));
    const done = await first.done;
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout).counts.created).toBe(20000);
  }, 120_000); // a real sync in its own process: on a machine loaded far beyond its cores it passed 60 s once
});

describe('output into a pipe', () => {
  it('stops quietly, exit 0, when the reader closes the pipe early (basishub users list | head)', () => {
    const hub = new Hub();
    hub.ok(['init']);
    hub.ok(['sources', 'add', 'pupils', '--file', writePupils(hub, 3000), '--kind', 'las']);
    hub.ok(['sync', 'run']);
    // 3,000 rows are far more than a pipe holds, so the CLI is still writing when head has gone.
    const script = `"${process.execPath}" "${BIN}" --db "${hub.db}" users list | head -n 2; echo "exit \${PIPESTATUS[0]}" >&2`;
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: hub.env() });
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
    expect(r.stderr.trim().split('\n').pop()).toBe('exit 0');
  });
});

describe('atomicity', () => {
  // Just enough pupils for a bulk load (BULK_LOAD_MIN new accounts, 50,000: about 35 MB written, well past
  // the 8 MB at which the kill comes), and no more: the next sync loads them all again in-process.
  const PUPILS = BULK_LOAD_MIN;
  // A first sync into an empty hub loads with a rollback journal, any other with the WAL
  // (Store.withRollbackJournal): a kill must leave the hub as it was either way.
  it.each([
    ['into an empty hub (rollback journal)', false],
    ['into a hub that holds accounts (WAL)', true],
  ])(
    'a sync killed (SIGKILL) in mid-apply %s leaves the hub intact and as it was; the next one completes',
    async (_how, holdsAccounts) => {
      const hub = holdsAccounts ? Hub.afterNightOne() : new Hub();
      if (!holdsAccounts) hub.ok(['init']);
      const before = hub.ok(['users', 'list', '--json']).length;
      const big = writePupils(hub, PUPILS);
      hub.ok(['sources', 'add', 'pupils', '--file', big, '--kind', 'las']);
      const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
      const written = () => size(hub.db) + size(`${hub.db}-wal`);
      const start = written();
      const child = hub.start(['sync', 'run', '--json']);
      // Kill once the run's transaction is writing (the file or its WAL grows by a few MB).
      await waitFor(() => written() > start + 8 * 1024 * 1024, 120000);
      child.proc.kill('SIGKILL');
      const killed = await child.done;
      expect(killed.signal).toBe('SIGKILL');
      if (!holdsAccounts) expect(fs.existsSync(`${hub.db}-journal`)).toBe(true); // a hot journal, to be rolled back

      // The next command opens the hub (and rolls back what the kill left): nothing of the run is there.
      expect(hub.ok(['users', 'list', '--json'])).toHaveLength(before);
      expect(hub.ok(['sync', 'history', '--json'])).toHaveLength(holdsAccounts ? 1 : 0);
      const db = new Database(hub.db, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const indexes = () => db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").pluck().all();
      const schemaIndexes = indexes();
      // A sync this large loads in bulk (indexes dropped and rebuilt in its transaction): the kill left them in place.
      expect(schemaIndexes).toEqual(expect.arrayContaining(['accounts_email', 'audit_account', 'links_account_active']));
      db.close();

      const next = hub.ok(['sync', 'run']);
      expect(next.counts.created).toBe(PUPILS);
      const after = new Database(hub.db, { readonly: true });
      expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").pluck().all()).toEqual(schemaIndexes);
      expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(after.pragma('journal_mode', { simple: true })).toBe('wal');
      after.close();
      expect(hub.ok(['users', 'show', `p${PUPILS - 1}@leerling.example.nl`]).links).toEqual([
        { source: 'pupils', externalId: `L${100000 + PUPILS - 1}`, active: true },
      ]);
    },
    240000,
  );
});

// ---- helpers -----------------------------------------------------------------------------------

function writePupils(hub: Hub, n: number): string {
  const file = path.join(hub.dir, `pupils-${n}.csv`);
  const out: string[] = ['externalId;givenName;prefix;familyName;email;organisation;group'];
  const names = ['Daan', 'Noor', 'Sem', 'Julia', 'Lieke', 'Ayoub', 'Fenna', 'Saar'];
  const prefixes = ['', 'de', 'van', 'van der', "'t", 'ter'];
  for (let i = 0; i < n; i++) {
    out.push(`L${100000 + i};${names[i % 8]};${prefixes[i % 6]};Jansen${i};p${i}@leerling.example.nl;School ${i % 500};Groep ${(i % 8) + 1}`);
  }
  fs.writeFileSync(file, '\ufeff' + out.join('\r\n') + '\r\n');
  return file;
}

function lockHeld(db: string): boolean {
  try {
    const d = new Database(db, { readonly: true });
    try {
      return (d.prepare('SELECT count(*) AS n FROM sync_lock').get() as { n: number }).n > 0;
    } finally {
      d.close();
    }
  } catch {
    return false;
  }
}

async function waitFor(cond: () => boolean, timeoutMs = 60000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
