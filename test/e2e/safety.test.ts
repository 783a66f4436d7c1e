/**
 * Safe unattended syncs (the command-line contract, "Safety defaults"): deletion limits, reviewed approvals, source
 * health, empty exports and bad exports, in-process. The lock, a closed pipe and atomicity under SIGKILL
 * need real processes: processes.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { Hub, ROOT, expectNothingOnStdout, night, nightSources } from '../helpers/hub.js';

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

describe('the deletion limit', () => {
  it('stops a sync that would delete more than the default limit, changing nothing, and says how to go on', () => {
    const hub = Hub.afterNightOne();
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
    // The command to approve it repeats the run's --source overrides: without them the plan differs;
    // `sync show` of the stopped run says the same.
    expect(hub.run(['sync', 'show', String(r.error.runId)]).stdout).toMatch(
      /apply it with: basishub sync run --source parnassys=\S+pupils-5\.json --approve [0-9a-f]{16}/,
    );
    expect(text.stderr).toMatch(/basishub sync run --source hr=\S+ --source parnassys=\S+pupils-5\.json --source basispoort=\S+ --approve [0-9a-f]{16}/);
  });

  it('a dry run says that the sync would stop, and why, with the command that approves its plan', () => {
    const hub = Hub.afterNightOne();
    const before = state(hub);
    const args = ['sync', 'run', ...nightSources(1), '--source', `parnassys=${pupils(hub, 5)}`];
    const dry = hub.ok([...args, '--dry-run']);
    expect(dry).toMatchObject({ dryRun: true, status: 'completed', runId: null });
    expect(dry.stopReason).toContain('it would delete 25 accounts (25 linked to parnassys), more than the limit of 10');
    const text = hub.run([...args, '--dry-run']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('A sync would stop here (exit 4, changing nothing): it would delete 25 accounts');
    expect(text.stdout).toContain(`--approve ${dry.planId}`);
    expect(text.stdout).not.toContain('Run without --dry-run to apply it');
    const nl = hub.run([...args, '--dry-run'], { env: { BASISHUB_LANG: 'nl' } });
    expect(nl.stdout).toContain('Een synchronisatie zou hier stoppen');
    expect(state(hub)).toEqual(before);
    // The dry run's plan is the one the sync stops on, so its approval goes through.
    const done = hub.ok([...args, '--approve', dry.planId]);
    expect(done).toMatchObject({ status: 'completed', approved: dry.planId });
    expect(done.stopReason).toBe(dry.stopReason);
    // Within the limits (or forced) a dry run meets no stop.
    expect(hub.ok(['sync', 'run', ...nightSources(1), '--dry-run']).stopReason).toBeNull();
    expect(hub.run(['sync', 'run', ...nightSources(1), '--dry-run']).stdout).toContain('Run without --dry-run to apply it');
  });

  it('applies exactly the reviewed plan with --approve, and records the approval', () => {
    const hub = Hub.afterNightOne();
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
    const hub = Hub.afterNightOne();
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
    const hub = Hub.afterNightOne();
    const stop = hub.fails(['sync', 'run', ...nightSources(1), '--source', `parnassys=${pupils(hub, 5)}`], 4);
    const err = hub.fails(['sync', 'run', ...nightSources(1), '--source', `parnassys=${pupils(hub, 4)}`, '--approve', stop.planId], 4);
    expect(err.message).toContain('no longer matches');
  });

  it('--max-deletes and --force lift the limit; --force is recorded', () => {
    const hub = Hub.afterNightOne();
    const args = ['sync', 'run', ...nightSources(1), '--source', `parnassys=${pupils(hub, 5)}`];
    expect(hub.fails([...args, '--max-deletes', '24'], 4).code).toBe('SAFETY_STOP');
    const forced = hub.ok([...args, '--force']);
    expect(forced).toMatchObject({ forced: true, status: 'completed' });
    expect(forced.counts.deleted).toBe(25);
    const other = Hub.afterNightOne();
    expect(other.ok(['sync', 'run', ...nightSources(1), '--source', `parnassys=${pupils(other, 5)}`, '--max-deletes', '25']).counts.deleted).toBe(25);
  });
});

describe('source health', () => {
  it('stops when a source fell by more than 20% and more than 10 records, naming both counts', () => {
    const hub = Hub.afterNightOne();
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
    const hub = Hub.afterNightOne();
    const r = hub.ok(['sync', 'run', ...nightSources(1), '--source', `basispoort=${cut(hub, 1, 'basispoort', 4)}`]);
    expect(r.status).toBe('completed');
  });
});

describe('an empty export', () => {
  it('is invalid unless --allow-empty names its source', () => {
    const hub = Hub.afterNightOne();
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
    // Registered on a file that is not there yet (sources add would check a CSV header at once), and
    // then given the bad export for one run, as a night's new export arrives.
    hub.ok(['sources', 'add', name, '--file', path.join(hub.dir, 'later', file), '--format', format, ...map]);
    const before = state(hub);
    try {
      const err = hub.fails(['sync', 'run', ...nightSources(1), '--source', `${name}=${path.join(BAD, file)}`], 3);
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
    fs.writeFileSync(
      huge,
      `Personeelsnummer;Voornaam;Tussenvoegsel;Achternaam;E-mailadres;School;Team\n10001;Jan;;${'x'.repeat(10 * 1024 * 1024)};jan@x.nl;School;Team\n`,
    );
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
