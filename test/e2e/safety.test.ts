/**
 * Safe unattended syncs (the contract's "Safety defaults"): deletion limits, reviewed approvals, source
 * health, empty exports, the lock, atomicity under SIGKILL, and bad exports.
 *
 * Most runs are in-process (`hub.run`); what needs real processes starts the binary: a lock holder that
 * is another process, two syncs at once, a reader that closes the pipe, a kill in mid-write.
 */
import { describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BIN, Hub, ROOT, expectNothingOnStdout, night, nightSources } from '../helpers/hub.js';

/** The hub's data but the run history: a stopped run is recorded there, and nothing else changes. */
function state(hub: Hub): string {
  return hub.dbState({ runs: false });
}

/** A copy of a night's export, cut to its header and the first `keep` records. */
function cut(hub: Hub, n: number, source: 'hr' | 'basispoort', keep: number): string {
  const text = fs.readFileSync(night(n, source), 'utf8');
  const lines = text.split(/(?<=\n)/);
  const file = path.join(hub.dir, `${source}-cut-${keep}.csv`);
  fs.writeFileSync(file, lines.slice(0, 1 + keep).join(''));
  return file;
}

function pupils(hub: Hub, keep: number): string {
  const all = JSON.parse(fs.readFileSync(night(1, 'parnassys'), 'utf8'));
  const file = path.join(hub.dir, `pupils-${keep}.json`);
  fs.writeFileSync(file, JSON.stringify(all.slice(0, keep)));
  return file;
}

function nightOne(): Hub {
  const hub = new Hub();
  hub.setupDemoSources();
  hub.night(1);
  hub.now = '2026-11-25T02:00:00.000Z';
  return hub;
}

describe('the deletion limit', () => {
  it('stops a sync that would delete more than the default limit, changing nothing, and says how to go on', () => {
    const hub = nightOne();
    const before = state(hub);
    const args = ['sync', 'run', ...nightSources(1), '--source', `parnassys=${pupils(hub, 5)}`];
    const r = hub.run([...args, '--json']);
    expect(r.code).toBe(4);
    expectNothingOnStdout(r);
    expect(r.error).toMatchObject({ code: 'SAFETY_STOP', maxDeletes: 10, deletesBySource: { parnassys: 25 } });
    expect(r.error.message).toContain('it would delete 25 accounts (25 linked to parnassys), more than the limit of 10');
    expect(r.error.planId).toMatch(/^[0-9a-f]{16}$/);
    expect(r.error.hint).toContain(`--approve ${r.error.planId}`);
    expect(state(hub)).toEqual(before);

    // The stopped run is in the history, with what it planned.
    const stopped = hub.ok(['sync', 'show', String(r.error.runId)]);
    expect(stopped).toMatchObject({ status: 'stopped', planId: r.error.planId });
    expect(stopped.changes.filter((c: any) => c.action === 'delete')).toHaveLength(25);

    // People read the same in text.
    const text = hub.run(args);
    expect(text.code).toBe(4);
    expect(text.stderr).toContain('SAFETY_STOP');
    expect(text.stderr).toContain('basishub sync run --approve');
  });

  it('applies exactly the reviewed plan with --approve, and records the approval', () => {
    const hub = nightOne();
    const args = ['sync', 'run', ...nightSources(1), '--source', `parnassys=${pupils(hub, 5)}`];
    const stop = hub.fails(args, 4);
    const done = hub.ok([...args, '--approve', stop.planId]);
    expect(done).toMatchObject({ status: 'completed', approved: stop.planId, planId: stop.planId });
    expect(done.counts.deleted).toBe(25);
    const [last] = hub.ok(['sync', 'history', '--limit', '1']);
    expect(last).toMatchObject({ approved: stop.planId, status: 'completed' });
    expect(last.stopReason).toContain('--approve');
  });

  it('refuses an approval when the hub changed since the review', () => {
    const hub = nightOne();
    const args = ['sync', 'run', ...nightSources(1), '--source', `parnassys=${pupils(hub, 5)}`];
    const stop = hub.fails(args, 4);
    hub.ok(['exceptions', 'add', 'hr:10395', '--reason', 'Invalpool']);
    const before = state(hub);
    const err = hub.fails([...args, '--approve', stop.planId], 4);
    expect(err.code).toBe('SAFETY_STOP');
    expect(err.message).toContain('no longer matches');
    expect(err.planId).not.toBe(stop.planId);
    expect(state(hub)).toEqual(before);
  });

  it('refuses an approval when the exports changed since the review', () => {
    const hub = nightOne();
    const stop = hub.fails(['sync', 'run', ...nightSources(1), '--source', `parnassys=${pupils(hub, 5)}`], 4);
    const err = hub.fails(['sync', 'run', ...nightSources(1), '--source', `parnassys=${pupils(hub, 4)}`, '--approve', stop.planId], 4);
    expect(err.message).toContain('no longer matches');
  });

  it('--max-deletes and --force lift the limit; --force is recorded', () => {
    const hub = nightOne();
    const args = ['sync', 'run', ...nightSources(1), '--source', `parnassys=${pupils(hub, 5)}`];
    expect(hub.fails([...args, '--max-deletes', '24'], 4).code).toBe('SAFETY_STOP');
    const forced = hub.ok([...args, '--force']);
    expect(forced).toMatchObject({ forced: true, status: 'completed' });
    expect(forced.counts.deleted).toBe(25);
    const other = nightOne();
    expect(other.ok(['sync', 'run', ...nightSources(1), '--source', `parnassys=${pupils(other, 5)}`, '--max-deletes', '25']).counts.deleted).toBe(25);
  });
});

describe('source health', () => {
  it('stops when a source fell by more than 20% and more than 10 records, naming both counts', () => {
    const hub = nightOne();
    // Basispoort loses 12 of its 14 staff; HR still offers them, so nothing would be deleted.
    const args = ['sync', 'run', ...nightSources(1), '--source', `basispoort=${cut(hub, 1, 'basispoort', 2)}`];
    const before = state(hub);
    const err = hub.fails(args, 4);
    expect(err.code).toBe('SAFETY_STOP');
    expect(err.message).toContain('source basispoort fell from 14 to 2 records since run 1');
    expect(err.counts.deleted).toBe(0);
    expect(state(hub)).toEqual(before);
    expect(hub.ok([...args, '--approve', err.planId]).status).toBe('completed');
  });

  it('does not stop for a drop of 10 records or fewer', () => {
    const hub = nightOne();
    const r = hub.ok(['sync', 'run', ...nightSources(1), '--source', `basispoort=${cut(hub, 1, 'basispoort', 4)}`]);
    expect(r.status).toBe('completed');
  });
});

describe('an empty export', () => {
  it('is invalid unless --allow-empty names its source', () => {
    const hub = nightOne();
    const empty = path.join(hub.dir, 'basispoort-empty.csv');
    fs.writeFileSync(empty, 'eckid,voornaam,tussenvoegsel,achternaam,email,rol,school,groep\n');
    const before = state(hub);
    const err = hub.fails(['sync', 'run', ...nightSources(1), '--source', `basispoort=${empty}`], 3);
    expect(err.code).toBe('INVALID_EXPORT');
    expect(err.message).toContain(empty);
    expect(err.hint).toContain('--allow-empty basispoort');
    expect(state(hub)).toEqual(before);
    const ok = hub.ok(['sync', 'run', ...nightSources(1), '--source', `basispoort=${empty}`, '--allow-empty', 'basispoort', '--max-deletes', '100']);
    expect(ok.status).toBe('completed');
    expect(hub.ok(['users', 'show', 'hr:10234']).links.find((l: any) => l.source === 'basispoort').active).toBe(false);
  });
});

describe('one sync at a time', () => {
  it('a second sync exits 5 at once, naming who holds the lock; a lock left by a dead process never blocks', async () => {
    const hub = nightOne();
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

  it('two syncs started together, as two processes: one runs, the other exits 5', async () => {
    const hub = new Hub();
    hub.ok(['init']);
    const big = writePupils(hub, 60000);
    hub.ok(['sources', 'add', 'pupils', '--file', big, '--kind', 'las']);
    const first = hub.start(['sync', 'run', '--json']);
    await waitFor(() => lockHeld(hub.db));
    const second = hub.spawn(['sync', 'run', '--json']);
    expect(second.code).toBe(5);
    expect(second.error.code).toBe('SYNC_LOCKED');
    expect(second.error.holder.pid).toBe(first.proc.pid);
    const done = await first.done;
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout).counts.created).toBe(60000);
  });
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
  // A first sync into an empty hub loads with a rollback journal, any other with the WAL
  // (Store.withRollbackJournal): a kill must leave the hub as it was either way.
  it.each([
    ['into an empty hub (rollback journal)', false],
    ['into a hub that holds accounts (WAL)', true],
  ])('a sync killed (SIGKILL) in mid-apply %s leaves the hub intact and as it was; the next one completes', async (_how, holdsAccounts) => {
    const hub = new Hub();
    if (holdsAccounts) {
      hub.setupDemoSources();
      hub.night(1);
    } else hub.ok(['init']);
    const before = hub.ok(['users', 'list', '--json']).length;
    const big = writePupils(hub, 200000);
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
    expect(schemaIndexes).toEqual(expect.arrayContaining(['accounts_email', 'audit_account', 'links_account']));
    db.close();

    const next = hub.ok(['sync', 'run']);
    expect(next.counts.created).toBe(200000);
    const after = new Database(hub.db, { readonly: true });
    expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").pluck().all()).toEqual(schemaIndexes);
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(after.pragma('journal_mode', { simple: true })).toBe('wal');
    after.close();
    expect(hub.ok(['users', 'show', 'p199999@leerling.example.nl']).links).toEqual([{ source: 'pupils', externalId: 'L299999', active: true }]);
  }, 240000);
});

describe('bad exports', () => {
  const BAD = path.join(ROOT, 'fixtures', 'bad');
  const cases: [string, string, string[], number | null][] = [
    // file, format, --map options, line named in the message (null: the file only)
    ['empty.csv', 'csv', [], null],
    ['missing-externalid.csv', 'csv', [], 1],
    ['missing-mapped-column.csv', 'csv', ['--map', 'email=E-mailadres'], 1],
    ['duplicate-header.csv', 'csv', [], 1],
    ['conflicting-rows.csv', 'csv', [], 4],
    ['broken-quoting.csv', 'csv', [], 3],
    ['wrong-field-count.csv', 'csv', [], 3],
    ['invalid-date.csv', 'csv', [], 3],
    ['invalid-utf8.csv', 'csv', [], 4],
    ['bom-in-middle.csv', 'csv', [], 4],
    ['truncated.json', 'json', [], 3],
    ['bare-string.json', 'json', [], 1],
    ['wrapped-object.json', 'json', [], 1],
    ['array-of-strings.json', 'json', [], 2],
    ['invalid-json-object.ndjson', 'json', [], 2],
  ];

  const hub = new Hub();
  hub.setupDemoSources();
  hub.night(1);

  it.each(cases)('%s: exit 3, INVALID_EXPORT naming the file and line, nothing changed', (file, format, map, line) => {
    const name = `bad-${file.replace(/\W/g, '-')}`;
    hub.ok(['sources', 'add', name, '--file', path.join(BAD, file), '--format', format, ...map]);
    const before = state(hub);
    try {
      const err = hub.fails(['sync', 'run', ...nightSources(1)], 3);
      expect(err.code).toBe('INVALID_EXPORT');
      expect(err.message).toContain(path.join(BAD, file) + (line === null ? '' : `:${line}`));
      expect(err.file).toBe(path.join(BAD, file));
      expect(state(hub)).toEqual(before);
    } finally {
      hub.ok(['sources', 'remove', name]);
    }
  });

  it('a missing file, a folder, and a 10 MB field are invalid too', () => {
    const before = state(hub);
    const huge = path.join(hub.dir, 'huge.csv');
    fs.writeFileSync(huge, `Personeelsnummer;Voornaam;Tussenvoegsel;Achternaam;E-mailadres;School;Team\n10001;Jan;;${'x'.repeat(10 * 1024 * 1024)};jan@x.nl;School;Team\n`);
    for (const [i, file] of [path.join(hub.dir, 'nope.csv'), hub.dir, huge].entries()) {
      const r = hub.run(['sync', 'run', ...nightSources(1), '--source', `hr=${file}`, '--json']);
      expect(r.code).toBe(3);
      expect(r.error.code).toBe('INVALID_EXPORT');
      expect(r.error.message).toContain(file);
      if (i === 2) expect(r.error.message).toContain(`${file}:2`);
    }
    expect(state(hub)).toEqual(before);
  });
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
