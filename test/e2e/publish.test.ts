/**
 * `targets` and `publish` as cron runs them: the built CLI, spawned, against a real SCIM service on
 * 127.0.0.1 (scimmy). A publish killed with SIGKILL halfway is completed by the next one, without a
 * duplicate (R16); exit 8 on failures, exit 4 on a safety stop (R17); the token is never stored.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { BIN, Hub } from './cli.js';
import { store, useScimService } from '../helpers/scim-server.js';

const TOKEN = 'zeer-geheim-4711';
const scim = useScimService(TOKEN);

interface AsyncRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without blocking this process (the SCIM service lives here). */
function runAsync(hub: Hub, args: string[], onStart: (kill: () => void) => void = () => {}): Promise<AsyncRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--db', hub.db, ...args], {
      env: { ...process.env, NO_COLOR: '1', BASISHUB_NOW: hub.now, BASISHUB_ACTOR: 'cron', BASISHUB_DB: '', SCIM_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    onStart(() => child.kill('SIGKILL'));
  });
}

function setup(): Hub {
  const hub = Hub.afterNightOne('2026-11-24T02:00:00.000Z');
  hub.ok(['targets', 'add', 'entra', '--kind', 'scim', '--url', scim.proxy.url, '--token-env', 'SCIM_TOKEN'], { SCIM_TOKEN: TOKEN });
  return hub;
}

function activeCount(hub: Hub): number {
  return hub.ok(['users', 'list', '--status', 'active']).length;
}

function externalIds(): string[] {
  return [...store.users.values()].map((u) => u.externalId as string);
}

describe('targets', () => {
  it('adds, lists, shows, edits and removes targets, audited, and never stores a token', () => {
    const hub = setup();
    const sds = path.join(hub.dir, 'sds');
    expect(hub.ok(['targets', 'add', 'sds', '--kind', 'sds-v2.1', '--output', sds])).toMatchObject({ name: 'sds', kind: 'sds-v2.1', output: sds });
    expect(hub.ok(['targets', 'list']).map((t: any) => t.name)).toEqual(['entra', 'sds']);
    const shown = hub.ok(['targets', 'show', 'entra'], { SCIM_TOKEN: TOKEN });
    expect(shown).toMatchObject({ kind: 'scim', url: scim.proxy.url, tokenEnv: 'SCIM_TOKEN', tokenSet: true, lastPublish: null, acknowledged: { active: 0 } });
    expect(shown.pending.created).toBe(activeCount(hub));
    expect(hub.ok(['targets', 'edit', 'entra', '--groups', '--concurrency', '8'])).toMatchObject({ groups: true, concurrency: 8, forgotten: false });
    expect(hub.ok(['targets', 'remove', 'sds'])).toEqual({ name: 'sds', removed: true });
    const audit = hub.ok(['audit', '--limit', '10']).map((a: any) => a.action);
    expect(audit.slice(0, 4)).toEqual(['target.remove', 'target.edit', 'target.add', 'target.add']);
    expect(fs.readFileSync(hub.db).includes(TOKEN)).toBe(false);
    expect(fs.existsSync(hub.db + '-wal') && fs.readFileSync(hub.db + '-wal').includes(TOKEN)).toBe(false);
  });

  it('refuses what cannot work: plain http to another host, a token in place of a variable name, a missing output', () => {
    const hub = setup();
    expect(hub.fails(['targets', 'add', 'x', '--kind', 'scim', '--url', 'http://scim.example.nl/v2', '--token-env', 'T'], 2).message).toContain('loopback');
    expect(hub.fails(['targets', 'add', 'x', '--kind', 'scim', '--url', 'https://scim.example.nl/v2', '--token-env', 'eyJhbGciOi.x'], 2).message).toContain(
      '--token-env',
    );
    expect(hub.fails(['targets', 'add', 'x', '--kind', 'sds-v2.1'], 2).message).toContain('--output');
    expect(hub.fails(['targets', 'add', 'x', '--kind', 'sds-v2.1', '--output', 'x.zip'], 2).message).toContain('only oneroster-1.1');
    expect(hub.fails(['targets', 'add', 'x', '--kind', 'ldap', '--output', 'x'], 2).message).toContain('scim, sds-v2.1');
    expect(hub.fails(['targets', 'show', 'nope'], 2).code).toBe('NOT_FOUND');
    expect(hub.ok(['targets', 'add', 'lo', '--kind', 'scim', '--url', 'http://[::1]:9/scim', '--token-env', 'T'])).toMatchObject({
      url: 'http://[::1]:9/scim',
    });
  });
});

describe('publish', () => {
  it('prints the contract’s JSON, and a second publish sends nothing', async () => {
    const hub = setup();
    const dry = await runAsync(hub, ['publish', '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    expect(scim.proxy.log).toEqual([]);
    const r = await runAsync(hub, ['publish', '--json']);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout).targets[0];
    expect(Object.keys(t).slice(0, 6)).toEqual(['name', 'kind', 'dryRun', 'status', 'counts', 'failures']);
    expect(t).toMatchObject({ name: 'entra', kind: 'scim', dryRun: false, status: 'completed', failures: [] });
    expect(Object.keys(t.counts)).toEqual(['created', 'updated', 'deactivated', 'reactivated', 'deleted', 'unchanged', 'failed']);
    expect(t.counts.created).toBe(activeCount(hub));
    scim.proxy.log = [];
    const again = await runAsync(hub, ['publish', '--json']);
    expect(JSON.parse(again.stdout).targets[0].counts).toMatchObject({ created: 0, updated: 0, unchanged: activeCount(hub) });
    expect(scim.proxy.log).toEqual([]);
  });

  it('completes a publish killed halfway, without a duplicate (R16)', async () => {
    const hub = setup();
    scim.proxy.delayMs = 15;
    const killed = await runAsync(hub, ['publish', '--json'], (kill) => {
      let answered = 0;
      scim.proxy.onRequest = () => {
        if (++answered === 30) kill();
      };
    });
    expect(killed.signal).toBe('SIGKILL');
    const partial = store.users.size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(activeCount(hub));
    scim.proxy.onRequest = () => {};
    scim.proxy.delayMs = 0;
    const shown = hub.ok(['targets', 'show', 'entra']);
    expect(shown.lastPublish.status).toBe('running'); // interrupted
    const resumed = await runAsync(hub, ['publish', '--json']);
    expect(resumed.code).toBe(0);
    expect(store.users.size).toBe(activeCount(hub));
    expect(new Set(externalIds()).size).toBe(store.users.size);
    scim.proxy.log = [];
    const third = await runAsync(hub, ['publish', '--json']);
    expect(JSON.parse(third.stdout).targets[0].counts.unchanged).toBe(activeCount(hub));
    expect(scim.proxy.log).toEqual([]);
    expect(hub.ok(['targets', 'show', 'entra']).pending).toMatchObject({ created: 0, updated: 0, deactivated: 0 });
  });

  it('runs one publish per target at a time: a second one exits 5 and sends nothing', async () => {
    const hub = setup();
    let second: AsyncRun | undefined;
    // At the fifth request the second publish starts, and the first is held there until the second
    // has ended: the two overlap whatever the machine's load.
    const first = await runAsync(hub, ['publish', '--json'], () => {
      let answered = 0;
      scim.proxy.onRequest = () => {
        if (++answered !== 5) return;
        scim.proxy.gate = runAsync(hub, ['publish', '--json']).then((r) => {
          second = r;
          scim.proxy.gate = undefined;
        });
      };
    });
    while (second === undefined) await new Promise((r) => setTimeout(r, 50));
    expect(first.code).toBe(0);
    expect(second.code).toBe(5);
    expect(JSON.parse(second.stderr.trim().split('\n').pop()!).error.code).toBe('SYNC_LOCKED');
    expect(store.users.size).toBe(activeCount(hub));
  });

  it('exits 8 with per-account errors when a target fails, and 4 at a safety stop', async () => {
    const hub = setup();
    scim.proxy.fault = ({ method }) =>
      method === 'POST'
        ? { status: 400, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', detail: 'userName invalid' } }
        : undefined;
    const failed = await runAsync(hub, ['publish', '--json']);
    expect(failed.code).toBe(8);
    const doc = JSON.parse(failed.stdout).targets[0];
    expect(doc.status).toBe('failed');
    expect(doc.failures[0]).toMatchObject({ userId: expect.any(Number), message: expect.stringContaining('userName invalid') });
    expect(JSON.parse(failed.stderr.trim().split('\n').pop()!).error.code).toBe('TARGET_FAILED');
    scim.proxy.fault = () => undefined;
    // Without its token the whole target fails: the message counts the accounts held back, as the summary does.
    const noToken = hub.run(['publish'], { env: { SCIM_TOKEN: '' } });
    expect(noToken.code).toBe(8);
    const held = Number(/(\d+) failed/.exec(noToken.stdout)![1]);
    expect(held).toBeGreaterThan(1);
    expect(noToken.stderr).toContain(`Publishing to entra failed for ${held} item(s).`);
    expect(noToken.stderr).toContain('SCIM_TOKEN');
    expect((await runAsync(hub, ['publish'])).code).toBe(0);

    // Night 1 again without the pupils: the sync deletes 13 pupils (forced), then the publish stops.
    const empty = path.join(hub.dir, 'leeg.json');
    fs.writeFileSync(
      empty,
      JSON.stringify([{ leerlingnummer: 'L1', roepnaam: 'Nieuw', achternaam: 'Kind', relations: [{ organisation: 'OBS De Regenboog', group: 'Groep 3/4' }] }]),
    );
    hub.ok(['sync', 'run', '--source', `parnassys=${empty}`, '--force']);
    scim.proxy.log = [];
    const stopped = await runAsync(hub, ['publish', '--json']);
    expect(stopped.code).toBe(4);
    const err = JSON.parse(stopped.stderr.trim().split('\n').pop()!).error;
    expect(err).toMatchObject({ code: 'SAFETY_STOP', planId: expect.any(String) });
    expect(scim.proxy.log).toEqual([]);
    const approved = await runAsync(hub, ['publish', '--approve', err.planId, '--json']);
    expect(approved.code).toBe(0);
    expect(JSON.parse(approved.stdout).targets[0]).toMatchObject({ approved: err.planId, status: 'completed' });
  });
});
