/**
 * Five nights of the demo foundation through the built CLI, as cron runs it. The expected
 * counts are those of fixtures/demo/README.md.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Hub, expectNothingOnStdout, nightSources } from './cli.js';

const CONTRACT_USER_FIELDS = [
  'id',
  'email',
  'givenName',
  'prefix',
  'familyName',
  'displayName',
  'role',
  'status',
  'owner',
  'links',
  'relations',
  'listed',
  'createdAt',
  'updatedAt',
  'deletedAt',
];
const COUNT_FIELDS = ['created', 'updated', 'relinked', 'revived', 'deleted', 'protected', 'conflicts', 'unchanged'];

describe('the hub database', () => {
  it('init creates an owner-only hub, is a no-op the second time, and refuses other files', () => {
    const hub = new Hub();
    expect(hub.ok(['init'])).toEqual({ db: hub.db, created: true });
    expect(fs.statSync(hub.db).mode & 0o777).toBe(0o600);
    expect(hub.ok(['init'])).toEqual({ db: hub.db, created: false });
    const other = path.join(hub.dir, 'notes.txt');
    fs.writeFileSync(other, 'not a database');
    const r = hub.run(['--db', other, 'init', '--json']);
    expect(r.code).toBe(2);
    expect(fs.readFileSync(other, 'utf8')).toBe('not a database');
  });

  it('every other command on a missing database fails with NO_DATABASE and creates nothing', () => {
    const hub = new Hub();
    for (const args of [['users', 'list'], ['sync', 'run'], ['exceptions', 'list'], ['sources', 'list'], ['audit']]) {
      expect(hub.fails(args, 2).code).toBe('NO_DATABASE');
    }
    expect(fs.existsSync(hub.db)).toBe(false);
  });

  it('refuses a database with a newer schema than the program knows', () => {
    const hub = new Hub();
    hub.ok(['init']);
    const db = new Database(hub.db);
    db.pragma('user_version = 999'); // as a newer basishub would leave it
    db.close();
    const err = hub.fails(['users', 'list'], 2);
    expect(err.message).toContain('newer than this basishub knows');
  });
});

describe('five nights of the demo foundation', () => {
  const hub = new Hub();
  const runs: any[] = [];

  beforeAll(() => {
    hub.setupDemoSources();
    runs[1] = hub.night(1);
    hub.dayAfter(1);
    hub.ok(['exceptions', 'add', 'fatima.elamrani@waterlanden.nl', '--reason', 'Invalpool: tussen twee contracten']);
    runs[2] = hub.night(2);
    hub.dayAfter(2);
    hub.ok(['exceptions', 'edit', 'hr:10395', '--reason', 'Invalpool: nieuw contract verwacht in december'], { BASISHUB_ACTOR: 'anne' });
    hub.ok(['users', 'edit', 'hr:10395', '--family-name', 'Amrani-Bakker']);
    runs[3] = hub.night(3);
    runs[4] = hub.night(4);
    hub.dayAfter(4);
    hub.ok(['exceptions', 'remove', 'hr:10395']);
    runs[5] = hub.night(5);
  });

  it('prints each run as the contract says', () => {
    for (const r of runs.slice(1)) {
      expect(r).toMatchObject({ dryRun: false, status: 'completed' });
      expect(typeof r.runId).toBe('number');
      for (const k of COUNT_FIELDS) expect(typeof r.counts[k]).toBe('number');
      for (const c of r.changes) expect(Object.keys(c).sort()).toEqual(['action', 'detail', 'externalId', 'source', 'userId'].sort());
    }
  });

  it('night 1 creates 44 accounts; Basispoort staff join the HR accounts (R11, R12)', () => {
    expect(runs[1].counts).toMatchObject({ created: 44, updated: 0, relinked: 0, deleted: 0, protected: 0, conflicts: 0 });
    const hans = hub.ok(['users', 'show', 'hr:10278']);
    expect(hans.givenName).toBe('Hans'); // HR (priority 10) wins over Basispoort's "Johannes"
    expect(hans.links.map((l: any) => l.source).sort()).toEqual(['basispoort', 'hr']);
    const bas = hub.ok(['users', 'show', 'bas.thart@waterlanden.nl']);
    expect(bas.prefix).toBe("'t");
    expect(
      bas.relations
        .filter((r: any) => r.source === 'hr')
        .map((r: any) => r.organisation)
        .sort(),
    ).toEqual(['CBS De Wegwijzer', 'RKBS Sint Jozef']);
  });

  it('night 2: a join, a leave, a marriage, and the listed substitute is protected (R4)', () => {
    expect(runs[2].counts).toMatchObject({ created: 1, updated: 1, deleted: 1, protected: 1, unchanged: 41, conflicts: 0 });
    const anouk = hub.ok(['users', 'show', 'hr:10257']);
    expect(anouk).toMatchObject({ prefix: '', familyName: 'Jansen-de Graaf', displayName: 'Anouk Jansen-de Graaf' });
    const milan = hub.ok(['users', 'show', 'parnassys:L100390']);
    expect(milan).toMatchObject({ status: 'deleted' });
    expect(milan.deletedAt).toBe('2026-11-25T02:00:00.000Z');
    // Lotte has no relation: not offered, so no account (R2).
    expect(hub.fails(['users', 'show', 'parnassys:L100545'], 2).code).toBe('NOT_FOUND');
    const protectedChange = runs[2].changes.find((c: any) => c.action === 'protect');
    expect(protectedChange.detail).toContain('Invalpool');
  });

  it('the audit trail follows the substitute through add, edit, protect, hub edit, return, remove and delete', () => {
    const audit = hub.ok(['audit', '--user', 'hr:10395']);
    expect(audit.map((e: any) => [e.action, e.actor, e.runId])).toEqual([
      ['delete', 'tester', 5],
      ['exception.remove', 'tester', null],
      ['relink', 'tester', 4],
      ['protect', 'tester', 3],
      ['user.edit', 'tester', null],
      ['exception.edit', 'anne', null],
      ['protect', 'tester', 2],
      ['exception.add', 'tester', null],
      ['create', 'tester', 1],
    ]);
    const byAction = (a: string) => audit.find((e: any) => e.action === a);
    expect(byAction('exception.add')).toMatchObject({
      reason: 'Invalpool: tussen twee contracten',
      at: '2026-11-24T10:00:00.000Z',
      after: { reason: 'Invalpool: tussen twee contracten', until: null },
    });
    expect(byAction('exception.edit')).toMatchObject({
      before: { reason: 'Invalpool: tussen twee contracten' },
      after: { reason: 'Invalpool: nieuw contract verwacht in december' },
    });
    expect(byAction('user.edit')).toMatchObject({ before: { familyName: 'Amrani' }, after: { familyName: 'Amrani-Bakker' } });
    expect(byAction('relink').detail).toContain('stays on the list');
    expect(byAction('exception.remove').before).toEqual({ reason: 'Invalpool: nieuw contract verwacht in december', until: null });
    expect(byAction('delete').detail).toContain('no source offers it any more');
  });

  it('night 3: a leaver linked to two sources is deleted, a pupil moves group', () => {
    expect(runs[3].counts).toMatchObject({ created: 0, updated: 1, deleted: 1, protected: 1, unchanged: 41 });
    const petra = hub.ok(['users', 'show', 'petra.smit@waterlanden.nl']);
    expect(petra.status).toBe('deleted');
    expect(petra.links.every((l: any) => !l.active)).toBe(true);
  });

  it('night 4: the substitute returns and is matched back, not duplicated (R5)', () => {
    expect(runs[4].counts).toMatchObject({ created: 0, relinked: 1, updated: 0, deleted: 0, protected: 0 });
    const relink = runs[4].changes.find((c: any) => c.action === 'relink');
    expect(relink).toMatchObject({ source: 'hr', externalId: '10395' });
    const all = hub.ok(['users', 'list', '--all', '--search', 'fatima.elamrani']); // deleted in night 5
    expect(all).toHaveLength(1);
  });

  it('night 5: off the list and not offered, the substitute is deleted (R7)', () => {
    expect(runs[5].counts).toMatchObject({ deleted: 1, protected: 0, created: 0 });
    const fatima = hub.ok(['users', 'show', 'hr:10395']);
    expect(fatima).toMatchObject({ status: 'deleted', listed: false, familyName: 'Amrani-Bakker' });
  });

  it('users list prints the contract fields and filters', () => {
    const active = hub.ok(['users', 'list', '--status', 'active']);
    expect(active).toHaveLength(42);
    for (const u of active) {
      for (const f of CONTRACT_USER_FIELDS) expect(u).toHaveProperty(f);
      expect(u.status).toBe('active');
    }
    const deleted = hub.ok(['users', 'list', '--status', 'deleted']);
    expect(deleted.map((u: any) => u.displayName).sort()).toEqual(['Fatima el Amrani-Bakker', 'Milan Schouten', 'Petra Smit']);
    expect(hub.ok(['users', 'list', '--search', 'Sint Jozef']).length).toBeGreaterThan(5);
    expect(hub.ok(['users', 'list', '--owner', 'hub'])).toEqual([]);
  });

  it('the same exports again change nothing', () => {
    const before = hub.snapshot();
    const again = hub.ok(['sync', 'run', ...nightSources(5)]);
    expect(again.counts).toMatchObject({ created: 0, updated: 0, relinked: 0, revived: 0, deleted: 0, protected: 0, conflicts: 0, unchanged: 42 });
    expect(again.changes).toEqual([]);
    const after = JSON.parse(hub.snapshot());
    const was = JSON.parse(before);
    expect(after.users).toEqual(was.users);
    expect(after.audit).toEqual(was.audit);
  });

  it('sync history and sync show list every run with files, checksums and changes', () => {
    const history = hub.ok(['sync', 'history']);
    expect(history.map((r: any) => r.runId)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(history[5].files.map((f: any) => f.source).sort()).toEqual(['basispoort', 'hr', 'parnassys']);
    expect(history[5].files[0].checksum).toMatch(/^[0-9a-f]{64}$/);
    const show = hub.ok(['sync', 'show', '2']);
    expect(show.changes.map((c: any) => c.action).sort()).toEqual(['create', 'delete', 'protect', 'update']);
    expect(hub.fails(['sync', 'show', '99'], 2).code).toBe('NOT_FOUND');
  });
});

describe('a dry run', () => {
  it('shows exactly what a sync would do and changes nothing', () => {
    const hub = new Hub();
    hub.setupDemoSources();
    hub.night(1);
    const before = hub.snapshot();
    hub.now = '2026-11-25T02:00:00.000Z';
    const dry = hub.ok(['sync', 'run', '--dry-run', ...nightSources(2)]);
    expect(dry).toMatchObject({ dryRun: true, status: 'completed', runId: null });
    expect(dry.counts).toMatchObject({ created: 1, updated: 1, deleted: 2 });
    expect(hub.snapshot()).toEqual(before);
    const real = hub.night(2);
    expect(real.counts).toEqual(dry.counts);
    expect(real.changes.map((c: any) => [c.action, c.externalId])).toEqual(dry.changes.map((c: any) => [c.action, c.externalId]));
  });
});

describe('human output', () => {
  it('prints a summary grouped by action, without colour when not a TTY', () => {
    const hub = new Hub();
    hub.setupDemoSources();
    const r = hub.run(['sync', 'run', ...nightSources(1)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Sync run 1 completed');
    expect(r.stdout).toContain('Created (44)');
    expect(r.stdout).not.toMatch(/\x1b\[/);
    const list = hub.run(['users', 'list', '--search', 'Öztürk']);
    expect(list.stdout).toContain('Emre Öztürk');
    expect(list.stdout).not.toMatch(/\x1b\[/);
  });

  it('errors are one JSON document on stderr under --json, nothing on stdout', () => {
    const hub = new Hub();
    hub.ok(['init']);
    const r = hub.run(['users', 'show', 'nobody@example.nl', '--json']);
    expect(r.code).toBe(2);
    expectNothingOnStdout(r);
    expect(r.error).toMatchObject({ code: 'NOT_FOUND' });
    expect(typeof r.error.message).toBe('string');
  });
});
