/**
 * The engine's tests plan against an in-memory hub (test/helpers/memory.ts); a real sync plans against
 * the SQLite store's view (src/store/hubview.ts). Both implement HubView, and the engine's tests only
 * say something about real syncs when the two answer alike. Here the same hub is held both ways and
 * every question the engine asks is put to both, above all the matching of R12: an existing link first
 * (also an inactive one, also one to a deleted account), else the match key among non-deleted accounts
 * not yet linked to that source, e-mail case-insensitive, several candidates being a conflict.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import type { Candidates, HubView, LinkSummary } from '../../src/engine/types.js';
import type { Account, ExceptionEntry, Link, MatchField } from '../../src/model.js';
import { StoreHubView } from '../../src/store/hubview.js';
import { TestHub } from '../helpers/hub.js';
import { MemoryHub, TODAY, account, entry, link, rec } from '../helpers/memory.js';

const SOURCES = ['hr', 'parnassys', 'basispoort', 'sds'];

// Accounts 1–12; the comment says what each is there for.
const accounts: Account[] = [
  account({ id: 1, givenName: 'Jan', prefix: 'de', familyName: 'Vries', email: 'jan.devries@school.nl' }), // hr, basispoort
  account({ id: 2, givenName: 'Zoë', prefix: 'van', familyName: 'Dijk', email: 'Zoe.vanDijk@School.NL' }), // hr only; e-mail in mixed case
  account({ id: 3, givenName: 'Fatima', prefix: 'el', familyName: 'Amrani', email: 'fatima.elamrani@school.nl', notOfferedSince: '2026-11-20' }), // hr, inactive; on the list
  account({
    id: 4,
    givenName: 'Petra',
    prefix: '',
    familyName: 'Smit',
    email: 'petra.smit@school.nl',
    status: 'deleted',
    deletedAt: '2026-11-21T02:00:00.000Z',
    deletedBy: 'cron',
    deletedCause: 'not offered',
  }), // hr link to a deleted account
  account({ id: 5, givenName: 'Daan', prefix: '', familyName: 'Jansen', email: '', role: 'student' }), // parnassys L100123, no e-mail
  account({ id: 6, givenName: 'Jan', prefix: 'de', familyName: 'Vries', email: 'JAN.DEVRIES@school.nl', owner: 'hub' }), // made by hand: a second "Jan de Vries"
  account({ id: 7, givenName: 'Sanne', prefix: 'ter', familyName: 'Horst', email: 'sanne.terhorst@school.nl', owner: 'hub' }), // no links at all
  account({
    id: 8,
    givenName: 'Sanne',
    prefix: 'ter',
    familyName: 'Horst',
    email: 'sanne.terhorst@school.nl',
    status: 'deleted',
    deletedAt: '2026-10-01T10:00:00.000Z',
    deletedBy: 'coordinator',
    deletedCause: 'by hand',
  }),
  account({ id: 9, givenName: 'Noor', prefix: "'t", familyName: 'Hart', email: 'noor.thart@school.nl' }), // basispoort, inactive link
  account({ id: 10, givenName: 'Sem', prefix: 'van der', familyName: 'Berg', email: '', role: 'student' }), // parnassys L100200 and basispoort L100200
  account({
    id: 11,
    givenName: 'Lieke',
    prefix: '',
    familyName: 'Bakker',
    email: '',
    role: 'student',
    status: 'deleted',
    deletedAt: '2026-11-02T02:00:00.000Z',
    deletedBy: 'cron',
    deletedCause: 'not offered',
  }), // parnassys L100300, deleted
  account({ id: 12, givenName: 'Ayoub', prefix: '', familyName: 'Bennani', email: 'ayoub.bennani@school.nl', notOfferedSince: '2026-11-25' }), // hr, inactive; not listed
];

const offered = (id: string, family: string, email = '') => rec({ id, given: 'X', family, email, rel: [['OBS De Regenboog', 'Groep 3']] });
const gone = (id: string, family: string, email = '') => rec({ id, given: 'X', family, email });
const inactive = { active: false, inactiveSince: '2026-11-20T02:00:00.000Z' };

const links: Link[] = [
  link('hr', 1, offered('10234', 'Vries', 'jan.devries@school.nl')),
  link('basispoort', 1, offered('B-10234', 'Vries', 'jan.devries@school.nl')),
  link('hr', 2, offered('10241', 'Dijk', 'zoe.vandijk@school.nl')),
  link('hr', 3, gone('10395', 'Amrani', 'fatima.elamrani@school.nl'), inactive),
  link('hr', 4, gone('10263', 'Smit', 'petra.smit@school.nl'), inactive),
  // Next checks (a relation's start or end date): one on the day, one still ahead of it.
  link('parnassys', 5, offered('L100123', 'Jansen'), { nextCheck: TODAY }),
  link('basispoort', 9, gone('B-20001', 'Hart', 'noor.thart@school.nl'), inactive),
  link('parnassys', 10, offered('L100200', 'Berg'), { nextCheck: '2026-12-01' }),
  link('basispoort', 10, offered('L100200', 'Berg')),
  link('parnassys', 11, gone('L100300', 'Bakker'), inactive),
  link('hr', 12, gone('10400', 'Bennani', 'ayoub.bennani@school.nl'), inactive),
];

const exceptions: ExceptionEntry[] = [entry(3, { until: '2026-12-31' }), entry(12, { until: '2026-11-01', reason: 'Verlof tot november' })];

/** The same hub in SQLite, written row by row as the store holds it. */
function storeHub(): TestHub {
  const hub = new TestHub();
  const db = hub.store.db;
  const insertAccount = db.prepare(
    `INSERT INTO accounts (id, given_name, prefix, family_name, email, role, status, owner, not_offered_since, created_at, updated_at, deleted_at, deleted_by, deleted_cause)
     VALUES (@id, @givenName, @prefix, @familyName, @email, @role, @status, @owner, @notOfferedSince, @createdAt, @updatedAt, @deletedAt, @deletedBy, @deletedCause)`,
  );
  const insertLink = db.prepare(
    `INSERT INTO links (source, external_id, account_id, active, record, fp, next_check, inactive_since, created_at)
     VALUES (@source, @externalId, @accountId, @active, @record, @fp, @nextCheck, @inactiveSince, @createdAt)`,
  );
  db.transaction(() => {
    for (const a of accounts) insertAccount.run(a);
    for (const l of links) insertLink.run({ ...l, active: l.active ? 1 : 0 });
    for (const e of exceptions) hub.store.saveException(e);
  })();
  return hub;
}

const hub = storeHub();
afterAll(() => hub.close());
const memory = () => new MemoryHub(accounts, links, exceptions);
const stored = () => new StoreHubView(hub.store, SOURCES);

/** What `eachLink` visits, copied (the summary object may be reused) and in one order. */
function visited(view: HubView, source: string, today = TODAY): [string, LinkSummary][] {
  const seen: [string, LinkSummary][] = [];
  view.eachLink(source, today, (externalId, l) => seen.push([externalId, { ...l }]));
  return seen.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/** Asks both hubs the same question; they must agree, and the answer is returned for a closer look. */
function agreed<T>(ask: (view: HubView) => T): T {
  const fromMemory = ask(memory());
  expect(ask(stored())).toEqual(fromMemory);
  return fromMemory;
}

describe('the in-memory hub and the SQLite hub view agree', () => {
  it.each(SOURCES)('on the links of %s, inactive ones and ones to deleted accounts included (R12, R14)', (source) => {
    const seen = agreed((v) => visited(v, source));
    expect(seen.map(([id]) => id)).toEqual(
      links
        .filter((l) => l.source === source)
        .map((l) => l.externalId)
        .sort(),
    );
  });

  it('on a link that is inactive and one whose account is deleted', () => {
    const hr = Object.fromEntries(agreed((v) => visited(v, 'hr')));
    expect(hr['10395']).toMatchObject({ accountId: 3, active: false, accountDeleted: false });
    expect(hr['10263']).toMatchObject({ accountId: 4, active: false, accountDeleted: true });
    expect(hr['10234']).toMatchObject({ accountId: 1, active: true, accountDeleted: false });
  });

  it('on whose next check is due: on its day and after it, not before, never without one', () => {
    const due = (today: string) => agreed((v) => visited(v, 'parnassys', today).map(([id, l]) => [id, l.checkDue]));
    expect(due('2026-11-28')).toEqual([
      ['L100123', false],
      ['L100200', false],
      ['L100300', false],
    ]);
    expect(due(TODAY)).toEqual([
      ['L100123', true],
      ['L100200', false],
      ['L100300', false],
    ]);
    expect(due('2026-12-01')).toEqual([
      ['L100123', true],
      ['L100200', true],
      ['L100300', false],
    ]);
  });

  const none = { open: [], claimed: [] };
  const cases: [string, string, MatchField, string, Candidates][] = [
    // what, source, field, value, the accounts that match: open ones, and ones a record of the source holds (R5, R12)
    ['e-mail, in other case than stored', 'basispoort', 'email', 'ZOE.VANDIJK@school.nl', { open: [2], claimed: [] }],
    ['e-mail as stored', 'basispoort', 'email', 'Zoe.vanDijk@School.NL', { open: [2], claimed: [] }],
    ['e-mail of an account already linked to the source: held', 'hr', 'email', 'zoe.vandijk@school.nl', { open: [], claimed: [2] }],
    ['e-mail of two accounts: a conflict', 'sds', 'email', 'jan.devries@school.nl', { open: [1, 6], claimed: [] }],
    ['e-mail of two accounts, one linked to the source', 'basispoort', 'email', 'Jan.DeVries@School.nl', { open: [6], claimed: [1] }],
    ['e-mail of an active and a deleted account: the deleted one is left out', 'hr', 'email', 'sanne.terhorst@school.nl', { open: [7], claimed: [] }],
    ['e-mail of a deleted account only', 'basispoort', 'email', 'petra.smit@school.nl', none],
    ['e-mail of an account whose only link to the source is inactive: open (R5)', 'basispoort', 'email', 'noor.thart@school.nl', { open: [9], claimed: [] }],
    ['the same account for another source', 'hr', 'email', 'noor.thart@school.nl', { open: [9], claimed: [] }],
    ['e-mail nobody has', 'hr', 'email', 'milan.bos@school.nl', none],
    ['an empty e-mail: accounts without one do not match each other', 'hr', 'email', '', none],
    ['externalId of another source', 'basispoort', 'externalId', 'L100123', { open: [5], claimed: [] }],
    ['externalId of the same source: that is a link, not a candidate', 'parnassys', 'externalId', 'L100123', none],
    ['externalId of an account already linked to the source: held', 'basispoort', 'externalId', 'L100200', { open: [], claimed: [10] }],
    ['externalId linked to a deleted account', 'basispoort', 'externalId', 'L100300', none],
    ['externalId in other case: ids are exact', 'basispoort', 'externalId', 'l100123', none],
    ['the none match field', 'sds', 'none', 'jan.devries@school.nl', none],
  ];

  it.each(cases)('on candidates: %s', (_what, source, field, value, expected) => {
    expect(agreed((v) => v.candidates(source, field, value))).toEqual(expected);
  });

  it.each(SOURCES)('on whether %s has candidates at all, before and after its links were streamed', (source) => {
    const before = agreed((v) => v.hasCandidates());
    const after = agreed((v) => {
      visited(v, source);
      return v.hasCandidates();
    });
    expect(after).toBe(before);
    expect(before).toBe(true); // there are active accounts
  });

  it('on every account, its links and its list entry', () => {
    for (const { id } of accounts) {
      expect(agreed((v) => v.account(id))).toEqual(accounts.find((a) => a.id === id));
      expect(
        agreed((v) =>
          v
            .linksOf(id)
            .map((l) => `${l.source}:${l.externalId}`)
            .sort(),
        ),
      ).toEqual(
        links
          .filter((l) => l.accountId === id)
          .map((l) => `${l.source}:${l.externalId}`)
          .sort(),
      );
      agreed((v) => v.linksOf(id).sort((a, b) => (a.source + a.externalId < b.source + b.externalId ? -1 : 1)));
      agreed((v) => v.exception(id) ?? null);
    }
  });

  it('on every account read ahead in one pass, as read one at a time (a sync reads its touched accounts so)', () => {
    const one = stored();
    const ahead = stored();
    // In no order, with an account that is not there: it is read (and missing) as it would be one at a time.
    ahead.readAhead([12, 3, 1, 99, ...accounts.map((a) => a.id).filter((id) => id !== 12 && id !== 3 && id !== 1)]);
    for (const { id } of accounts) {
      expect(ahead.account(id)).toEqual(one.account(id));
      expect(ahead.linksOf(id)).toEqual(one.linksOf(id));
      expect(ahead.exception(id)).toEqual(one.exception(id));
    }
    expect(ahead.linksOf(99)).toEqual([]);
    expect(ahead.exception(99)).toBeUndefined();
    // Each read gives objects of its own: the engine may change what it was given.
    expect(ahead.linksOf(1)).not.toBe(ahead.linksOf(1));
  });

  it('on accounts that nothing offers any more, and on lapsed list entries', () => {
    expect(agreed((v) => [...v.unofferedAccountIds()].sort((a, b) => a - b))).toEqual([3, 12]);
    expect(agreed((v) => [...v.lapsedExceptionIds(TODAY)].sort((a, b) => a - b))).toEqual([12]);
    expect(agreed((v) => [...v.lapsedExceptionIds('2026-10-31')])).toEqual([]);
  });
});
