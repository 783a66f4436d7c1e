/**
 * `exceptions review|import|export` through the built CLI on the demo foundation, as a script
 * or cron calls it: no TTY, the clock pinned with BASISHUB_NOW. Nights are 2026-11-(23+n) at 02:00.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Hub, expectNothingOnStdout } from './cli.js';

const BOM = '\ufeff';
const FATIMA = 'hr:10395';
const JAN = 'hr:10234';
const HANS = 'hr:10278';
const ZOE = 'hr:10241';

function ids(list: { user: { id: number } }[]): number[] {
  return list.map((x) => x.user.id);
}

/** Account ids never change; spawning the CLI for each look-up is slow. */
const idCache = new Map<string, number>();
function idOf(hub: Hub, ref: string): number {
  const key = `${hub.db}|${ref}`;
  let id = idCache.get(key);
  if (id === undefined) idCache.set(key, (id = hub.ok(['users', 'show', ref]).id as number));
  return id;
}

/** A fresh hub after night 1 of the demo (a copy of one made once), the day after. */
function nightOne(): Hub {
  const hub = Hub.afterNightOne();
  hub.dayAfter(1);
  return hub;
}

function audit(hub: Hub): unknown {
  return hub.ok(['audit', '--limit', '100000']);
}

/** What a change would touch: the audit trail (every change writes to it) and the list itself. */
function state(hub: Hub): unknown {
  return { audit: audit(hub), list: hub.ok(['exceptions', 'list']) };
}

describe('exceptions review', () => {
  const hub = new Hub();
  const reviews: Record<string, any> = {};
  const runs: Record<string, any> = {};
  let auditBeforeReview: unknown;
  let auditAfterReview: unknown;
  let pendingRun: { code: number; stdout: string; stderr: string };
  let humanRun: { code: number; stdout: string; stderr: string };

  beforeAll(() => {
    hub.setupDemoSources();
    hub.night(1);
    hub.dayAfter(1);
    reviews.empty = hub.run(['exceptions', 'review', '--fail-if-pending', '--json']);
    hub.ok(['exceptions', 'add', FATIMA, '--reason', 'Invalpool: tussen twee contracten']);
    hub.ok(['exceptions', 'add', JAN, '--reason', 'Interim-directeur tot de nieuwe start', '--until', '2026-11-25']);
    hub.ok(['exceptions', 'add', HANS, '--reason', 'Gaat met pensioen; account blijft tot de overdracht']);
    runs.night2 = hub.night(2);
    // 01:00 before night 3: Jan's end date (the 25th) is yesterday, no sync has run since.
    hub.now = '2026-11-26T01:00:00.000Z';
    auditBeforeReview = audit(hub);
    pendingRun = hub.run(['exceptions', 'review', '--fail-if-pending', '--json']);
    auditAfterReview = audit(hub);
    humanRun = hub.run(['exceptions', 'review', '--fail-if-pending', '--no-record']);
    runs.night3 = hub.night(3);
    hub.dayAfter(3);
    reviews.afterLapse = hub.ok(['exceptions', 'review']);
    reviews.again = hub.ok(['exceptions', 'review']);
    runs.night4 = hub.night(4);
    hub.dayAfter(4);
    reviews.returned = hub.ok(['exceptions', 'review', '--older-than', '3']);
    hub.ok(['exceptions', 'edit', FATIMA, '--reason', 'Invalpool: nieuw contract tot de zomer', '--until', '2027-07-01']);
    reviews.decided = hub.ok(['exceptions', 'review']);
    hub.now = '2027-06-01T10:00:00.000Z';
    reviews.halfYear = hub.ok(['exceptions', 'review']);
  }, 300_000);

  it('with nothing listed: pending 0 and exit 0, even with --fail-if-pending', () => {
    expect(reviews.empty.code).toBe(0);
    const r = reviews.empty.json;
    expect(r).toMatchObject({ olderThan: 180, pending: 0, groups: { longListed: [], notOffered: [], lapsed: [], offeredAgain: [], pastUntil: [] } });
  }, 180_000);

  it('--fail-if-pending exits 6 and still prints the one JSON document', () => {
    expect(pendingRun.code).toBe(6);
    const r = JSON.parse(pendingRun.stdout);
    expect(r.pending).toBe(2);
    expect(pendingRun.stderr).toBe('');
  }, 180_000);

  it('not offered: a listed account that no source offers, with since when', () => {
    const r = JSON.parse(pendingRun.stdout);
    expect(runs.night2.counts.protected).toBe(1);
    expect(ids(r.groups.notOffered)).toEqual([idOf(hub, FATIMA)]);
    expect(r.groups.notOffered[0]).toMatchObject({
      offered: false,
      notOfferedSince: '2026-11-25T02:00:00.000Z',
      reason: 'Invalpool: tussen twee contracten',
      user: { owner: 'hub', status: 'active' },
    });
  }, 180_000);

  it('past until: the end date passed and no sync has run since', () => {
    const r = JSON.parse(pendingRun.stdout);
    expect(ids(r.groups.pastUntil)).toEqual([idOf(hub, JAN)]);
    expect(r.groups.pastUntil[0]).toMatchObject({ until: '2026-11-25', lapsed: true });
    expect(r.groups.lapsed).toEqual([]);
    expect(r.groups.longListed).toEqual([]);
    expect(r.groups.offeredAgain).toEqual([]);
  }, 180_000);

  it('a review changes nothing in the audit trail (an approved sync plan stays valid)', () => {
    expect(auditAfterReview).toEqual(auditBeforeReview);
  }, 180_000);

  it('for people: a heading per group, a table, and the command that acts on it', () => {
    expect(humanRun.code).toBe(6);
    expect(humanRun.stdout).toMatch(/Listed, but no source offers them.*\(1\)/);
    expect(humanRun.stdout).toMatch(/End date passed, still listed until the next sync \(1\)/);
    expect(humanRun.stdout).toMatch(/basishub exceptions remove <id>/);
    expect(humanRun.stdout).toMatch(/basishub users delete <id>/);
    expect(humanRun.stdout).toMatch(/basishub sync run/);
    expect(humanRun.stdout).toMatch(/Fatima el Amrani/);
    expect(humanRun.stdout).toMatch(/Listed 180 days or longer: none/);
    expect(humanRun.stderr).toMatch(/2 accounts need a decision/);
    expect(humanRun.stdout).not.toMatch(/\x1b\[/);
  }, 180_000);

  it('lapsing: an entry whose end date was yesterday leaves the list at the next sync, audited as "lapse" by that run', () => {
    expect(runs.night3.counts).toMatchObject({ lapsed: 1, deleted: 1, protected: 1 });
    const lapses = (audit(hub) as any[]).filter((e) => e.action === 'lapse');
    expect(lapses).toHaveLength(1);
    expect(lapses[0]).toMatchObject({ accountId: idOf(hub, JAN), runId: runs.night3.runId, at: '2026-11-26T02:00:00.000Z' });
    const list = hub.ok(['exceptions', 'list']);
    expect(ids(list)).not.toContain(idOf(hub, JAN));
    // Jan is still offered by HR: he stays, owned by his source, just not protected any more.
    expect(hub.ok(['users', 'show', JAN])).toMatchObject({ status: 'active', listed: false });
  }, 180_000);

  it('lapsed: entries that lapsed since the previous review, once', () => {
    expect(reviews.afterLapse.groups.pastUntil).toEqual([]);
    expect(reviews.afterLapse.groups.lapsed).toEqual([
      {
        user: { id: idOf(hub, JAN), email: 'jan.devries@waterlanden.nl', displayName: 'Jan de Vries', status: 'active', owner: 'source' },
        reason: 'Interim-directeur tot de nieuwe start',
        until: '2026-11-25',
        lapsedAt: '2026-11-26T02:00:00.000Z',
        runId: runs.night3.runId,
        listedAgain: false,
      },
    ]);
    // The --no-record review before night 3 did not count; the recorded one at 01:00 did.
    expect(reviews.afterLapse.previousReviewAt).toBe('2026-11-26T01:00:00.000Z');
    expect(reviews.again.groups.lapsed).toEqual([]);
    expect(reviews.again.previousReviewAt).toBe('2026-11-26T10:00:00.000Z');
  }, 180_000);

  it('offered again: the account that the list kept alive is offered by a source again', () => {
    expect(runs.night4.counts.relinked).toBe(1);
    const r = reviews.returned;
    expect(ids(r.groups.offeredAgain)).toEqual([idOf(hub, FATIMA)]);
    expect(r.groups.offeredAgain[0]).toMatchObject({ offered: true, lastProtectedAt: '2026-11-26T02:00:00.000Z', user: { owner: 'source' } });
    expect(r.groups.notOffered).toEqual([]);
    // Hans was listed while offered and never needed the list: he is not "offered again".
    expect(ids(r.groups.offeredAgain)).not.toContain(idOf(hub, HANS));
    // Changing the entry records the decision to keep it.
    expect(reviews.decided.groups.offeredAgain).toEqual([]);
  }, 180_000);

  it('long listed: --older-than, and the default of 180 days', () => {
    expect(reviews.returned.olderThan).toBe(3);
    expect(ids(reviews.returned.groups.longListed).sort()).toEqual([idOf(hub, FATIMA), idOf(hub, HANS)].sort());
    expect(reviews.decided.groups.longListed).toEqual([]);
    expect(reviews.halfYear.olderThan).toBe(180);
    expect(ids(reviews.halfYear.groups.longListed).sort()).toEqual([idOf(hub, FATIMA), idOf(hub, HANS)].sort());
    expect(reviews.halfYear.groups.longListed[0].daysListed).toBeGreaterThanOrEqual(180);
    expect(reviews.halfYear.pending).toBe(2);
  }, 180_000);

  it('refuses a bad --older-than', () => {
    expect(hub.fails(['exceptions', 'review', '--older-than', 'soon'], 2).code).toBe('USAGE');
    expect(hub.fails(['exceptions', 'review', '--older-than', '-1'], 2).code).toBe('USAGE');
  }, 180_000);
});

describe('exceptions import', () => {
  it('all or nothing: two bad rows among good ones exit 2, both lines named, the hub unchanged', () => {
    const hub = nightOne();
    hub.ok(['exceptions', 'add', HANS, '--reason', 'Pensioen']);
    // As Dutch Excel saves it: BOM, ';', CRLF; a reason over two lines (lines 3-4).
    const file = path.join(hub.dir, 'lijst.csv');
    fs.writeFileSync(
      file,
      BOM +
        [
          'User;Reason;Until', // 1
          `${FATIMA};Invalpool;2027-01-31`, // 2
          `${ZOE};"Zwangerschapsverlof,\r\nterug na de zomer";`, // 3-4
          'hr:99999;Bestaat niet;', // 5: bad
          `${HANS};Pensioen, overdracht in januari;2027-01-15`, // 6: an update
          `${JAN};Interim;2026-11-01`, // 7: bad, in the past
        ].join('\r\n') +
        '\r\n',
    );
    const before = state(hub);
    const r = hub.run(['exceptions', 'import', file, '--json']);
    expect(r.code).toBe(2);
    expectNothingOnStdout(r);
    expect(r.error.code).toBe('USAGE');
    expect(r.error.problems).toEqual([
      { line: 5, user: 'hr:99999', message: expect.stringMatching(/No account matches "hr:99999"/) },
      { line: 7, user: JAN, message: expect.stringMatching(/2026-11-01 lies in the past/) },
    ]);
    expect(r.error.file).toBe(file);
    const human = hub.run(['exceptions', 'import', file]);
    expect(human.code).toBe(2);
    expect(human.stderr).toMatch(/line 5 \(hr:99999\)/);
    expect(human.stderr).toMatch(/line 7 \(hr:10234\)/);
    expect(human.stderr).toMatch(/nothing was written/);
    expect(hub.run(['exceptions', 'import', file, '--dry-run', '--json']).code).toBe(2);
    expect(state(hub)).toEqual(before);

    // Fixed: the dry run shows what would happen and writes nothing; then the import does it.
    const lines = fs.readFileSync(file, 'utf8').split('\r\n');
    lines[4] = 'hr:10263;Petra: overdracht;';
    lines[6] = `${JAN};Interim;2026-12-01`;
    fs.writeFileSync(file, lines.join('\r\n'));
    const dry = hub.ok(['exceptions', 'import', file, '--dry-run']);
    expect(dry).toMatchObject({ dryRun: true, added: 4, updated: 1, unchanged: 0 });
    expect(state(hub)).toEqual(before);
    const done = hub.ok(['exceptions', 'import', file]);
    expect(done).toMatchObject({ dryRun: false, added: 4, updated: 1, unchanged: 0 });
    expect(done.rows.map((x: any) => [x.line, x.action])).toEqual([
      [2, 'add'],
      [3, 'add'],
      [5, 'add'],
      [6, 'update'],
      [7, 'add'],
    ]);
    expect(done.rows[0].user).toMatchObject({ id: idOf(hub, FATIMA), email: 'fatima.elamrani@waterlanden.nl', displayName: 'Fatima el Amrani' });
    const list = hub.ok(['exceptions', 'list']);
    expect(list.find((v: any) => v.user.id === idOf(hub, ZOE)).reason).toBe('Zwangerschapsverlof,\r\nterug na de zomer');
    expect(list.find((v: any) => v.user.id === idOf(hub, HANS))).toMatchObject({ reason: 'Pensioen, overdracht in januari', until: '2027-01-15' });
    const entries = (audit(hub) as any[]).filter((e) => e.detail.includes('(exceptions import lijst.csv)'));
    expect(entries.map((e) => e.action).sort()).toEqual(['exception.add', 'exception.add', 'exception.add', 'exception.add', 'exception.edit']);
  }, 180_000);

  it('refuses rows that R9 refuses: no source link, deleted; and an account twice', () => {
    const hub = nightOne();
    hub.night(2); // deletes Milan Schouten (parnassys:L100390)
    hub.night(3); // deletes Petra Smit (hr:10263)
    hub.dayAfter(3);
    hub.ok(['users', 'restore', 'parnassys:L100390']); // a hub account now: no source link
    // JSON: the problems carry the element's number (index + 1).
    const file = path.join(hub.dir, 'lijst.json');
    fs.writeFileSync(
      file,
      JSON.stringify([
        { user: 'milan.schouten@leerling.waterlanden.nl', reason: 'Terug op school' },
        { user: 'hr:10263', reason: 'Vertrokken' },
        { user: JAN, reason: 'Interim' },
        { user: 'jan.devries@waterlanden.nl', reason: 'Dubbel' },
      ]),
    );
    const before = state(hub);
    const err = hub.fails(['exceptions', 'import', file], 2);
    expect(err.problems.map((p: any) => p.line)).toEqual([1, 2, 4]);
    expect(err.problems[0].message).toMatch(/has no source link/);
    expect(err.problems[1].message).toMatch(/is deleted/);
    expect(err.problems[2].message).toMatch(/same account as element 3:/);
    expect(err.message).toMatch(/element 4/);
    expect(state(hub)).toEqual(before);
  }, 180_000);

  it('refuses files it cannot read, and says why', () => {
    const hub = nightOne();
    const write = (name: string, content: string) => {
      const f = path.join(hub.dir, name);
      fs.writeFileSync(f, content);
      return f;
    };
    const before = state(hub);
    expect(hub.fails(['exceptions', 'import', path.join(hub.dir, 'missing.csv')], 2).message).toMatch(/No file/);
    expect(hub.fails(['exceptions', 'import', write('a.csv', 'naam,email\nJan,jan@x\n')], 2).message).toMatch(/lacks the columns "user" and "reason"/);
    expect(hub.fails(['exceptions', 'import', write('b.json', '[{"user": "hr:10234", ')], 2).message).toMatch(/not valid JSON/);
    expect(hub.fails(['exceptions', 'import', write('c.csv', '')], 2).message).toMatch(/empty/);
    expect(hub.fails(['exceptions', 'import', write('d.csv', 'user,reason\nhr:10234,"open quote\n')], 2).message).toMatch(/not a readable CSV/);
    expect(hub.fails(['exceptions', 'import'], 2).code).toBe('USAGE');
    expect(state(hub)).toEqual(before);
  }, 180_000);
});

describe('exceptions export', () => {
  const formulas = ['=HYPERLINK("http://evil.example","klik")', '@SUM(1+1)', '-1 dag na contract', '+31 6 12345678'];

  /** Four entries with formula-like reasons, put on the list with one JSON import. */
  function listed(): Hub {
    const hub = nightOne();
    const file = path.join(hub.dir, 'setup.json');
    fs.writeFileSync(
      file,
      JSON.stringify([
        { user: FATIMA, reason: formulas[0], until: '2027-01-31' },
        { user: JAN, reason: formulas[1] },
        { user: HANS, reason: formulas[2], until: null },
        { user: ZOE, reason: `${formulas[3]!}; "bellen", daarna\nmailen` },
      ]),
    );
    expect(hub.ok(['exceptions', 'import', file])).toMatchObject({ added: 4, updated: 0, unchanged: 0 });
    return hub;
  }

  it('writes a CSV for Excel to a file readable by its owner only, with a summary', () => {
    const hub = listed();
    const file = path.join(hub.dir, 'lijst.csv');
    const r = hub.ok(['exceptions', 'export', '--output', file, '--delimiter', ';']);
    expect(r).toEqual({ file, format: 'csv', delimiter: ';', entries: 4 });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith(BOM + 'user;reason;until;email;displayName;createdAt;createdBy;daysListed;offered\r\n')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    // Outside quoted values every line ends in CRLF.
    const outside = text.replace(/"(?:[^"]|"")*"/g, '""');
    expect(outside.split('\r\n').length).toBe(6);
    expect(outside.split('\r\n').join('').includes('\n')).toBe(false);
    // Each account by a reference that a new hub resolves too: HR's number (the highest priority).
    const row = (ref: string) => text.split('\r\n').find((l) => l.startsWith(`${ref};`))!;
    expect(row(FATIMA)).toBe(
      `${FATIMA};"'=HYPERLINK(""http://evil.example"",""klik"")";2027-01-31;fatima.elamrani@waterlanden.nl;Fatima el Amrani;2026-11-24T10:00:00.000Z;tester;0;yes`,
    );
    expect(row(JAN)).toMatch(/^hr:\d+;'@SUM\(1\+1\);;/);
    expect(row(HANS)).toMatch(/^hr:\d+;'-1 dag na contract;;/);
    expect(text).toContain(`;"'+31 6 12345678; ""bellen"", daarna\nmailen";;`);
    const human = hub.run(['exceptions', 'export', '--output', path.join(hub.dir, 'b.csv')]);
    expect(human.code).toBe(0);
    expectNothingOnStdout(human);
    expect(human.stderr).toMatch(/Exported 4 entries to .*b\.csv/);
  }, 180_000);

  it('to stdout: CSV with BOM for people, the ExceptionView array under --json', () => {
    const hub = listed();
    const csv = hub.run(['exceptions', 'export']);
    expect(csv.code).toBe(0);
    expect(csv.stdout.startsWith(BOM + 'user,reason,until,')).toBe(true);
    expect(csv.stderr).toBe('');
    // The JSON export is the list, each user with the reference that a new hub resolves too.
    const withRefs = hub.ok(['exceptions', 'list']).map((v: any) => ({ ...v, user: { ...v.user, reference: expect.stringMatching(/^hr:\d+$/) } }));
    expect(hub.ok(['exceptions', 'export'])).toEqual(withRefs);
    expect(JSON.parse(hub.run(['exceptions', 'export', '--format', 'json']).stdout)).toEqual(withRefs);
  }, 180_000);

  it('export then import of the same file changes nothing, the formulas included', () => {
    const hub = listed();
    hub.night(2); // Fatima is now kept by the list; the round trip is about the list, whatever its state
    hub.dayAfter(2);
    const before = state(hub);
    for (const [name, flags] of [
      ['a.csv', []],
      ['b.csv', ['--delimiter', ';']],
      ['c.json', []],
    ] as [string, string[]][]) {
      const file = path.join(hub.dir, name);
      hub.ok(['exceptions', 'export', '--output', file, ...flags]);
      const r = hub.ok(['exceptions', 'import', file]);
      expect(r).toMatchObject({ added: 0, updated: 0, unchanged: 4 });
    }
    expect(state(hub)).toEqual(before);
    const list = hub.ok(['exceptions', 'list']);
    const reason = (ref: string) => list.find((v: any) => v.user.id === idOf(hub, ref)).reason;
    expect([FATIMA, JAN, HANS].map(reason)).toEqual(formulas.slice(0, 3));
    expect(reason(ZOE)).toBe(`${formulas[3]!}; "bellen", daarna\nmailen`);
  }, 180_000);

  it('refuses what cannot work', () => {
    const hub = listed();
    const r = hub.run(['exceptions', 'export', '--format', 'csv', '--json']);
    expect(r.code).toBe(2);
    expectNothingOnStdout(r);
    expect(r.error.message).toMatch(/one JSON document/);
    expect(hub.fails(['exceptions', 'export', '--format', 'xlsx'], 2).code).toBe('USAGE');
    expect(hub.fails(['exceptions', 'export', '--delimiter', '|', '--output', path.join(hub.dir, 'x.csv')], 2).message).toMatch(/--delimiter/);
    expect(hub.fails(['exceptions', 'export', '--format', 'json', '--delimiter', ';'], 2).message).toMatch(/CSV only/);
    const before = state(hub);
    expect(hub.fails(['exceptions', 'export', '--output', hub.db], 2).message).toMatch(/hub database/);
    expect(state(hub)).toEqual(before);
    expect(fs.existsSync(path.join(hub.dir, 'x.csv'))).toBe(false);
  }, 180_000);
});
