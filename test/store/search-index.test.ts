/**
 * The search index (schema v10) never misses: after any mix of writes (syncs, a person's edit, delete,
 * restore, purge, a revert, a bulk load, the sqlite3 shell writing accounts, links or the search rows
 * themselves), a search answers exactly what one plain GLOB pass over the search rows answers: the same
 * accounts in the same order, with a status, and a page. Checked with fast-check over random writes and
 * random parts of what the hub holds (1 to 8 letters, other case, diacritics), with a fixed seed;
 * more on demand: `SEARCH_RUNS=200 npm test -- test/store/search-index`.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { editUser, deleteUser, restoreUser } from '../../src/app/users.js';
import { revertRun } from '../../src/app/revert.js';
import { BasishubError } from '../../src/errors.js';
import { containsGlob, searchRow, storedFold } from '../../src/store/search.js';
import { candidateIds, queryBits, SearchIndexBuilder } from '../../src/store/search-index.js';
import { searchPaging } from '../../src/store/search-page.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import type { Store } from '../../src/store/store.js';
import { TestHub, type Staff } from '../helpers/hub.js';

const RUNS = Number(process.env.SEARCH_RUNS ?? 10);
const SEED = Number(process.env.SEARCH_SEED ?? 20261201);

let hub: TestHub | undefined;
afterEach(() => hub?.close());

const GIVEN = ['Jan', 'Zoë', 'Fatima', 'Çiğdem', 'Daan', 'Noor', 'İlknur', 'Thijs', 'Anneke', 'Søren'];
const FAMILY = ['Jansen', 'Janssen', 'Öztürk', 'Vries', 'Bakker', 'Yılmaz', 'El Amrani', 'ÖZTÜRK-ŁUKASZEWSKA', 'Groß', "D'Hondt"];
const SCHOOL = ['OBS De Regenboog', 'CBS De Wegwijzer', 'IKC Ærø', 'Springplank'];
const GROUP = ['Groep 1/2', 'Groep 7', 'Directie', 'Invalpool'];

interface Person {
  id: string;
  given: string;
  family: string;
  n: number;
  school: string;
  group: string;
}

const person: fc.Arbitrary<Person> = fc.record({
  id: fc.integer({ min: 10000, max: 10040 }).map(String),
  given: fc.constantFrom(...GIVEN),
  family: fc.constantFrom(...FAMILY),
  n: fc.integer({ min: 0, max: 99 }),
  school: fc.constantFrom(...SCHOOL),
  group: fc.constantFrom(...GROUP),
});
const staff = (p: Person): Staff => ({
  id: p.id,
  given: p.given,
  family: p.family,
  email: `${storedFold(p.given)}.${storedFold(p.family).replace(/[^a-z]/g, '')}${p.n}@school.nl`,
  organisation: p.school,
  group: p.group,
});

type Write =
  | { kind: 'sync'; people: Person[] }
  | { kind: 'edit' | 'delete' | 'restore' | 'purge'; pick: number; family: string }
  | { kind: 'revert'; pick: number }
  | { kind: 'shell'; pick: number; what: 'account' | 'link' | 'row'; family: string }
  | { kind: 'bulk'; people: Person[]; writerWritesRows: boolean };

const write: fc.Arbitrary<Write> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('sync' as const), people: fc.array(person, { minLength: 1, maxLength: 12 }) }) },
  fc.record({
    kind: fc.constantFrom('edit' as const, 'delete' as const, 'restore' as const, 'purge' as const),
    pick: fc.nat(),
    family: fc.constantFrom(...FAMILY),
  }),
  fc.record({ kind: fc.constant('revert' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('shell' as const),
    pick: fc.nat(),
    what: fc.constantFrom('account' as const, 'link' as const, 'row' as const),
    family: fc.constantFrom(...FAMILY),
  }),
  fc.record({ kind: fc.constant('bulk' as const), people: fc.array(person, { minLength: 1, maxLength: 5 }), writerWritesRows: fc.boolean() }),
);

const ids = (store: Store, status?: 'active' | 'deleted') =>
  store.db
    .prepare(`SELECT id FROM accounts ${status ? `WHERE status = '${status}'` : ''} ORDER BY id`)
    .pluck()
    .all() as number[];

let clock = 0;
const iso = () => new Date(Date.UTC(2026, 11, 1, 2, 0, clock++)).toISOString();

async function apply(h: TestHub, w: Write): Promise<void> {
  const all = ids(h.store);
  const pick = (n: number, from = all) => from[n % from.length];
  const ctx = h.at(iso());
  const quiet = async (f: () => unknown) => {
    try {
      await f();
    } catch (err) {
      // A refusal (a deleted account to edit, nothing to revert) is a write that did not happen.
      if (!(err instanceof BasishubError) || err.code === 'INTERNAL') throw err;
    }
  };
  switch (w.kind) {
    case 'sync':
      return void (await h.sync(iso(), [...new Map(w.people.map((p) => [p.id, staff(p)])).values()]));
    case 'edit':
      return all.length ? quiet(() => editUser(ctx, String(pick(w.pick)), { familyName: w.family }, true)) : undefined;
    case 'delete':
      return ids(h.store, 'active').length ? quiet(() => deleteUser(ctx, String(pick(w.pick, ids(h.store, 'active'))), 'left the school')) : undefined;
    case 'restore':
      return ids(h.store, 'deleted').length ? quiet(() => restoreUser(ctx, String(pick(w.pick, ids(h.store, 'deleted'))))) : undefined;
    case 'purge':
      return all.length ? void h.store.transaction(() => h.store.purgeAccount(pick(w.pick))) : undefined;
    case 'revert': {
      const runs = h.store.db.prepare('SELECT id FROM runs ORDER BY id').pluck().all() as number[];
      return runs.length ? quiet(() => revertRun(ctx, String(pick(w.pick, runs)), { force: true })) : undefined;
    }
    case 'shell':
      return all.length ? shell(h, pick(w.pick), w.what, w.family) : undefined;
    case 'bulk':
      return bulk(h, w.people.map(staff), w.writerWritesRows);
  }
}

/** Another connection, as the sqlite3 shell: basishub's code does not run. */
function shell(h: TestHub, id: number, what: 'account' | 'link' | 'row', family: string): void {
  const raw = new Database(h.dbPath);
  try {
    if (what === 'account') raw.prepare('UPDATE accounts SET family_name = ? WHERE id = ?').run(family, id);
    if (what === 'link') raw.prepare("UPDATE links SET external_id = external_id || '7' WHERE account_id = ?").run(id);
    if (what === 'row') raw.prepare("UPDATE account_search SET text = text || ' ' || ? WHERE account_id = ?").run(storedFold(family), id);
  } finally {
    raw.close();
  }
}

/**
 * A bulk load of new accounts, its triggers suspended: either the rows written at the end in SQL, or
 * written (and indexed) as they go in, as a first sync's plan writer does (src/store/apply.ts).
 */
function bulk(h: TestHub, people: Staff[], writerWritesRows: boolean): void {
  const { store } = h;
  store.transaction(() => {
    const rebuild = store.suspendIndexes({ searchRowsWritten: writerWritesRows });
    const index = new SearchIndexBuilder(store.db);
    for (const p of people) {
      const a = { givenName: p.given, prefix: '', familyName: p.family, email: p.email };
      const id = h.insertHubAccount(p.email, p.given, p.family);
      if (!writerWritesRows) continue;
      const row = searchRow(a, []);
      store.db.prepare('INSERT INTO account_search (account_id, name_key, text) VALUES (?, ?, ?)').run(id, row.nameKey, row.text);
      index.add(id, row.text, row.nameKey);
    }
    index.finish();
    rebuild();
  });
}

/** What one plain pass of GLOB answers: the reference. */
function plain(store: Store, q: string, status?: 'active' | 'deleted'): number[] {
  return store.db
    .prepare(
      `SELECT s.account_id FROM account_search s NOT INDEXED JOIN accounts a ON a.id = s.account_id WHERE s.text GLOB ? ${status ? 'AND a.status = ?' : ''} ORDER BY s.name_key, s.account_id`,
    )
    .pluck()
    .all(...[containsGlob(storedFold(q.trim())), ...(status ? [status] : [])]) as number[];
}

/** Parts of what the hub holds, in other case, and a few that it does not hold. */
function queries(store: Store, seed: number): string[] {
  const texts = store.db.prepare('SELECT text FROM account_search ORDER BY account_id').pluck().all() as string[];
  const out = ['jansen', 'ÖZTÜRK', 'ozt', 'springplank', 'hr:100', 'ja', 'e', 'groß', 'zz9', 'qqq', "d'h", '[a]', '*', 'gro?p'];
  let r = seed;
  const next = (n: number) => ((r = (r * 1103515245 + 12345) & 0x7fffffff), r % n);
  for (let i = 0; i < 12 && texts.length > 0; i++) {
    const t = texts[next(texts.length)];
    const start = next(t.length);
    const part = t.slice(start, start + 1 + next(8));
    if (part.trim() !== '') out.push(i % 2 ? part.toUpperCase() : part);
  }
  return out;
}

function expectSameAnswers(store: Store, seed: number): void {
  for (const q of queries(store, seed)) {
    const ids = (f: Parameters<Store['accountPage']>[0]) => store.accountPage(f).accounts.map((a) => a.id);
    expect({ q, all: ids({ search: q }) }).toEqual({ q, all: plain(store, q) });
    expect({ q, active: store.accountPage({ search: q, status: 'active', limit: 3 }) }).toEqual({
      q,
      active: {
        accounts: plain(store, q, 'active')
          .slice(0, 3)
          .map((id) => store.account(id)),
        total: plain(store, q, 'active').length,
        estimated: false,
      },
    });
    expect({ q, page: store.listAccounts({ search: q, limit: 2 }).map((a) => a.id) }).toEqual({ q, page: plain(store, q).slice(0, 2) });
  }
}

/**
 * The pages as a large hub's searches make them (every candidate past the first read in the order of
 * the name keys, the count estimated): the same accounts in the same order; a count not estimated is exact.
 */
function largeHubPages(store: Store, seed: number): void {
  const settings = { ...searchPaging };
  // Also as a large hub's searches of common text go: the page first looked for among a few rows at the
  // start of the name order (densePage, walkedPage), and text of very many candidates (a mail domain).
  for (const paging of [
    { readAllUpTo: 0, sample: 3 },
    { readAllUpTo: 0, sample: 3, walkRows: 6, candidatesAtMost: 12 },
  ]) {
    Object.assign(searchPaging, paging);
    try {
      for (const q of queries(store, seed)) {
        const active = plain(store, q, 'active');
        const page = store.accountPage({ search: q, status: 'active', limit: 3 });
        expect({ q, paging, page: page.accounts.map((a) => a.id) }).toEqual({ q, paging, page: active.slice(0, 3) });
        if (!page.estimated) expect({ q, paging, total: page.total }).toEqual({ q, paging, total: active.length });
        expect({ q, paging, picker: store.listAccounts({ search: q, limit: 2 }).map((a) => a.id) }).toEqual({ q, paging, picker: plain(store, q).slice(0, 2) });
      }
    } finally {
      Object.assign(searchPaging, settings);
    }
  }
}

/** `n` people of the names, schools and groups above in turn, each family name numbered, ids from `first`. */
function numbered(n: number, first: number): Staff[] {
  return Array.from({ length: n }, (_, i) => ({
    id: String(first + i),
    given: GIVEN[i % GIVEN.length],
    family: `${FAMILY[i % FAMILY.length]}${i}`,
    email: `p${i}@school.nl`,
    organisation: SCHOOL[i % SCHOOL.length],
    group: GROUP[i % GROUP.length],
  }));
}

describe('the search index', () => {
  it('answers as one plain GLOB pass does, after any writes (syncs, edits, deletes, restores, purges, reverts, bulk loads, the shell)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 8 }), fc.nat(), async (writes, seed) => {
        hub?.close();
        hub = new TestHub();
        for (const w of writes) {
          await apply(hub, w);
          expectSameAnswers(hub.store, seed);
        }
        largeHubPages(hub.store, seed);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 240_000);

  it('is kept by a revert that writes links back (an upsert whose conflict clause the triggers inherit)', async () => {
    hub = new TestHub();
    const jan: Staff = { id: '10234', given: 'Jan', family: 'Jansen', email: 'jan.jansen@school.nl', organisation: 'Springplank', group: 'Groep 7' };
    const zoe: Staff = { id: '10241', given: 'Zoë', family: 'Öztürk', email: 'zoe.ozturk@school.nl', organisation: 'IKC Ærø', group: 'Directie' };
    await hub.sync(iso(), [jan, zoe]);
    const bad = await hub.sync(iso(), [{ ...jan, family: 'Janssen', organisation: 'OBS De Regenboog' }]);
    await revertRun(hub.at(iso()), String(bad.runId), { force: true });
    expect(hub.store.listAccounts({ search: 'öztürk' }).map((a) => a.status)).toEqual(['active']);
    expect(hub.store.listAccounts({ search: 'springplank' }).map((a) => a.familyName)).toEqual(['Jansen']);
    expectSameAnswers(hub.store, 7);
  });

  it('reads only the rows that may match, and a sync leaves no row unfolded', async () => {
    hub = new TestHub();
    await hub.sync(iso(), numbered(300, 20000));
    const { store } = hub;
    expect(store.db.prepare('SELECT count(*) FROM search_dirty').pluck().get()).toBe(0);
    // One account among 300: its own email's trigrams leave a handful of candidates.
    const rare = candidateIds(store.db, queryBits('p217@school')!.bits, 1000)!;
    expect(rare).toContain(hub.id('hr:20217'));
    expect(rare.length).toBeLessThan(20);
    // A person's edit is noted, read by every search until the next sync folds it in.
    await editUser(hub.at(iso()), 'hr:20217', { familyName: 'Wijngaarden' }, true);
    expect(store.db.prepare('SELECT account_id FROM search_dirty').pluck().all()).toEqual([hub.id('hr:20217')]);
    expect(store.listAccounts({ search: 'wijngaard' }).map((a) => a.id)).toEqual([hub.id('hr:20217')]);
    expect(queryBits('ja')).toBeNull(); // fewer than three bytes: no trigram to look up
  });

  it('narrows text of one trigram by both halves of the signature, and text of more by the first (v12)', async () => {
    hub = new TestHub();
    await hub.sync(iso(), numbered(300, 20000));
    const { db } = hub.store;
    const one = queryBits(storedFold('ÖZT'))!;
    expect(one.oneTrigram).toBe(true);
    expect(one.bits).toHaveLength(2); // its bit in each half
    expect(queryBits('ztztzt')).toMatchObject({ oneTrigram: false }); // two trigrams: ztz and tzt
    const jansen = queryBits('jansen')!;
    expect(jansen).toMatchObject({ oneTrigram: false });
    expect(jansen.bits.every((b) => b < 512)).toBe(true); // first-half bits only
    // Both bits leave no more candidates than the first alone, and never lose a match (30 Öztürks).
    const both = candidateIds(db, one.bits, 1000)!;
    const first = candidateIds(db, [Math.min(...one.bits)], 1000)!;
    expect(first).toEqual(expect.arrayContaining(both));
    expect(both).toEqual(expect.arrayContaining(plain(hub.store, 'özt')));
    expect(plain(hub.store, 'özt')).toHaveLength(60);
  });

  it("makes a v11 hub's index anew with both halves when it is opened (schema v12)", async () => {
    const built = new TestHub();
    await built.sync(iso(), numbered(300, 20000));
    // As v11 left it: one half, 512 slices a segment.
    built.store.db.exec('DELETE FROM search_slices WHERE key % 1024 >= 512');
    built.store.db.pragma('user_version = 11');
    built.close();
    hub = new TestHub(built.dbPath);
    const { db } = hub.store;
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT count(*) FROM search_slices WHERE key % 1024 >= 512').pluck().get()).toBeGreaterThan(400);
    for (const q of ['özt', 'jansen', 'p217@school', 'vri'])
      expect(hub.store.accountPage({ search: q, limit: 100 }).accounts.map((a) => a.id)).toEqual(plain(hub.store, q));
  });

  it('finds a page of common text at the start of the name order, and estimates its count as from the name keys', async () => {
    hub = new TestHub();
    await hub.sync(iso(), numbered(240, 30000));
    const { store } = hub;
    const settings = { ...searchPaging };
    const page = (search: string) => store.accountPage({ search, status: 'active', limit: 5 });
    try {
      // As on a large hub, the page from the candidates in the order of their name keys (keyedPage).
      Object.assign(searchPaging, { readAllUpTo: 0, sample: 48 });
      const keyed = { school: page('school.nl'), springplank: page('springplank') };
      // A hub larger than the walk: text that a twentieth of the rows or more may hold (all 240) is looked for
      // among the first rows in name order, the count from the same sample; the 60 at the Springplank, which
      // the first batch of 64 in key order reads all of, are still counted.
      Object.assign(searchPaging, { walkRows: 100 });
      for (const [q, before] of [
        ['school.nl', keyed.school],
        ['springplank', keyed.springplank],
      ] as const) {
        const walked = page(q);
        expect(walked.accounts.map((a) => a.id)).toEqual(plain(store, q, 'active').slice(0, 5));
        expect(walked).toEqual(before);
      }
      expect(keyed.school.estimated).toBe(true);
      expect(keyed.springplank).toMatchObject({ total: 60, estimated: false });
      // Text of more candidates than the index names (a mail domain at a million): the page from the rows at
      // the start of the name order, the count estimated; text they do not hold: one pass over every row.
      Object.assign(searchPaging, { candidatesAtMost: 100 });
      const domain = page('school.nl');
      expect(domain.accounts.map((a) => a.id)).toEqual(plain(store, 'school.nl', 'active').slice(0, 5));
      expect(domain.estimated).toBe(true);
      expect(Math.abs(domain.total - 240)).toBeLessThanOrEqual(24);
      expect(page('@school.nl')).toMatchObject({ total: 240 });
    } finally {
      Object.assign(searchPaging, settings);
    }
  });

  it("counts a page's matches when it reads them all, and estimates them from a sample when it does not", async () => {
    hub = new TestHub();
    await hub.sync(iso(), numbered(240, 30000));
    const { store } = hub;
    // A small hub: every candidate read, the count exact.
    expect(store.accountPage({ search: 'school.nl', status: 'active', limit: 5 })).toMatchObject({ total: 240, estimated: false });
    const { readAllUpTo, sample } = searchPaging;
    Object.assign(searchPaging, { readAllUpTo: 0, sample: 48 });
    try {
      // As on a large hub: the page from the candidates in name order, the count from every fifth of them.
      const page = store.accountPage({ search: 'school.nl', status: 'active', limit: 5 });
      expect(page.accounts.map((a) => a.id)).toEqual(plain(store, 'school.nl', 'active').slice(0, 5));
      expect(page).toMatchObject({ total: 240, estimated: true });
      // The 60 at the Springplank: read in one batch (64) in name order, so counted, not estimated.
      expect(store.accountPage({ search: 'springplank', status: 'active', limit: 5 })).toMatchObject({ total: 60, estimated: false });
      // The JSON document holds no count: no sample is read, and what is said is no estimate of all.
      expect(store.accountPage({ search: 'springplank', limit: 5, count: false }).accounts).toHaveLength(5);
    } finally {
      Object.assign(searchPaging, { readAllUpTo, sample });
    }
  });
});
