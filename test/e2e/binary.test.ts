/**
 * The real binary (bin/basishub.js in a child process) against the in-process runs that the other
 * tests use: the same exit status, the same stdout and the same stderr, for success, a usage error, a
 * refused file and a failed sync. If these agree, what the in-process tests show holds for the binary.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Hub, nightSources } from '../helpers/hub.js';

/** Runs the same command both ways on the same hub (it must change nothing, or the second run differs). */
function bothWays(hub: Hub, args: string[]) {
  const spawned = hub.spawn(args);
  const inProcess = hub.run(args);
  return { spawned, inProcess };
}

describe('the binary and the in-process CLI', () => {
  const hub = Hub.afterNightOne();
  hub.dayAfter(1);

  it.each([
    ['--version', 0, ['--version']],
    ['help', 0, ['users', '--help']],
    ['a list, as text', 0, ['users', 'list', '--search', 'Vries']],
    ['a list, as JSON', 0, ['users', 'list', '--json']],
    ['a dry run', 0, ['sync', 'run', ...nightSources(2), '--dry-run', '--json']],
    ['an unknown command', 2, ['user', 'list']],
    ['an unknown option under --json', 2, ['users', 'list', '--colour', '--json']],
    ['a user nobody is', 2, ['users', 'show', 'nobody@example.nl']],
    ['a missing export', 3, ['sync', 'run', '--source', 'hr=/nonexistent/hr-afas.csv', '--json']],
  ])('agree on %s: exit %d', (_what, code, args) => {
    const before = hub.dbState();
    const { spawned, inProcess } = bothWays(hub, args as string[]);
    expect(spawned.code).toBe(code);
    expect(inProcess.code).toBe(code);
    expect(inProcess.stdout).toBe(spawned.stdout);
    expect(inProcess.stderr).toBe(spawned.stderr);
    expect(hub.dbState()).toEqual(before);
  });

  it('agree on a sync that changes the hub: the same counts and the same audit trail', () => {
    // Two copies of one hub after night 1, at night 2.
    const a = Hub.afterNightOne();
    const b = Hub.afterNightOne();
    const args = ['sync', 'run', ...nightSources(2), '--json'];
    const spawned = a.spawn(args);
    const inProcess = b.run(args);
    expect(spawned.code).toBe(0);
    expect(inProcess.code).toBe(0);
    const { runId: _r1, ...fromBinary } = spawned.json;
    const { runId: _r2, ...fromMain } = inProcess.json;
    expect(fromMain).toEqual(fromBinary);
    expect(fromMain.counts).toMatchObject({ created: 1, updated: 1, deleted: 2, conflicts: 0 }); // night 2: a join, a marriage, a leaver and the unlisted substitute
    const audit = (h: Hub) => h.ok(['audit', '--limit', '1000']).map((e: any) => [e.action, e.userId, e.detail]);
    expect(audit(b)).toEqual(audit(a));
  });

  it('the binary refuses a file that is not a hub and leaves it as it was', () => {
    const other = path.join(hub.dir, 'notes.txt');
    fs.writeFileSync(other, 'geen database');
    const r = hub.spawn(['--db', other, 'users', 'list', '--json']);
    expect(r.code).toBe(2);
    expect(r.error).toMatchObject({ code: 'USAGE' });
    expect(r.error.message).toContain('is not a basishub database');
    expect(fs.readFileSync(other, 'utf8')).toBe('geen database');
  });
});
