/**
 * Hostile and half-written exports through the built CLI: each `sync run` ends with the exit code
 * expected (3 INVALID_EXPORT; 4 SAFETY_STOP for an export that is read whole but would delete too
 * much; 0 for a dry run of one within the limits), never INTERNAL or a crash; the hub is unchanged; and the process's peak memory stays at
 * most 512 MB (measured with getrusage, see test/helpers/peak.ts).
 *
 * The exports are about 4 MB (zip entries inflating to 80 MB): enough to show that memory follows the
 * input (one person's row repeated 10,000 times took a gigabyte before). BASISHUB_HOSTILE_MB=50 runs
 * them at 50 MB on disk (zip entries inflating to 1 GB), and prints each attack's figures. It also
 * checks, plans and syncs into an empty hub the most people a file of that size can name (50 MB: three
 * million of one id and one group each; just past the bulk-load minimum of 50,000 without BASISHUB_HOSTILE_MB).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { peakProbe } from '../helpers/peak.js';
import { fixture } from '../sources/helpers.js';
import { DEMO_HR_SOURCE, Hub, tempDir } from './cli.js';
import Database from 'better-sqlite3';
import { ATTACKS, minimalPeople } from './hostile-exports.js';
import { BULK_LOAD_MIN } from '../../src/app/sync.js';

const MB = Number(process.env.BASISHUB_HOSTILE_MB ?? 4);
const LIMIT_MB = 512;

const hub = new Hub();
const figures: string[] = [];

beforeAll(() => {
  hub.setupDemoSources();
  hub.ok(['sources', 'add', 'ro', '--file', fixture('oneroster/bulk.zip'), '--format', 'oneroster-1.1', '--match', 'none']);
  hub.night(1);
  hub.dayAfter(1);
  hub.now = '2026-11-25T02:00:00.000Z';
});

afterAll(() => {
  if (process.env.BASISHUB_HOSTILE_MB !== undefined) process.stderr.write(`\n${figures.join('\n')}\n`);
});

describe(`hostile exports of about ${MB} MB through the CLI`, () => {
  it.each(ATTACKS.map((a) => [a.name, a] as const))('%s', async (_name, attack) => {
    const file = await attack.make(hub.dir, MB * 1024 * 1024);
    // A stopped sync is recorded in the run history; a refused export leaves even that alone.
    const before = hub.dbState({ runs: attack.exit === 3 });
    const probe = peakProbe();
    const dryRun = attack.exit === 0 ? ['--dry-run'] : [];
    const r = hub.spawn(['sync', 'run', ...dryRun, '--source', `${attack.source}=${file}`, '--json'], { env: probe.env });
    const peak = probe.peakMB();
    const changed = hub.dbState({ runs: attack.exit === 3 }) !== before;
    figures.push(
      `${attack.name} | ${path.basename(file)} | exit ${r.code} ${r.error?.code ?? ''} | peak ${peak} MB | hub ${changed ? 'CHANGED' : 'unchanged'}`,
    );
    const code = { 0: undefined, 3: 'INVALID_EXPORT', 4: 'SAFETY_STOP' }[attack.exit];
    expect({ code: r.code, error: r.error?.code }).toEqual({ code: attack.exit, error: code });
    if (attack.exit !== 0) expect(r.stdout).toBe('');
    expect(peak).not.toBeNull();
    expect(peak!).toBeLessThanOrEqual(LIMIT_MB);
    expect(changed).toBe(false);
  });
});

// The people of a minimal export at 50 MB: 3 million. Without BASISHUB_HOSTILE_MB, a small version keeps
// `npm test` fast: just past the bulk-load minimum (BULK_LOAD_MIN new accounts, 50,000; rows of 17
// bytes, about 0.85 MB), so the sync into the empty hub takes the bulk load the 3 million take.
const MINIMAL_BYTES = process.env.BASISHUB_HOSTILE_MB === undefined ? (BULK_LOAD_MIN + 1000) * 17 : MB * 1024 * 1024;

describe(`an export of about ${(MINIMAL_BYTES / 1048576).toFixed(2)} MB of distinct people of one id and one group each`, () => {
  it(
    'is checked, planned and synced into an empty hub within the memory limit (R1: every person a new account)',
    () => {
      const fresh = new Hub(tempDir());
      fresh.ok(['init']);
      const { path: file, people } = minimalPeople(fresh.dir, MINIMAL_BYTES);
      fresh.ok(['sources', 'add', 'hr', '--file', file, ...DEMO_HR_SOURCE]);
      expect(people).toBeGreaterThanOrEqual(BULK_LOAD_MIN);
      // Human output for the runs: the dry run's JSON would list every one of the new accounts. The
      // sync's process reads and plans as the dry run does before it writes, so its peak covers the
      // plan; BASISHUB_HOSTILE_MB adds the dry run of its own, for its figure.
      const steps = [['sources', 'check', '--json'], ...(process.env.BASISHUB_HOSTILE_MB === undefined ? [] : [['sync', 'run', '--dry-run']]), ['sync', 'run']];
      for (const step of steps) {
        const probe = peakProbe();
        const r = fresh.spawn(step, { env: probe.env }); // a process of its own: its peak memory is measured
        const peak = probe.peakMB();
        figures.push(`${people} minimal people | ${step.join(' ')} | exit ${r.code} | peak ${peak} MB`);
        expect({ step, code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ step, code: 0, stderr: '' });
        if (step[0] === 'sources') expect(r.json[0]).toMatchObject({ records: people, rows: people, complete: true, problems: [] });
        expect(peak).not.toBeNull();
        expect(peak!).toBeLessThanOrEqual(LIMIT_MB);
      }
      const db = new Database(fresh.db, { readonly: true });
      try {
        expect(db.prepare('SELECT count(*) AS n FROM accounts').get()).toEqual({ n: people });
        const last = String(1000000 + people - 1);
        const one = db.prepare('SELECT l.record, a.role FROM links l JOIN accounts a ON a.id = l.account_id WHERE l.external_id = ?').get(last);
        // The record as read (no name, group 3), on a staff account (an HR source's default role).
        expect(one).toEqual({ record: '\x1f\x1f\x1f\x1f\x1e\x1f3\x1f\x1f', role: 'staff' });
      } finally {
        db.close();
      }
    },
    process.env.BASISHUB_HOSTILE_MB === undefined ? 60000 : 30 * 60000,
  );
});

describe('a CSV cut at its end, accepted knowingly', () => {
  it('is refused with a hint that names the flag, and read with --accept-unterminated for that source', async () => {
    const attack = ATTACKS.find((a) => a.name.startsWith('cut inside the last field'))!;
    const file = await attack.make(hub.dir, 0);
    const refused = hub.run(['sync', 'run', '--dry-run', '--source', `hr=${file}`, '--json']);
    expect(refused.code).toBe(3);
    expect(refused.error.hint).toContain('basishub sync run --accept-unterminated hr');
    const accepted = hub.ok(['sync', 'run', '--dry-run', '--source', `hr=${file}`, '--accept-unterminated', 'hr']);
    expect(accepted.files.find((f: any) => f.source === 'hr')).toMatchObject({ path: file });
    expect(hub.run(['sync', 'run', '--accept-unterminated', 'afas', '--json']).error.code).toBe('NOT_FOUND');
  });
});
