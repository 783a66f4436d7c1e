/**
 * Every refusal of the exception list and account commands through the built CLI: its exit
 * code, its JSON error code, and a hub left exactly as it was.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { Hub } from './cli.js';

const hub = new Hub();

function state(): string {
  return hub.dbState();
}

beforeAll(() => {
  hub.setupDemoSources();
  hub.night(1);
  hub.dayAfter(1);
  hub.ok(['exceptions', 'add', 'hr:10395', '--reason', 'Invalpool']);
  hub.night(2); // Milan Schouten (parnassys:L100390) leaves and is deleted
  hub.dayAfter(2);
  hub.ok(['users', 'restore', 'parnassys:L100390']); // a hub account now: no source link (R8)
  // Two active accounts share an email: a hub from before addresses were kept unique (users edit now
  // refuses this with EMAIL_TAKEN), made here in the file itself.
  const db = new Database(hub.db);
  db.prepare(
    "UPDATE accounts SET email = 'jan.devries@waterlanden.nl' WHERE id = (SELECT account_id FROM links WHERE source = 'hr' AND external_id = '10278')",
  ).run();
  db.close();
  hub.ok(['users', 'delete', 'hr:10263', '--yes']); // Petra Smit, deleted by hand
});

describe('refusals', () => {
  const cases: [string, string[], string, RegExp][] = [
    ['NO_SOURCE_LINK: a restored account, by id (R9)', ['exceptions', 'add', '31', '--reason', 'x'], 'NO_SOURCE_LINK', /no source link/],
    [
      'NO_SOURCE_LINK: by email',
      ['exceptions', 'add', 'milan.schouten@leerling.waterlanden.nl', '--reason', 'x'],
      'NO_SOURCE_LINK',
      /cannot be put on the list/,
    ],
    ['NOT_FOUND: a restored account has no source link to find it by', ['users', 'show', 'parnassys:L100390'], 'NOT_FOUND', /No account matches/],
    ['USER_DELETED: exceptions add', ['exceptions', 'add', 'hr:10263', '--reason', 'x'], 'USER_DELETED', /deleted/],
    ['USER_DELETED: users edit', ['users', 'edit', 'hr:10263', '--family-name', 'x', '--force'], 'USER_DELETED', /deleted/],
    ['USER_DELETED: users delete twice', ['users', 'delete', 'hr:10263', '--yes'], 'USER_DELETED', /already deleted/],
    ['ALREADY_LISTED', ['exceptions', 'add', 'fatima.elamrani@waterlanden.nl', '--reason', 'again'], 'ALREADY_LISTED', /on the list already/],
    ['NOT_LISTED: edit', ['exceptions', 'edit', 'hr:10234', '--reason', 'x'], 'NOT_LISTED', /not on the exception list/],
    ['NOT_LISTED: remove', ['exceptions', 'remove', 'hr:10234'], 'NOT_LISTED', /not on the exception list/],
    ['AMBIGUOUS_USER', ['exceptions', 'add', 'jan.devries@waterlanden.nl', '--reason', 'x'], 'AMBIGUOUS_USER', /matches 2 accounts/],
    ['NOT_FOUND: email', ['users', 'show', 'nobody@waterlanden.nl'], 'NOT_FOUND', /No account matches/],
    ['NOT_FOUND: id', ['exceptions', 'add', '#9999', '--reason', 'x'], 'NOT_FOUND', /No account matches/],
    ['NOT_FOUND: source', ['users', 'show', 'afas:1'], 'NOT_FOUND', /No source named "afas"/],
    ['USAGE: no reason without a terminal', ['exceptions', 'add', 'hr:10234'], 'USAGE', /--reason/],
    ['USAGE: no user without a terminal', ['exceptions', 'add', '--reason', 'x'], 'USAGE', /<user>/],
    ['USAGE: blank reason', ['exceptions', 'add', 'hr:10234', '--reason', '  '], 'USAGE', /reason is required/],
    ['USAGE: a date that does not exist', ['exceptions', 'add', 'hr:10234', '--reason', 'x', '--until', '2027-02-30'], 'USAGE', /not a date that exists/],
    ['USAGE: an end date in the past', ['exceptions', 'add', 'hr:10234', '--reason', 'x', '--until', '2026-01-01'], 'USAGE', /in the past/],
    ['USAGE: R13 without --force', ['users', 'edit', 'hr:10234', '--family-name', 'Vries-Bakker'], 'USAGE', /overwrite/],
    ['USAGE: restore an active account', ['users', 'restore', 'hr:10234'], 'USAGE', /not deleted/],
    ['USAGE: unknown option', ['users', 'list', '--colour', 'red'], 'USAGE', /unknown option/i],
  ];

  it.each(cases)('%s', (_name, args, code, message) => {
    const before = state();
    const err = hub.fails(args, 2);
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(state()).toEqual(before);
  });

  it('AMBIGUOUS_USER lists the candidates', () => {
    const err = hub.fails(['users', 'show', 'jan.devries@waterlanden.nl'], 2);
    expect(err.candidates.map((c: any) => c.displayName).sort()).toEqual(['Hans van der Meer', 'Jan de Vries']);
  });

  it('without --json, the refusal is a message for people on stderr with a hint', () => {
    const r = hub.run(['exceptions', 'add', 'fatima.elamrani@waterlanden.nl', '--reason', 'again']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Error [ALREADY_LISTED]');
    expect(r.stderr).toContain('basishub exceptions edit');
  });
});

describe('grace period', () => {
  it('keeps an unoffered account pending for the grace days, visibly, then deletes it', () => {
    const g = new Hub();
    g.setupDemoSources();
    g.ok(['sources', 'edit', 'parnassys', '--grace-days', '2']);
    g.night(1);
    // Night 2: Milan leaves the pupil export (2 grace days); Fatima (HR, no grace, not listed here) goes at once.
    const n2 = g.night(2);
    expect(n2.counts).toMatchObject({ pending: 1, deleted: 1 });
    const pending = n2.changes.find((c: any) => c.action === 'pending');
    expect(pending.detail).toContain('Milan Schouten');
    expect(pending.detail).toContain('deleted on 2026-11-27');
    const milan = g.ok(['users', 'show', 'parnassys:L100390']);
    expect(milan).toMatchObject({ status: 'active', notOfferedSince: '2026-11-25T02:00:00.000Z' });
    expect(g.run(['users', 'show', 'parnassys:L100390']).stdout).toContain('pending deletion');
    expect(g.run(['users', 'list', '--search', 'Schouten']).stdout).toContain('not offered since 2026-11-25');
    expect(g.run(['sync', 'show', String(n2.runId)]).stdout).toContain('Pending deletion (grace period) (1)');
    // Night 3: still waiting; Petra (HR, no grace) is deleted at once.
    expect(g.night(3).counts).toMatchObject({ pending: 1, deleted: 1 });
    // Night 4: two days have passed.
    const n4 = g.night(4);
    expect(n4.changes.filter((c: any) => c.action === 'delete').map((c: any) => c.userId)).toEqual([milan.id]);
    expect(g.ok(['users', 'show', String(milan.id)]).status).toBe('deleted');
  });
});
