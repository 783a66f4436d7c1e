/**
 * The row codecs (src/store/rows.ts): each table's columns are declared once, as text, and read into the
 * model objects and written back from them. The declaration is not type-checked against the model, so
 * these tests hold every table's codec to the model's fields, in their order (the JSON documents spread
 * them), and every write to a read that gives back what was written.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { accountCodec } from '../../src/store/accounts.js';
import { auditCodec } from '../../src/store/audit.js';
import { exceptionCodec } from '../../src/store/exceptions.js';
import { linkCodec } from '../../src/store/links.js';
import { readAll, readOne, rowCodec, type Row } from '../../src/store/rows.js';
import { plannedChangeCodec, runCodec, type RunRecord } from '../../src/store/runs.js';
import { sourceCodec } from '../../src/store/sources.js';
import type { SourceConfig } from '../../src/model.js';
import { TestHub } from '../helpers/hub.js';

let hub: TestHub | undefined;
afterEach(() => hub?.close());

function row(sql: string, ...params: unknown[]): Row {
  return hub!.store.db.prepare(sql).get(...params) as Row;
}

describe('rowCodec', () => {
  interface Entry {
    id: number;
    givenName: string;
    prefix: string;
    until: string | null;
    active: boolean;
    fp: number | null;
    map: Record<string, string>;
    match: string;
  }
  const codec = rowCodec<Entry>('id:int given_name prefix until:? active:bool fp:int? map:json match=match_field');

  it('reads columns into fields: camel case, a renamed field, NULLs, 1/0 as a boolean, JSON parsed', () => {
    const read = codec.read({
      id: 7,
      given_name: 'Sanne',
      prefix: 'van den',
      until: null,
      active: 1,
      fp: null,
      map: '{"email":"E-mailadres"}',
      match_field: 'email',
    });
    expect(read).toEqual({ id: 7, givenName: 'Sanne', prefix: 'van den', until: null, active: true, fp: null, map: { email: 'E-mailadres' }, match: 'email' });
    expect(Object.keys(read)).toEqual(['id', 'givenName', 'prefix', 'until', 'active', 'fp', 'map', 'match']);
  });

  it('reads a missing optional column as null and a JSON column that is NULL as null', () => {
    expect(codec.read({ id: 1, given_name: 'Ömer', prefix: '', active: 0, map: null, match_field: 'none' })).toMatchObject({
      until: null,
      fp: null,
      active: false,
      map: null,
    });
  });

  it('writes a model object back as the row it was read from, keyed by column', () => {
    const stored = {
      id: 3,
      given_name: "Anne-Marie 't",
      prefix: "'t",
      until: '2027-07-31',
      active: 0,
      fp: 912,
      map: '{"givenName":"Roepnaam"}',
      match_field: 'externalId',
    };
    expect(codec.write(codec.read(stored))).toEqual(stored);
    expect(codec.column('match')).toBe('match_field');
    expect(codec.column('givenName')).toBe('given_name');
  });

  it('refuses a declaration it cannot read, naming the column', () => {
    expect(() => rowCodec('id:int name:float')).toThrow(/"name:float"/);
    expect(() => rowCodec('id given-name')).toThrow(/"given-name"/);
  });
});

describe("each table's codec matches the model and the schema", () => {
  it('reads the rows a sync wrote with the fields of Account, Link, ExceptionEntry, AuditEntry and RunRecord', async () => {
    hub = new TestHub().demoSources();
    const night = await hub.night(1);
    const id = hub.id('parnassys:L100241'); // Noor van der Linden
    expect(Object.keys(accountCodec.read(row('SELECT * FROM accounts WHERE id = ?', id)))).toEqual([
      'id',
      'givenName',
      'prefix',
      'familyName',
      'email',
      'role',
      'status',
      'owner',
      'notOfferedSince',
      'createdAt',
      'updatedAt',
      'deletedAt',
      'deletedBy',
      'deletedCause',
    ]);
    expect(hub.store.account(id)).toMatchObject({
      givenName: 'Noor',
      prefix: 'van der',
      familyName: 'Linden',
      status: 'active',
      owner: 'source',
      deletedAt: null,
    });
    expect(Object.keys(linkCodec.read(row('SELECT * FROM links WHERE account_id = ?', id)))).toEqual([
      'source',
      'externalId',
      'accountId',
      'active',
      'record',
      'fp',
      'nextCheck',
      'inactiveSince',
      'createdAt',
    ]);
    expect(hub.store.linksOf(id)).toEqual([expect.objectContaining({ source: 'parnassys', externalId: 'L100241', accountId: id, active: true })]);
    const audit = auditCodec.read(row('SELECT * FROM audit WHERE account_id = ?', id));
    expect(Object.keys(audit)).toEqual([
      'id',
      'at',
      'actor',
      'action',
      'accountId',
      'runId',
      'source',
      'externalId',
      'detail',
      'before',
      'after',
      'reason',
      'record',
    ]);
    expect(audit).toMatchObject({ action: 'create', runId: night.runId, after: null, before: null });
    const run = runCodec.read(row('SELECT * FROM runs WHERE id = ?', night.runId));
    expect(Object.keys(run)).toEqual([
      'id',
      'startedAt',
      'finishedAt',
      'actor',
      'dryRun',
      'status',
      'planId',
      'forced',
      'approved',
      'stopReason',
      'counts',
      'files',
      'reverts',
    ]);
    expect(run).toMatchObject({ dryRun: false, forced: false, status: 'completed', reverts: null, counts: night.counts });
  });

  it('writes a source and reads it back the same, its column map as JSON', () => {
    hub = new TestHub();
    const source: SourceConfig = {
      name: 'afas',
      kind: 'hr',
      format: 'csv',
      file: '/srv/exports/afas medewerkers.csv',
      match: 'email',
      map: { externalId: 'Medewerker', givenName: 'Roepnaam', prefix: 'Voorvoegsel', familyName: 'Achternaam' },
      priority: 10,
      delimiter: ';',
      encoding: 'windows-1252',
      dateFormat: 'DD-MM-YYYY',
      graceDays: 3,
      createdAt: '2026-11-20T09:00:00.000Z',
      updatedAt: '2026-11-20T09:00:00.000Z',
    };
    hub.store.saveSource(source);
    expect(hub.store.source('afas')).toEqual(source);
    expect(row('SELECT map, match_field FROM sources')).toEqual({ map: JSON.stringify(source.map), match_field: 'email' });
    const plain = { ...source, name: 'las', delimiter: null, encoding: null, dateFormat: null, map: {} };
    hub.store.saveSource(plain);
    expect(hub.store.sources().map((s) => s.name)).toEqual(['afas', 'las']);
    expect(sourceCodec.read(row("SELECT * FROM sources WHERE name = 'las'"))).toEqual(plain);
  });

  it('writes a list entry and reads it back; an edit keeps who added it and when (R6)', () => {
    hub = new TestHub();
    const id = hub.insertHubAccount('bram.dejong@school.nl', 'Bram', 'Jong');
    const entry = {
      accountId: id,
      reason: 'Invaller tot de zomer',
      until: '2027-07-31',
      createdAt: '2026-11-24T10:00:00.000Z',
      createdBy: 'ict',
      updatedAt: '2026-11-24T10:00:00.000Z',
      updatedBy: 'ict',
    };
    hub.store.saveException(entry);
    expect(hub.store.exception(id)).toEqual(entry);
    hub.store.saveException({ ...entry, reason: 'Invaller, verlengd', until: null, createdBy: 'someone else', updatedBy: 'directeur' });
    expect(exceptionCodec.read(row('SELECT * FROM exceptions WHERE account_id = ?', id))).toEqual({
      ...entry,
      reason: 'Invaller, verlengd',
      until: null,
      updatedBy: 'directeur',
    });
  });

  it("writes a run with its files and counts, and a stopped run's planned changes, and reads them back", () => {
    hub = new TestHub();
    const run: Omit<RunRecord, 'id'> = {
      startedAt: '2026-11-25T02:00:00.000Z',
      finishedAt: '2026-11-25T02:00:04.000Z',
      actor: 'cron',
      dryRun: false,
      status: 'stopped',
      planId: '3f2a9c0d1e4b5a67',
      forced: false,
      approved: null,
      stopReason: 'would delete 14 accounts (limit 10)',
      counts: { created: 0, deleted: 14 },
      files: [{ source: 'hr', path: '/srv/exports/hr.csv', checksum: 'ab12', records: 120, rows: 131 }],
    };
    const id = hub.store.insertRun(run);
    expect(hub.store.run(id)).toEqual({ ...run, id, reverts: null });
    const changes = [
      { action: 'delete', userId: 12, source: 'hr', externalId: '10234', detail: 'Jan de Vries: no source offers it' },
      { action: 'conflict', userId: null, source: 'hr', externalId: '10999', detail: 'two accounts match j.bakker@school.nl' },
    ];
    hub.store.savePlannedChanges(id, changes);
    expect(hub.store.plannedChanges(id)).toEqual(changes);
    expect(plannedChangeCodec.column('userId')).toBe('account_id');
    hub.store.markRevert(id, 1);
    expect(hub.store.run(id)?.reverts).toBe(1);
  });
});

describe('readAll and readOne prepare each statement once per connection', () => {
  const sql = 'SELECT * FROM exceptions WHERE account_id = ?';
  const entry = (accountId: number, reason: string) => ({
    accountId,
    reason,
    until: null,
    createdAt: '2026-11-24T10:00:00.000Z',
    createdBy: 'ict',
    updatedAt: '2026-11-24T10:00:00.000Z',
    updatedBy: 'ict',
  });

  it('answers each call with its own parameters and the rows as they are now, also after the schema changed', () => {
    hub = new TestHub();
    const db = hub.store.db;
    const a = hub.insertHubAccount('fatima.elamrani@school.nl', 'Fatima', 'Amrani');
    const b = hub.insertHubAccount('daan.vandijk@school.nl', 'Daan', 'Dijk');
    hub.store.saveException(entry(a, 'Zwangerschapsverlof'));
    expect(readOne(db, exceptionCodec.read, sql, a)?.reason).toBe('Zwangerschapsverlof');
    expect(readOne(db, exceptionCodec.read, sql, b)).toBeUndefined();
    hub.store.saveException(entry(b, 'Invaller tot de zomer'));
    expect(readAll(db, exceptionCodec.read, sql, b).map((e) => e.reason)).toEqual(['Invaller tot de zomer']);
    // A cached statement is prepared again by SQLite when the schema changes under it.
    db.exec('CREATE INDEX rows_test_reason ON exceptions (reason)');
    expect(readOne(db, exceptionCodec.read, sql, a)?.reason).toBe('Zwangerschapsverlof');
    // A statement that returns rows is run to its end each time: a second read inside a first one's rows works.
    const nested = readAll(db, (r) => readOne(db, exceptionCodec.read, sql, r.account_id)?.reason, 'SELECT account_id FROM exceptions ORDER BY account_id');
    expect(nested).toEqual(['Zwangerschapsverlof', 'Invaller tot de zomer']);
  });

  it("uses a new connection's own statements after the old one was closed", () => {
    hub = new TestHub();
    const a = hub.insertHubAccount('sanne.bakker@school.nl', 'Sanne', 'Bakker');
    hub.store.saveException(entry(a, 'Detachering'));
    expect(readOne(hub.store.db, exceptionCodec.read, sql, a)?.reason).toBe('Detachering');
    hub.close();
    const again = new TestHub(hub.dbPath);
    hub = again;
    expect(readOne(again.store.db, exceptionCodec.read, sql, a)?.reason).toBe('Detachering');
  });
});
