/**
 * File targets: SDS v2.1, OneRoster 1.1 (folder and .zip) and plain CSV. The files carry exactly the
 * headers of the formats' samples, follow their value rules, are written atomically with mode 600, and
 * basishub's own readers read them back to the same people (R15, R16, R17).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { addException } from '../../src/app/exceptions.js';
import { publish, type PublishOptions, type TargetResult } from '../../src/app/publish.js';
import { addTarget } from '../../src/app/targets.js';
import { deleteUser, editUser, purgeUsers } from '../../src/app/users.js';
import { readExport } from '../../src/sources/index.js';
import type { SourceFormat } from '../../src/sources/types.js';
import { TargetStore } from '../../src/store/targets.js';
import { familyWithPrefix, idOrder, mergeSorted, relationsText, Roster, type RosterRows } from '../../src/targets/files.js';
import { SharedIds } from '../../src/targets/shared-ids.js';
import type { HubAccount, HubRelation } from '../../src/targets/types.js';
import { TestHub } from '../helpers/hub.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');

function header(file: string): string {
  return fs
    .readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)[0]!;
}

/** A CSV file as objects, read by csv-parse (strict: every row as many fields as the header). */
function rows(file: string): Record<string, string>[] {
  return parse(fs.readFileSync(file, 'utf8'), { columns: true, relax_column_count: false }) as Record<string, string>[];
}

/**
 * Relations as a round trip must keep them: the schools, and the classes in them. "A school, no class"
 * beside "that school, Directie" says nothing more, and the roster formats do not repeat it.
 */
function same(relations: readonly { organisation: string; group: string }[]): { schools: string[]; classes: string[] } {
  return {
    schools: [...new Set(relations.map((r) => r.organisation))].sort(),
    classes: [...new Set(relations.filter((r) => r.group !== '').map((r) => `${r.organisation}/${r.group}`))].sort(),
  };
}

async function hubWith(kind: string, output: string): Promise<TestHub> {
  const hub = await TestHub.afterNightOne();
  addTarget(hub.ctx(), 'out', { kind, output: path.join(hub.dir, output) });
  return hub;
}

async function one(hub: TestHub, opts: PublishOptions = {}): Promise<TargetResult> {
  return (await publish(hub.ctx({ actor: 'cron' }), opts)).targets[0]!;
}

function active(hub: TestHub) {
  return new TargetStore(hub.store).accounts(hub.now.slice(0, 10), true);
}

/** What basishub's own reader makes of the files: per person, what a round trip must keep. */
async function readBack(file: string, format: SourceFormat) {
  const { records } = await readExport(file, { name: 'back', format, map: {}, delimiter: null, encoding: null, dateFormat: null });
  return new Map([...records.records()].map((r) => [r.externalId, r]));
}

const ISO = /^(\d{4}-\d{2}-\d{2})?$/;

describe('SDS v2.1', () => {
  it('has exactly the headers of Microsoft’s samples, and their value rules', async () => {
    const hub = await hubWith('sds-v2.1', 'sds');
    const r = await one(hub);
    expect(r.status).toBe('completed');
    const dir = path.join(hub.dir, 'sds');
    for (const f of ['users.csv', 'orgs.csv', 'roles.csv', 'classes.csv', 'enrollments.csv', 'academicSessions.csv']) {
      expect(header(path.join(dir, f))).toBe(header(path.join(FIXTURES, 'microsoft-sds', 'v2.1', f)));
      expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    }
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    const users = rows(path.join(dir, 'users.csv'));
    const orgs = new Set(rows(path.join(dir, 'orgs.csv')).map((o) => o.sourcedId));
    const classes = new Set(rows(path.join(dir, 'classes.csv')).map((c) => c.sourcedId));
    for (const u of users) for (const k of ['sourcedId', 'username', 'givenName', 'familyName']) expect(u[k]).not.toBe('');
    for (const o of rows(path.join(dir, 'orgs.csv'))) expect(['school', 'district']).toContain(o.type);
    for (const role of rows(path.join(dir, 'roles.csv'))) {
      expect(['teacher', 'student']).toContain(role.role);
      expect(['true', 'false']).toContain(role.isPrimary);
      expect(orgs.has(role.orgSourcedId!)).toBe(true);
      expect(role.roleStartDate).toMatch(ISO);
      expect(role.roleEndDate).toMatch(ISO);
    }
    for (const e of rows(path.join(dir, 'enrollments.csv'))) {
      expect(classes.has(e.classSourcedId!)).toBe(true);
      expect(users.some((u) => u.sourcedId === e.userSourcedId)).toBe(true);
    }
    const jan = users.find((u) => u.username === 'jan.devries@waterlanden.nl')!;
    expect(jan).toMatchObject({ givenName: 'Jan', familyName: 'de Vries', email: 'jan.devries@waterlanden.nl', password: '' });
  });

  it('reads back to the same people with basishub’s own reader', async () => {
    const hub = await hubWith('sds-v2.1', 'sds');
    await one(hub);
    const back = await readBack(path.join(hub.dir, 'sds'), 'sds-v2.1');
    let n = 0;
    for (const a of active(hub)) {
      if (!a.active) continue;
      n++;
      const r = back.get(String(a.id))!;
      expect({ givenName: r.givenName, familyName: r.familyName, email: r.email, role: r.role }).toEqual({
        givenName: a.givenName,
        familyName: familyWithPrefix(a),
        email: a.email,
        role: a.role === '' ? 'student' : a.role,
      });
      expect(same(r.relations)).toEqual(same(a.relations));
    }
    expect(back.size).toBe(n);
  });
});

describe('OneRoster 1.1', () => {
  for (const output of ['oneroster', 'oneroster.zip']) {
    it(`writes a bulk export with manifest.csv that reads back to the same people (${output})`, async () => {
      const hub = await hubWith('oneroster-1.1', output);
      const r = await one(hub);
      expect(r.status).toBe('completed');
      const target = path.join(hub.dir, output);
      expect(fs.statSync(target).mode & 0o777).toBe(0o600 | (output.endsWith('.zip') ? 0 : 0o100));
      const back = await readBack(target, 'oneroster-1.1');
      for (const a of active(hub)) {
        if (!a.active) continue;
        const rec = back.get(String(a.id))!;
        expect(rec).toMatchObject({ givenName: a.givenName, familyName: familyWithPrefix(a), email: a.email });
        expect(same(rec.relations)).toEqual(same(a.relations));
      }
    });
  }

  it('has the column sets of the 1.1 CSV binding and its value rules', async () => {
    const hub = await hubWith('oneroster-1.1', 'or');
    await one(hub);
    const dir = path.join(hub.dir, 'or');
    for (const f of ['manifest.csv', 'users.csv', 'orgs.csv', 'classes.csv', 'courses.csv', 'enrollments.csv', 'academicSessions.csv']) {
      expect(header(path.join(dir, f))).toBe(header(path.join(FIXTURES, 'oneroster', 'bulk', f)));
    }
    const manifest = Object.fromEntries(rows(path.join(dir, 'manifest.csv')).map((m) => [m.propertyName, m.value]));
    expect(manifest).toMatchObject({ 'manifest.version': '1.0', 'oneroster.version': '1.1', 'file.users': 'bulk', 'file.demographics': 'absent' });
    const orgs = new Set(rows(path.join(dir, 'orgs.csv')).map((o) => o.sourcedId));
    for (const u of rows(path.join(dir, 'users.csv'))) {
      for (const k of ['sourcedId', 'enabledUser', 'orgSourcedIds', 'role', 'username', 'givenName', 'familyName']) expect(u[k]).not.toBe('');
      expect(u.enabledUser).toBe('true');
      expect(['teacher', 'student']).toContain(u.role);
      for (const o of u.orgSourcedIds!.split(',')) expect(orgs.has(o)).toBe(true);
    }
    for (const c of rows(path.join(dir, 'classes.csv')))
      for (const k of ['sourcedId', 'title', 'courseSourcedId', 'classType', 'schoolSourcedId', 'termSourcedIds']) expect(c[k]).not.toBe('');
    for (const e of rows(path.join(dir, 'enrollments.csv'))) {
      for (const k of ['sourcedId', 'classSourcedId', 'schoolSourcedId', 'userSourcedId', 'role']) expect(e[k]).not.toBe('');
      expect(['true', 'false']).toContain(e.primary);
    }
    const session = rows(path.join(dir, 'academicSessions.csv'))[0]!;
    expect(session).toMatchObject({ type: 'schoolYear', startDate: '2026-08-01', endDate: '2027-07-31', schoolYear: '2027' });
  });
});

describe('plain CSV', () => {
  it('holds the canonical fields and reads back exactly, tussenvoegsel apart', async () => {
    const hub = await hubWith('csv', 'csv');
    await one(hub);
    const file = path.join(hub.dir, 'csv', 'accounts.csv');
    expect(header(file)).toBe('externalId,givenName,prefix,familyName,email,role,organisation,group,startDate,endDate');
    const back = await readBack(file, 'csv');
    for (const a of active(hub)) {
      if (!a.active) continue;
      expect(back.get(String(a.id))).toMatchObject({ givenName: a.givenName, prefix: a.prefix, familyName: a.familyName, email: a.email, role: a.role });
    }
  });
});

describe('values that need quoting', () => {
  it('survive the round trip: a comma and quotes in a family name', async () => {
    for (const [kind, format, file] of [
      ['csv', 'csv', 'accounts.csv'],
      ['sds-v2.1', 'sds-v2.1', ''],
      ['oneroster-1.1', 'oneroster-1.1', ''],
    ] as const) {
      const hub = await hubWith(kind, 'out');
      await editUser(hub.ctx(), 'hr:10234', { familyName: 'Vries, "Bakker"' }, true);
      expect((await one(hub)).status).toBe('completed');
      const back = await readBack(path.join(hub.dir, 'out', file), format);
      const jan = hub.store.accountsByEmail('jan.devries@waterlanden.nl')[0]!;
      expect(back.get(String(jan.id))).toMatchObject({ familyName: kind === 'csv' ? 'Vries, "Bakker"' : 'de Vries, "Bakker"' });
    }
  });
});

describe('a file target follows the hub', () => {
  it('keeps a protected account whose source dropped it, leaves out a deleted one, and rewrites nothing when nothing changed', async () => {
    const hub = await hubWith('sds-v2.1', 'sds');
    addException(hub.ctx(), 'fatima.elamrani@waterlanden.nl', { reason: 'Invalpool' });
    await one(hub);
    await hub.night(2);
    const r = await one(hub);
    expect(r.counts.deactivated).toBe(1);
    const users = rows(path.join(hub.dir, 'sds', 'users.csv'));
    expect(users.some((u) => u.email === 'fatima.elamrani@waterlanden.nl')).toBe(true);
    expect(users.some((u) => u.email === 'milan.schouten@leerling.waterlanden.nl')).toBe(false);
    const fatimaRoles = rows(path.join(hub.dir, 'sds', 'roles.csv')).filter(
      (x) => x.userSourcedId === users.find((u) => u.email.startsWith('fatima'))!.sourcedId,
    );
    expect(fatimaRoles.length).toBeGreaterThan(0); // her school, as the hub last knew it

    const before = fs.statSync(path.join(hub.dir, 'sds', 'users.csv'));
    const again = await one(hub);
    expect(again.counts).toMatchObject({ created: 0, updated: 0, deactivated: 0 });
    expect(again.files).toBeUndefined();
    expect(fs.statSync(path.join(hub.dir, 'sds', 'users.csv')).ino).toBe(before.ino);

    // Erased from the hub: removed from what the target acknowledged.
    hub.now = '2027-12-01T02:00:00.000Z';
    await purgeUsers(hub.ctx({ yes: true }), 30, false);
    expect((await one(hub)).counts.deleted).toBe(1);
  });

  it('reads every account with its own creation time, where runs of them share one and where they alternate', async () => {
    const hub = await hubWith('csv', 'csv');
    // The store reads a creation time only where it differs from the one before (R16: the snapshot keeps it per account).
    hub.store.db.prepare("UPDATE accounts SET created_at = '2026-11-20T02:00:00.000Z' WHERE id % 3 = 0").run();
    hub.store.db.prepare("UPDATE accounts SET created_at = '2026-11-21T02:00:00.000Z' WHERE id % 5 = 0").run();
    const stored = new Map(hub.store.db.prepare('SELECT id, created_at FROM accounts').raw().all() as [number, string][]);
    expect(new Set(stored.values()).size).toBe(3);
    expect(new Map([...active(hub)].map((a) => [a.id, a.createdAt]))).toEqual(stored);
  });

  it('writes on a night with changes exactly the files a first publish of the same hub writes', async () => {
    for (const kind of ['sds-v2.1', 'oneroster-1.1', 'csv']) {
      // After a first publish the plan comes first and the files are written in a second pass over the
      // hub; a first publish writes while it plans. Both must give the same files, byte for byte.
      const hub = await hubWith(kind, 'nightly');
      addException(hub.ctx(), 'fatima.elamrani@waterlanden.nl', { reason: 'Invalpool' });
      await one(hub);
      await hub.night(2);
      await hub.night(3);
      const r = await one(hub);
      expect(r.counts.created + r.counts.updated + r.counts.deactivated).toBeGreaterThan(0);
      addTarget(hub.ctx(), 'fresh', { kind, output: path.join(hub.dir, 'fresh') });
      const first = (await publish(hub.ctx(), { targets: ['fresh'] })).targets[0]!;
      expect(first.counts.created).toBe(new TargetStore(hub.store).stateSummary('out').active);
      const names = fs.readdirSync(path.join(hub.dir, 'nightly')).sort();
      expect(fs.readdirSync(path.join(hub.dir, 'fresh')).sort()).toEqual(names);
      for (const f of names) expect(fs.readFileSync(path.join(hub.dir, 'nightly', f), 'utf8')).toBe(fs.readFileSync(path.join(hub.dir, 'fresh', f), 'utf8'));
      hub.close();
    }
  });

  it('stores what a file target acknowledged as one snapshot, and takes over the rows an earlier version stored per account (R16)', async () => {
    const hub = await hubWith('sds-v2.1', 'sds');
    const ts = new TargetStore(hub.store);
    const first = await one(hub);
    const acked = [...ts.states('out')];
    expect(acked).toHaveLength(first.counts.created);
    expect(hub.store.db.prepare("SELECT count(*) FROM target_state WHERE target = 'out'").pluck().get()).toBe(0);
    expect(ts.stateSummary('out')).toMatchObject({ active: first.counts.created, inactive: 0 });

    // As the hub held it before schema v9: a row per account. It is read as it is, nothing is sent…
    hub.store.db.prepare("DELETE FROM target_snapshot WHERE target = 'out'").run();
    const insert = hub.store.db.prepare(
      'INSERT INTO target_state (target, account_id, account_created, remote_id, hash, active, acked_at) VALUES (?, ?, ?, NULL, ?, ?, ?)',
    );
    for (const s of acked) insert.run('out', s.accountId, s.accountCreated, s.hash, s.active ? 1 : 0, s.ackedAt);
    expect(ts.stateSummary('out').active).toBe(acked.length);
    const again = await one(hub);
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: acked.length });
    expect(again.files).toBeUndefined();

    // …and the next publish that changes anything stores a snapshot in their place.
    await editUser(hub.ctx(), 'hr:10234', { familyName: 'Vries-Bakker' }, true);
    expect((await one(hub)).counts).toMatchObject({ updated: 1, unchanged: acked.length - 1 });
    expect(hub.store.db.prepare("SELECT count(*) FROM target_state WHERE target = 'out'").pluck().get()).toBe(0);
    expect(ts.stateSummary('out')).toMatchObject({ active: acked.length, inactive: 0 });
    expect((await one(hub)).counts).toMatchObject({ updated: 0, unchanged: acked.length });
  });

  it('writes nothing in a dry run', async () => {
    const hub = await hubWith('sds-v2.1', 'sds');
    const r = await one(hub, { dryRun: true });
    expect(r.counts.created).toBeGreaterThan(40);
    expect(fs.existsSync(path.join(hub.dir, 'sds'))).toBe(false);
    expect(new TargetStore(hub.store).stateSummary('out').active).toBe(0);
  });

  it('writes the files again when one is missing', async () => {
    const hub = await hubWith('csv', 'csv');
    await one(hub);
    fs.rmSync(path.join(hub.dir, 'csv', 'accounts.csv'));
    const r = await one(hub);
    expect(r.files).toEqual([path.join(hub.dir, 'csv', 'accounts.csv')]);
    expect(fs.existsSync(path.join(hub.dir, 'csv', 'accounts.csv'))).toBe(true);
  });

  it('acknowledges nothing when the files cannot be written, and leaves no temporary file', async () => {
    const hub = await hubWith('csv', 'blocked/csv');
    fs.writeFileSync(path.join(hub.dir, 'blocked'), 'a file where a folder should be');
    const r = await one(hub);
    expect(r.status).toBe('failed');
    expect(r.failures[0]!.message).toContain('Could not write');
    expect(new TargetStore(hub.store).stateSummary('out').active).toBe(0);

    // The folder exists, but the file cannot replace what is there: the temporary file goes again.
    const hub2 = await hubWith('csv', 'csv2');
    fs.mkdirSync(path.join(hub2.dir, 'csv2', 'accounts.csv'), { recursive: true });
    const r2 = await one(hub2);
    expect(r2.status).toBe('failed');
    expect(fs.readdirSync(path.join(hub2.dir, 'csv2'))).toEqual(['accounts.csv']);
    expect(new TargetStore(hub2.store).stateSummary('out').active).toBe(0);
  });

  it('stops before leaving out more than the limit (R17)', async () => {
    const hub = await hubWith('csv', 'csv');
    await one(hub);
    const pupils = hub.store.db.prepare("SELECT account_id FROM links WHERE source = 'parnassys' LIMIT 11").pluck().all() as number[];
    for (const id of pupils) await deleteUser(hub.ctx({ yes: true }), String(id));
    const before = fs.readFileSync(path.join(hub.dir, 'csv', 'accounts.csv'), 'utf8');
    const r = await one(hub);
    expect(r.status).toBe('stopped');
    expect(fs.readFileSync(path.join(hub.dir, 'csv', 'accounts.csv'), 'utf8')).toBe(before);
    expect((await one(hub, { maxDeactivations: 11 })).counts.deactivated).toBe(11);
  });
});

describe('placing accounts in schools and classes (Roster)', () => {
  /** Every row a roster makes of the accounts, as text, in order. */
  function placed(accounts: HubAccount[], maxPlacements?: number): string[] {
    const out: string[] = [];
    const rows: RosterRows = {
      user: (a, id, role, schoolIds) => out.push(`user ${id} ${role} ${schoolIds} ${a.familyName}`),
      school: (id, role, org, primary, start, end) => out.push(`school ${id} ${role} ${org} ${primary} ${start} ${end}`),
      enrolment: (id, role, cls, org, start, end) => out.push(`class ${id} ${role} ${cls} ${org} ${start} ${end}`),
    };
    const roster = new Roster(rows, maxPlacements);
    for (const a of accounts) roster.add(a);
    out.push(...[...roster.orgs].map(([id, name]) => `org ${id} ${name}`).sort());
    const classes = roster.classList();
    for (let i = 0; i < classes.length; i += 3) out.push(`cls ${classes[i]} ${classes[i + 1]} ${classes[i + 2]}`);
    return out;
  }

  /** Relations of many shapes: one (nearly all), one without a class, two schools, dates, none. */
  function relationsOf(i: number): HubRelation[] {
    const school = `Basisschool ’t Kompas ${i % 700}`;
    const group = `Groep ${(i % 8) + 1}`;
    if (i % 97 === 0) return [];
    if (i % 13 === 0) return [{ organisation: school, group: '', startDate: null, endDate: null }];
    if (i % 17 === 0)
      return [
        { organisation: school, group, startDate: '2026-08-01', endDate: null },
        { organisation: `OBS De Regenboog ${i % 50}`, group: 'Directie', startDate: null, endDate: '2027-07-31' },
      ];
    if (i % 19 === 0) return [{ organisation: school, group, startDate: '2025-08-01', endDate: '2027-07-31' }];
    return [{ organisation: school, group, startDate: null, endDate: null }];
  }

  it('places an account found by its relations’ text exactly where its relations place it, over thousands of distinct sets', () => {
    // Each set twice (the second time found again), 6,000 distinct sets: the table grows and rehashes several times.
    const accounts = (withText: boolean): HubAccount[] =>
      [0, 1].flatMap((round) =>
        Array.from({ length: 6000 }, (_, i) => {
          const relations = relationsOf(i);
          return {
            id: round * 10_000 + i + 1,
            createdAt: '2026-11-24T02:00:00.000Z',
            givenName: 'Sanne',
            prefix: 'van der',
            familyName: `Berg${i}`,
            email: `sanne.vanderberg${i}@waterlanden.nl`,
            role: i % 3 === 0 ? 'staff' : 'student',
            active: i % 41 !== 0,
            relations,
            relationsText: withText ? relationsText(relations) : undefined,
          } satisfies HubAccount;
        }),
      );
    const byText = placed(accounts(true));
    expect(byText).toEqual(placed(accounts(false)));
    // A table that must empty itself every 100 sets (as one at a hub where nearly everyone's differ) places alike.
    expect(placed(accounts(true), 100)).toEqual(byText);
    expect(byText.filter((r) => r.startsWith('class ')).length).toBeGreaterThan(9000);
  });

  /** Accounts 1…n with relationsOf's shapes (some 1,450 classes in 700 schools). */
  function many(n: number, from = 1): HubAccount[] {
    return Array.from({ length: n }, (_, k) => {
      const i = from + k;
      const relations = relationsOf(i);
      return {
        id: i,
        createdAt: '2026-11-24T02:00:00.000Z',
        givenName: 'Daan',
        prefix: 'de',
        familyName: `Jong${i}`,
        email: `daan.dejong${i}@waterlanden.nl`,
        role: 'student',
        active: true,
        relations,
        relationsText: relationsText(relations),
      } satisfies HubAccount;
    });
  }

  const noRows: RosterRows = { user: () => {}, school: () => {}, enrolment: () => {} };

  it('lists the schools and classes of two rosters that share their classes as one roster lists them all (two threads)', () => {
    const all = many(12_000);
    const one = new Roster(noRows);
    for (const a of all) one.add(a);
    for (const expected of [4096, 0]) {
      // 0: a set far too small for some 1,450 classes: full, both list the same ones, and the merge drops the second.
      const ids = SharedIds.forAbout(expected);
      const [first, second] = [new Roster(noRows), new Roster(noRows)];
      first.share(ids);
      second.share(SharedIds.of(ids.buffer));
      // As two threads go: the first from the front, the second from the back, turn by turn.
      for (let k = 0; k < 6000; k++) {
        first.add(all[k]!);
        second.add(all[all.length - 1 - k]!);
      }
      first.sort();
      const listed = (r: Roster) => r.catalog().classes.split('\x1f').length / 3;
      if (expected > 0) expect(listed(first) + listed(second)).toBe(listed(one)); // no class listed twice
      first.absorb(second.catalog());
      expect(first.orgList()).toEqual(one.orgList());
      expect(first.classList()).toEqual(one.classList());
    }
    expect(one.classList().length / 3).toBeGreaterThan(1024);
  });

  it('lists every class it met again once its second roster is lost (that thread failed)', () => {
    const all = many(8000);
    const one = new Roster(noRows);
    for (const a of all) one.add(a);
    const ids = SharedIds.forAbout(4096);
    const [first, lost] = [new Roster(noRows), new Roster(noRows)];
    first.share(ids);
    lost.share(SharedIds.of(ids.buffer));
    for (const a of all.slice(4000)) lost.add(a);
    for (const a of all.slice(0, 4000)) first.add(a);
    first.share(null);
    for (const a of all.slice(4000)) first.add(a);
    expect(first.classList()).toEqual(one.classList());
  });

  it('sorts sourcedIds as texts sort, by their digits where it can, and merges sorted lists without doubles', () => {
    // Not of shortId's length: sorted as texts.
    const short = many(3000).flatMap((a) => a.relations.map((r) => `cls-${relationsText([r]).length.toString(16).padStart(4, '0')}`));
    const hashed = one((r) => r.classList().filter((_, i) => i % 3 === 0));
    // Ids alike in their first eight digits, and ids not made by shortId (the foundation's own).
    const alike = ['cls-0123456789ff', 'cls-012345670000', 'cls-0123456789aa', 'cls-01234567ffff'];
    for (const list of [hashed, [...hashed, ...alike], ['org-basishub', 'org-0123456789ab', 'org-00'], short, []])
      expect(Array.from(idOrder(list), (i) => list[i])).toEqual([...list].sort());
    expect(mergeSorted(['a', '1', 'c', '3'], ['b', '2', 'c', '3', 'd', '4'], 2)).toEqual(['a', '1', 'b', '2', 'c', '3', 'd', '4']);
    expect(mergeSorted(['a', '1'], [], 2)).toEqual(['a', '1']);

    function one(pick: (r: Roster) => string[]): string[] {
      const r = new Roster(noRows);
      for (const a of many(6000)) r.add(a);
      return pick(r).reverse();
    }
  });

  it('takes in a catalog of 200,000 classes (a million people) and lists them in order', () => {
    const ids = SharedIds.forAbout(1);
    const [first, second] = [new Roster(noRows), new Roster(noRows)];
    first.share(ids);
    const classes: string[] = [];
    for (let i = 0; i < 200_000; i++) classes.push(`cls-${((i * 2654435761) % 2 ** 48).toString(16).padStart(12, '0')}`, 'org-basishub', `Groep ${i}`);
    second.absorb({ orgs: [], classes: classes.join('\x1f') });
    const listed = second.classList();
    expect(listed.length).toBe(600_000);
    let inOrder = true;
    for (let i = 3; i < listed.length; i += 3) inOrder &&= listed[i]! > listed[i - 3]!;
    expect(inOrder).toBe(true);
    expect(first.classList()).toEqual([]);
  });
});
