/**
 * A bad night undone through the built CLI (R18): HR exported the wrong school (CBS De Wegwijzer left
 * out, three staff of another foundation's school in), a rename that should not have happened, and a
 * lapsed list entry. `sync revert` puts it back; later changes win unless forced; a revert is a run of
 * its own and can be reverted in its turn.
 */
import { describe, expect, it } from '@jest/globals';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DEMO_HR_SOURCE, Hub, ROOT } from './cli.js';

const GOOD = path.join(ROOT, 'fixtures', 'revert', 'hr-afas-goed.csv');
const BAD = path.join(ROOT, 'fixtures', 'revert', 'hr-afas-fout.csv');
const WEGWIJZER = ['hr:10282', 'hr:10296', 'hr:10315', 'hr:10329']; // deleted by the bad night
const WILGEN = ['hr:10411', 'hr:10412', 'hr:10413']; // created by the bad night

/** A hub with the HR source, night 1 synced from the good export, and Ingrid ter Horst listed until the 24th. */
function hubAfterGoodNight(): Hub {
  const hub = new Hub();
  hub.ok(['init']);
  hub.ok(['sources', 'add', 'hr', '--file', GOOD, ...DEMO_HR_SOURCE]);
  hub.now = '2026-11-24T02:00:00.000Z';
  hub.ok(['sync', 'run']);
  hub.now = '2026-11-24T10:00:00.000Z';
  hub.ok(['exceptions', 'add', 'hr:10329', '--reason', 'Detachering bij het samenwerkingsverband', '--until', '2026-11-24'], { BASISHUB_ACTOR: 'anne' });
  return hub;
}

function badNight(hub: Hub, at = '2026-11-25T02:00:00.000Z'): any {
  hub.now = at;
  return hub.ok(['sync', 'run', '--source', `hr=${BAD}`]);
}

/** What a person sees of the accounts, without the timestamps a revert moves. */
function accounts(hub: Hub): any[] {
  return hub.ok(['users', 'list']).map(({ updatedAt, ...rest }: any) => rest);
}

function user(hub: Hub, ref: string): any {
  return hub.ok(['users', 'show', ref]);
}

describe('sync revert: a bad night undone (R18)', () => {
  it('brings the deleted teachers back with their links and list entry, undoes the rename and deletes the accounts it created', () => {
    const hub = hubAfterGoodNight();
    const before = accounts(hub);
    const listBefore = hub.ok(['exceptions', 'list']);
    const bad = badNight(hub);
    expect(bad.counts).toMatchObject({ created: 3, updated: 2, deleted: 4, lapsed: 1 });
    expect(user(hub, 'hr:10329')).toMatchObject({ status: 'deleted', listed: false });

    hub.now = '2026-11-25T08:30:00.000Z';
    // The plan first: a dry run changes nothing.
    const state = hub.dbState();
    const dry = hub.ok(['sync', 'revert', String(bad.runId), '--dry-run']);
    expect(dry).toMatchObject({ runId: null, revertOf: bad.runId, dryRun: true, counts: { revived: 4, updated: 2, deleted: 3, kept: 0 } });
    expect(hub.dbState()).toBe(state);
    // Without a terminal it needs --yes, and says so.
    const refused = hub.fails(['sync', 'revert', String(bad.runId)], 2);
    expect(refused.code).toBe('USAGE');
    expect(refused.message).toContain('--yes');
    expect(hub.dbState()).toBe(state);

    const r = hub.ok(['sync', 'revert', String(bad.runId), '--yes'], { BASISHUB_ACTOR: 'anne' });
    expect(r).toMatchObject({ revertOf: bad.runId, dryRun: false, counts: { revived: 4, updated: 2, deleted: 3, kept: 0 } });
    expect(typeof r.runId).toBe('number');

    for (const ref of WEGWIJZER) expect(user(hub, ref)).toMatchObject({ status: 'active', owner: 'source', links: [{ active: true }] });
    expect(
      user(hub, 'hr:10301')
        .relations.map((x: any) => x.organisation)
        .sort(),
    ).toEqual(['CBS De Wegwijzer', 'RKBS Sint Jozef']);
    expect(user(hub, 'hr:10334').familyName).toBe('Kramer');
    for (const ref of WILGEN) expect(user(hub, ref)).toMatchObject({ status: 'deleted', deletedBy: 'anne' });
    // The list entry returns as it was: reason, who added it and when, its end date (passed by now, so
    // it shows as lapsed, and the next sync lapses it again unless someone extends it).
    expect(hub.ok(['exceptions', 'list'])).toEqual(listBefore.map((e: any) => ({ ...e, daysListed: expect.any(Number), lapsed: true })));
    // Every account the bad night touched is as it was before it (the three new ones aside).
    const wilgenIds = new Set(WILGEN.map((ref) => user(hub, ref).id));
    expect(accounts(hub).filter((u) => !wilgenIds.has(u.id))).toEqual(before);
  });

  it('is a run of its own: in the history as a revert, in sync show, and audited per account with who did it', () => {
    const hub = hubAfterGoodNight();
    const bad = badNight(hub);
    hub.now = '2026-11-25T08:30:00.000Z';
    const r = hub.ok(['sync', 'revert', String(bad.runId), '--yes'], { BASISHUB_ACTOR: 'anne' });
    const [latest] = hub.ok(['sync', 'history', '--limit', '1']);
    expect(latest).toMatchObject({ runId: r.runId, actor: 'anne', status: 'completed', reverts: bad.runId });
    expect(hub.run(['sync', 'history']).stdout).toContain(`revert of run ${bad.runId}`);
    const shown = hub.ok(['sync', 'show', String(r.runId)]);
    expect(shown.changes.map((c: any) => c.action).sort()).toEqual(['delete', 'delete', 'delete', 'revive', 'revive', 'revive', 'revive', 'update', 'update']);
    const audit = hub.ok(['audit', '--user', 'hr:10329', '--limit', '1'])[0];
    expect(audit).toMatchObject({ action: 'revive', actor: 'anne', runId: r.runId, reason: `revert of sync run ${bad.runId}` });
    expect(audit.detail).toContain('back on the exception list (Detachering bij het samenwerkingsverband');
    // Reverting it again does nothing: every account is as before the run.
    const again = hub.ok(['sync', 'revert', String(bad.runId), '--yes']);
    expect(again).toMatchObject({ runId: null, counts: { revived: 0, updated: 0, deleted: 0, kept: 0, unchanged: 9 } });
  });

  it('leaves an account that a person changed since alone, names who changed it, and reverts it with --force', () => {
    const hub = hubAfterGoodNight();
    const bad = badNight(hub);
    hub.now = '2026-11-25T08:00:00.000Z';
    hub.ok(['users', 'edit', 'hr:10334', '--given-name', 'Joëlle Maria', '--force'], { BASISHUB_ACTOR: 'bert' });

    hub.now = '2026-11-25T08:30:00.000Z';
    const r = hub.ok(['sync', 'revert', String(bad.runId), '--yes']);
    expect(r.counts).toMatchObject({ revived: 4, updated: 1, deleted: 3, kept: 1 });
    const joelle = user(hub, 'hr:10334');
    expect(joelle).toMatchObject({ givenName: 'Joëlle Maria', familyName: 'Kramer-Jansen' });
    expect(r.kept).toEqual([
      {
        userId: joelle.id,
        detail: expect.stringContaining('left alone'),
        changedBy: [expect.objectContaining({ action: 'user.edit', actor: 'bert', runId: null })],
      },
    ]);
    expect(hub.run(['sync', 'revert', String(bad.runId), '--dry-run']).stdout).toContain('user.edit (bert, 2026-11-25 08:00)');

    const forced = hub.ok(['sync', 'revert', String(bad.runId), '--force', '--yes']);
    expect(forced).toMatchObject({ forced: true, counts: { updated: 1, kept: 0, unchanged: 8 } });
    expect(user(hub, 'hr:10334')).toMatchObject({ givenName: 'Joëlle', familyName: 'Kramer' });
    expect(forced.changes.find((c: any) => c.action === 'update').detail).toContain('forced over what changed it since run');
  });

  it('a revert of a revert applies the run again', () => {
    const hub = hubAfterGoodNight();
    const bad = badNight(hub);
    const afterBad = accounts(hub);
    hub.now = '2026-11-25T08:30:00.000Z';
    const r = hub.ok(['sync', 'revert', String(bad.runId), '--yes']);
    hub.now = '2026-11-25T09:00:00.000Z';
    const rr = hub.ok(['sync', 'revert', String(r.runId), '--yes']);
    expect(rr).toMatchObject({ revertOf: r.runId, counts: { revived: 3, deleted: 4, updated: 2, kept: 0 } });
    expect(accounts(hub)).toEqual(afterBad);
    expect(hub.ok(['exceptions', 'list'])).toEqual([]);
  });

  it('does nothing for what a later run already undid, and names what that run could not undo', () => {
    const hub = hubAfterGoodNight();
    const bad = badNight(hub);
    hub.now = '2026-11-26T02:00:00.000Z';
    const good = hub.ok(['sync', 'run']); // HR sends the right export again
    expect(good.counts).toMatchObject({ revived: 4, deleted: 3 });
    hub.now = '2026-11-26T08:30:00.000Z';
    const state = hub.dbState();
    const r = hub.ok(['sync', 'revert', String(bad.runId), '--yes']);
    // Only Ingrid's list entry is still gone: the revival did not put it back, and it counts as a later change.
    expect(r).toMatchObject({ runId: null, counts: { revived: 0, updated: 0, deleted: 0, kept: 1, unchanged: 8 } });
    expect(r.kept[0].changedBy).toEqual([expect.objectContaining({ action: 'revive', runId: good.runId })]);
    expect(hub.dbState()).toBe(state);
  });

  it('the same bad export the next night does it all again: the revert does not fix the source', () => {
    const hub = hubAfterGoodNight();
    const bad = badNight(hub);
    hub.now = '2026-11-25T08:30:00.000Z';
    hub.ok(['sync', 'revert', String(bad.runId), '--yes']);
    hub.now = '2026-11-26T02:00:00.000Z';
    const dry = hub.ok(['sync', 'run', '--source', `hr=${BAD}`, '--dry-run']);
    expect(dry.counts).toMatchObject({ deleted: 4, revived: 3, updated: 2, lapsed: 1 });
  });

  it('refuses what it cannot revert: an unknown run, a stopped run', () => {
    const hub = hubAfterGoodNight();
    expect(hub.fails(['sync', 'revert', '99', '--yes'], 2).code).toBe('NOT_FOUND');
    expect(hub.fails(['sync', 'revert', 'gisteren', '--yes'], 2).code).toBe('NOT_FOUND');
    hub.now = '2026-11-25T02:00:00.000Z';
    const stop = hub.fails(['sync', 'run', '--source', `hr=${BAD}`, '--max-deletes', '1'], 4);
    const err = hub.fails(['sync', 'revert', String(stop.runId), '--yes'], 2);
    expect(err.message).toContain('changed nothing');
  });

  it('takes the sync lock: while a sync runs, a revert exits 5 and changes nothing', () => {
    const hub = hubAfterGoodNight();
    const bad = badNight(hub);
    const db = new Database(hub.db);
    // A sync of this test's own (live) process holds the lock.
    db.prepare('INSERT INTO sync_lock (id, pid, host, actor, since) VALUES (1, ?, ?, ?, ?)').run(
      process.pid,
      os.hostname(),
      'cron',
      '2026-11-25T08:29:00.000Z',
    );
    db.close();
    hub.now = '2026-11-25T08:30:00.000Z';
    const state = hub.dbState();
    // A real process: the lock names this test's process as its holder, which an in-process run would be too.
    const r = hub.spawn(['sync', 'revert', String(bad.runId), '--yes', '--json']);
    expect(r.code).toBe(5);
    expect(r.error.code).toBe('SYNC_LOCKED');
    expect(hub.dbState()).toBe(state);
  });

  it('reverts a run recorded before snapshots were kept only partly, and says what it cannot undo', () => {
    const hub = hubAfterGoodNight();
    const bad = badNight(hub);
    // As a hub upgraded after that run would hold it: no snapshots, snapshots kept from the next run on.
    const db = new Database(hub.db);
    db.prepare('DELETE FROM run_undo WHERE run_id = ?').run(bad.runId);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'undo_from_run'").run(String(bad.runId + 1));
    db.close();
    hub.now = '2026-11-25T08:30:00.000Z';
    const r = hub.ok(['sync', 'revert', String(bad.runId), '--yes']);
    expect(r).toMatchObject({ partial: true, counts: { deleted: 3, updated: 1, revived: 0, notRevertible: 6 } });
    expect(user(hub, 'hr:10334').familyName).toBe('Kramer');
    for (const ref of WILGEN) expect(user(hub, ref).status).toBe('deleted');
    for (const ref of WEGWIJZER) expect(user(hub, ref).status).toBe('deleted');
    expect(r.kept.map((k: any) => k.detail).join('\n')).toContain('cannot be undone');
  });
});
