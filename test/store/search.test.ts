/**
 * The search rows (schema v6): every write to accounts and links keeps them, a bulk load writes them
 * once at its end, and the migration writes them for a hub that had none. A search ignores case and
 * diacritics ("ozturk" finds Öztürk) and looks in names, email, source:externalId, schools and groups.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { openDatabase } from '../../src/store/db.js';
import { MIGRATIONS, searchRowSql } from '../../src/store/migrations.js';
import { Store } from '../../src/store/store.js';
import { searchRow } from '../../src/store/search.js';
import { TestHub, tempDir } from '../helpers/hub.js';

let hub: TestHub | undefined;
afterEach(() => hub?.close());

const NOW = '2026-11-30T02:00:00.000Z';
const US = '\x1f';
const RS = '\x1e';

function addPerson(store: Store, p: { given: string; prefix?: string; family: string; email: string; id: string; school: string; group: string }): number {
  const id = Number(
    store.db
      .prepare(
        "INSERT INTO accounts (given_name, prefix, family_name, email, role, status, owner, created_at, updated_at) VALUES (?, ?, ?, ?, 'staff', 'active', 'source', ?, ?)",
      )
      .run(p.given, p.prefix ?? '', p.family, p.email, NOW, NOW).lastInsertRowid,
  );
  const record = [p.given, p.prefix ?? '', p.family, p.email, 'staff'].join(US) + RS + [p.school, p.group, '', ''].join(US);
  store.db
    .prepare('INSERT INTO links (source, external_id, account_id, active, record, created_at) VALUES (?, ?, ?, 1, ?, ?)')
    .run('hr', p.id, id, record, NOW);
  return id;
}

const names = (store: Store, search: string) => store.listAccounts({ search }).map((a) => `${a.givenName} ${a.familyName}`);

describe('the search rows', () => {
  it('find a person by any part of a name, email, externalId, school or group, diacritics ignored', () => {
    hub = new TestHub();
    addPerson(hub.store, { given: 'Emre', family: 'Öztürk', email: 'emre.ozturk@waterlanden.nl', id: '10315', school: 'CBS De Wegwijzer', group: 'Groep 8' });
    addPerson(hub.store, {
      given: 'Daan',
      prefix: 'van der',
      family: 'Berg',
      email: 'daan.vanderberg@waterlanden.nl',
      id: '10234',
      school: 'OBS De Regenboog',
      group: 'Groep 3/4',
    });
    expect(names(hub.store, 'ozturk')).toEqual(['Emre Öztürk']);
    expect(names(hub.store, 'ÖZTÜ')).toEqual(['Emre Öztürk']);
    expect(names(hub.store, 'van der b')).toEqual(['Daan Berg']);
    expect(names(hub.store, 'hr:1023')).toEqual(['Daan Berg']);
    expect(names(hub.store, 'wegwijzer')).toEqual(['Emre Öztürk']);
    expect(names(hub.store, 'groep 3/4')).toEqual(['Daan Berg']);
    expect(names(hub.store, 'waterlanden')).toHaveLength(2);
    expect(names(hub.store, 'jansen')).toEqual([]);
  });

  it('take what is typed literally: *, ? and [ are no wildcards', () => {
    hub = new TestHub();
    addPerson(hub.store, { given: 'Sem', family: 'Visser', email: 'sem.visser@waterlanden.nl', id: '20001', school: 'OBS [Noord]', group: 'Groep 1/2*' });
    addPerson(hub.store, { given: 'Lotte', family: 'Mulder', email: 'lotte.mulder@waterlanden.nl', id: '20002', school: 'OBS Zuid', group: 'Groep 1/2' });
    expect(names(hub.store, '[noord]')).toEqual(['Sem Visser']);
    expect(names(hub.store, '1/2*')).toEqual(['Sem Visser']);
    expect(names(hub.store, 'm?lder')).toEqual([]);
    expect(names(hub.store, '*')).toEqual(['Sem Visser']);
    expect(names(hub.store, 'obs [z')).toEqual([]);
  });

  it('follow every write: a rename, a new link, a link removed, a purge', () => {
    hub = new TestHub();
    const id = addPerson(hub.store, {
      given: 'Fatima',
      family: 'El Amrani',
      email: 'f.elamrani@waterlanden.nl',
      id: '10400',
      school: 'IKC De Bron',
      group: 'Groep 5',
    });
    hub.store.updateAccount(id, { familyName: 'Bakker-El Amrani', updatedAt: NOW });
    expect(names(hub.store, 'bakker-el')).toEqual(['Fatima Bakker-El Amrani']);
    hub.store.db
      .prepare('UPDATE links SET record = ? WHERE account_id = ?')
      .run(['Fatima', '', 'El Amrani', '', 'staff'].join(US) + RS + ['SBO De Horizon', 'Groep 8', '', ''].join(US), id);
    expect(names(hub.store, 'horizon')).toEqual(['Fatima Bakker-El Amrani']);
    expect(names(hub.store, 'ikc de bron')).toEqual([]);
    hub.store.deleteLinks(id);
    expect(names(hub.store, 'hr:10400')).toEqual([]);
    expect(names(hub.store, 'fatima')).toEqual(['Fatima Bakker-El Amrani']);
    hub.store.purgeAccount(id);
    expect(names(hub.store, 'fatima')).toEqual([]);
    expect(hub.store.db.prepare('SELECT count(*) AS n FROM account_search').get()).toEqual({ n: 0 });
  });

  it('are written once at the end of a bulk load, and the triggers come back', () => {
    hub = new TestHub();
    addPerson(hub.store, { given: 'Sanne', family: 'Bakker', email: 'sanne.bakker@waterlanden.nl', id: '1', school: 'OBS De Regenboog', group: 'Groep 3/4' });
    const triggers = () => hub!.store.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'account_search%'").get();
    const before = triggers();
    hub.store.transaction(() => {
      const rebuild = hub!.store.suspendIndexes();
      expect(triggers()).toEqual({ n: 0 });
      addPerson(hub!.store, {
        given: 'Thijs',
        prefix: 'van',
        family: 'Beek',
        email: 'thijs.vanbeek@waterlanden.nl',
        id: '2',
        school: 'CBS De Wegwijzer',
        group: 'Groep 7/8',
      });
      expect(names(hub!.store, 'thijs')).toEqual([]); // not yet: written at the end
      rebuild();
    });
    expect(triggers()).toEqual(before);
    expect(names(hub.store, 'thijs')).toEqual(['Thijs Beek']);
    expect(hub.store.accountPage({ status: 'active', limit: 1 }).total).toBe(2); // counted again at the end
    expect(names(hub.store, 'sanne')).toEqual(['Sanne Bakker']);
  });

  it('are the same whether the triggers write them or a bulk load does (searchRow)', () => {
    hub = new TestHub();
    const id = addPerson(hub.store, {
      given: 'Zoë',
      prefix: "'t",
      family: 'Hoen',
      email: 'zoe.thoen@waterlanden.nl',
      id: '10999',
      school: 'Cbs Het Anker',
      group: 'Groep 2',
    });
    hub.store.db
      .prepare("INSERT INTO links (source, external_id, account_id, active, record, created_at) VALUES ('parnassys', 'L100', ?, 1, 'no relations', ?)")
      .run(id, NOW);
    const stored = hub.store.db.prepare('SELECT name_key AS nameKey, text FROM account_search WHERE account_id = ?').get(id);
    const a = hub.store.account(id)!;
    expect(searchRow(a, hub.store.linksOf(id))).toEqual(stored);
    const other = addPerson(hub.store, {
      given: 'İlknur',
      family: 'ÖZTÜRK-ŁUKASZEWSKA',
      email: 'ilknur@waterlanden.nl',
      id: '11000',
      school: 'IKC Ærø',
      group: 'Groep 1',
    });
    expect(searchRow(hub.store.account(other)!, hub.store.linksOf(other))).toEqual(
      hub.store.db.prepare('SELECT name_key AS nameKey, text FROM account_search WHERE account_id = ?').get(other),
    );
    expect(names(hub.store, 'ozturk-ł')).toEqual(['İlknur ÖZTÜRK-ŁUKASZEWSKA']);
  });

  it('are kept by a connection that is not basishub (the sqlite3 shell): the fold is plain SQL', () => {
    hub = new TestHub();
    const raw = new Database(hub.dbPath);
    raw
      .prepare(
        "INSERT INTO accounts (given_name, prefix, family_name, email, role, status, owner, created_at, updated_at) VALUES ('Çiğdem', '', 'Yılmaz', 'c.yilmaz@waterlanden.nl', 'staff', 'active', 'hub', ?, ?)",
      )
      .run(NOW, NOW);
    raw.close();
    expect(names(hub.store, 'cigdem')).toEqual(['Çiğdem Yılmaz']);
  });

  it('give a page in name order and the count of all that match', () => {
    hub = new TestHub();
    for (const [given, family] of [
      ['Jan', 'Jansen'],
      ['Anna', 'Çelik'],
      ['Piet', 'Celik'],
      ['Kees', 'Bakker'],
    ]) {
      addPerson(hub.store, {
        given: given!,
        family: family!,
        email: `${given!.toLowerCase()}@waterlanden.nl`,
        id: given!,
        school: 'OBS De Regenboog',
        group: 'Groep 1/2',
      });
    }
    const page = hub.store.accountPage({ status: 'active', limit: 3 });
    expect(page.total).toBe(4);
    // Çelik beside Celik, not after Z (R: Dutch order).
    expect(page.accounts.map((a) => a.familyName)).toEqual(['Bakker', 'Çelik', 'Celik']);
    expect(hub.store.accountPage({ search: 'celik', limit: 1 }).total).toBe(2);
    expect(hub.store.accountPage({ status: 'deleted', limit: 3 })).toEqual({ accounts: [], total: 0, estimated: false });
  });
});

describe('a search with a status or owner', () => {
  it('keeps only the accounts of that status and owner, for a few matches and for thousands', () => {
    hub = new TestHub();
    const store = hub.store;
    // Statements prepared once: preparing a write compiles the search triggers with it.
    const account = store.db.prepare(
      "INSERT INTO accounts (given_name, prefix, family_name, email, role, status, owner, created_at, updated_at) VALUES (?, 'de', ?, ?, 'staff', ?, ?, ?, ?)",
    );
    const link = store.db.prepare("INSERT INTO links (source, external_id, account_id, active, record, created_at) VALUES ('hr', ?, ?, 1, ?, ?)");
    store.transaction(() => {
      for (let i = 0; i < 2100; i++) {
        const [given, family, email] = [i % 2 ? 'Sanne' : 'Bram', `Jong ${i}`, `medewerker${i}@waterlanden.nl`];
        const id = account.run(given, family, email, i % 100 === 0 ? 'deleted' : 'active', i % 100 === 1 ? 'hub' : 'source', NOW, NOW).lastInsertRowid;
        link.run(String(30000 + i), id, [given, 'de', family, email, 'staff'].join(US) + RS + ['OBS De Regenboog', 'Groep 4', '', ''].join(US), NOW);
      }
    });
    // 2,100 matches (more than are looked up one by one) and 1,050 (fewer): the same answers either way.
    for (const [text, n] of [
      ['waterlanden', 2100],
      ['sanne', 1050],
    ] as const) {
      const count = (f: object) => store.accountPage({ search: text, ...f }).total;
      expect(count({})).toBe(n);
      expect(count({ status: 'deleted' })).toBe(n === 2100 ? 21 : 0);
      expect(count({ status: 'active', owner: 'hub' })).toBe(21);
      expect(count({ status: 'active', owner: 'source' })).toBe(n - (n === 2100 ? 42 : 21));
      expect(count({ owner: 'source' })).toBe(n - 21);
    }
    // The first page's count of all (schema v7: counted as written, not by reading a million entries).
    const total = (f: object) => store.accountPage({ limit: 5, ...f }).total;
    expect([
      total({}),
      total({ status: 'active' }),
      total({ status: 'deleted' }),
      total({ status: 'active', owner: 'hub' }),
      total({ owner: 'source' }),
    ]).toEqual([2100, 2079, 21, 21, 2079]);
    const first = store.accountPage({ status: 'active', limit: 1 }).accounts[0]!;
    store.updateAccount(first.id, { status: 'deleted', owner: 'hub', deletedAt: NOW, updatedAt: NOW });
    expect([total({ status: 'active' }), total({ status: 'deleted' }), total({ status: 'deleted', owner: 'hub' })]).toEqual([2078, 22, 1]);
    store.purgeAccount(first.id);
    expect([total({}), total({ status: 'deleted' })]).toEqual([2099, 21]);
    const page = store.accountPage({ search: 'waterlanden', status: 'deleted', limit: 3 });
    expect(page.accounts.map((a) => a.familyName)).toEqual(['Jong 0', 'Jong 100', 'Jong 1000']);
    expect(page.total).toBe(21);
  });
});

describe('the migration to schema v6', () => {
  it('writes the search rows of a hub that had none', () => {
    upgraded(
      5,
      (db) => {
        db.prepare(
          "INSERT INTO accounts (given_name, prefix, family_name, email, role, status, owner, created_at, updated_at) VALUES ('Noor', 'de', 'Vries', 'noor.devries@waterlanden.nl', 'student', 'active', 'source', ?, ?)",
        ).run(NOW, NOW);
      },
      (store) => {
        expect(store.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(6);
        expect(names(store, 'de vries')).toEqual(['Noor Vries']);
      },
    );
  });
});

describe('the migration to schema v7', () => {
  it('replaces the six triggers that each held the whole statement, and adds the review indexes', () => {
    // Schema v6 as it was: the statement in every trigger.
    const v6 = `CREATE TABLE account_search (account_id INTEGER PRIMARY KEY, name_key TEXT NOT NULL, text TEXT NOT NULL);
      CREATE INDEX account_search_name ON account_search (name_key, account_id);
      CREATE INDEX accounts_status ON accounts (status, owner);
      CREATE TRIGGER account_search_account_insert AFTER INSERT ON accounts BEGIN ${searchRowSql('a.id = NEW.id')} END;
      CREATE TRIGGER account_search_link_insert AFTER INSERT ON links BEGIN ${searchRowSql('a.id = NEW.account_id')} END;`;
    upgraded(
      6,
      (db) => db.exec(v6),
      (store) => {
        const schema = store.db.prepare('SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL').all() as { name: string; sql: string }[];
        expect(schema.find((x) => x.name === 'account_search_account_insert')?.sql).toContain('INSERT INTO account_search_refresh');
        expect(schema.reduce((n, x) => n + x.sql.length, 0)).toBeLessThan(40_000);
        expect(schema.map((x) => x.name)).toEqual(
          expect.arrayContaining(['audit_review_lapse', 'audit_review_protect', 'audit_review_decision', 'account_search_refresh']),
        );
        const id = addPerson(store, {
          given: 'Noor',
          prefix: 'de',
          family: 'Vries',
          email: 'noor.devries@waterlanden.nl',
          id: '10500',
          school: 'IKC De Bron',
          group: 'Groep 6',
        });
        expect(names(store, 'de vries')).toEqual(['Noor Vries']);
        store.updateAccount(id, { familyName: 'Visser', updatedAt: NOW });
        expect(names(store, 'de vries')).toEqual([]);
        expect(names(store, 'ikc de bron')).toEqual(['Noor Visser']);
      },
    );
  });
});

/** A hub at schema `version` (v1–v5 as migrations, then `older` for the rest), opened (and so upgraded) for `check`. */
function upgraded(version: number, older: (db: Database.Database) => void, check: (store: Store) => void): void {
  const dir = tempDir(`basishub-v${version}-`);
  const file = path.join(dir, 'hub.db');
  const db = new Database(file);
  db.pragma('application_id = 1112036674'); // "BHUB"
  for (const m of MIGRATIONS.filter((m) => m.version <= 5)) db.exec(m.sql);
  older(db);
  db.pragma(`user_version = ${version}`);
  db.close();
  const store = new Store(openDatabase(file));
  try {
    check(store);
  } finally {
    store.db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
