/**
 * The publish plan (R15, R16) and the pieces of the SCIM client that need no service: which hosts may
 * get plain HTTP, Retry-After, filter quoting, and the zip writer read back by the project's reader.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { defaultMaxDeactivations, PlanMerger, planIdOf, planPublish } from '../../src/targets/plan.js';
import { isLoopback, retryAfterMs, urlProblem } from '../../src/targets/http.js';
import { filterValue, scimAttributes } from '../../src/targets/scim.js';
import { crc32, zipArchive } from '../../src/targets/zip.js';
import { readZipDirectory } from '../../src/sources/zip.js';
import { AckSnapshot } from '../../src/targets/snapshot.js';
import { describeFileAccount, fileAccountFingerprint } from '../../src/targets/files.js';
import { csvLine, OutputSet } from '../../src/targets/output.js';
import { fingerprint, FingerprintBuilder } from '../../src/sources/record.js';
import type { AckedState, HubAccount } from '../../src/targets/types.js';
import { tempDir } from '../helpers/tmp.js';

function account(id: number, over: Partial<HubAccount> = {}): HubAccount {
  return {
    id,
    createdAt: '2026-11-24T02:00:00.000Z',
    givenName: 'Sanne',
    prefix: 'van der',
    familyName: 'Berg',
    email: `s${id}@waterlanden.nl`,
    role: 'student',
    active: true,
    relations: [],
    ...over,
  };
}

const describeIt = (a: HubAccount) => JSON.stringify(scimAttributes(a));

function acked(accounts: HubAccount[]): AckedState[] {
  const plan = planPublish(accounts, [], describeIt);
  return plan.actions.map((p) => ({
    accountId: p.accountId,
    accountCreated: p.account!.createdAt,
    remoteId: `r${p.accountId}`,
    hash: p.hash,
    active: true,
    ackedAt: 'x',
  }));
}

describe('the publish plan', () => {
  it('creates active accounts, and nothing for a deleted account never sent', () => {
    const plan = planPublish([account(1), account(2, { active: false })], [], describeIt);
    expect(plan.actions.map((p) => [p.action, p.accountId])).toEqual([['create', 1]]);
    expect(plan.counts).toMatchObject({ created: 1, unchanged: 0 });
  });

  it('sends only what differs: update, deactivate, reactivate, delete for an erased account (R15, R16)', () => {
    const base = [account(1), account(2), account(3), account(4)];
    const state = acked(base);
    state[3] = { ...state[3]!, active: false, hash: planPublish([account(4, { active: false })], [], describeIt).actions[0]?.hash ?? 'x' };
    const now = [account(1), account(2, { familyName: 'Bergen' }), account(3, { active: false }), account(4)];
    const plan = planPublish(now, [...state, { ...state[0]!, accountId: 9 }], describeIt);
    expect(plan.actions.map((p) => [p.action, p.accountId])).toEqual([
      ['update', 2],
      ['deactivate', 3],
      ['reactivate', 4],
      ['delete', 9],
    ]);
    expect(plan.counts).toMatchObject({ unchanged: 1, updated: 1, deactivated: 1, reactivated: 1, deleted: 1 });
    expect(plan.removals).toBe(2);
    expect(plan.activeAcked).toBe(4);
  });

  it('tells an id given out again after a purge from the account that had it', () => {
    const state = acked([account(5)]);
    const plan = planPublish([account(5, { createdAt: '2027-01-01T00:00:00.000Z', givenName: 'Daan' })], state, describeIt);
    expect(plan.actions.map((p) => [p.action, p.accountId])).toEqual([
      ['delete', 5],
      ['create', 5],
    ]);
  });

  it('lists the first actions only, yet counts and hashes every one into the plan id', () => {
    const base = [account(1), account(2), account(3), account(4)];
    const state = acked(base);
    const now = [account(1, { givenName: 'Sem' }), account(2, { active: false }), account(3), account(5), account(6, { prefix: "'t" })];
    const stateWithGone = [...state, { ...state[0]!, accountId: 7 }];
    const whole = planPublish(now, stateWithGone, describeIt);
    const kept = planPublish(now, stateWithGone, describeIt, { keepAccounts: 2, target: 'sds' });
    expect(kept.actions).toEqual(whole.actions.slice(0, 2));
    expect(kept.size).toBe(whole.size);
    expect(whole.size).toBe(6);
    expect(kept.counts).toEqual(whole.counts);
    expect(planIdOf('sds', kept)).toBe(planIdOf('sds', whole));
    expect(planIdOf('lijst', whole)).not.toBe(planIdOf('sds', whole));
  });

  it('hashes a file account piece by piece to what its text hashes to, and plans alike with it', () => {
    const accounts = [
      account(1),
      account(2, { active: false, givenName: 'Zoë', prefix: "'t", familyName: 'Hoen' }),
      account(3, { relations: [{ organisation: 'OBS De Regenboog', group: 'Groep 7', startDate: '2026-08-01', endDate: null }] }),
      account(4, { relationsText: '\x1eCBS Het Kompas\x1fGroep 3\x1f\x1f', email: '', role: '' }),
      account(9_007_199_254, { givenName: 'Ĳsbrand 😀' }),
    ];
    for (const a of accounts) expect(fileAccountFingerprint(a)).toBe(fingerprint(describeFileAccount(a) + (a.active ? '\x1f1' : '\x1f0')));
    expect(new FingerprintBuilder().add('').add('ab').add('c').value()).toBe(fingerprint('abc'));
    const byText = planPublish(accounts, [], describeFileAccount, { keepAccounts: 1, target: 'sds', snapshot: true });
    const byPieces = planPublish(accounts, [], describeFileAccount, { keepAccounts: 1, target: 'sds', snapshot: true, fingerprint: fileAccountFingerprint });
    expect(byPieces.actions).toEqual(byText.actions);
    expect(byPieces.id).toBe(byText.id);
    expect(byPieces.id).toBe(planIdOf('sds', planPublish(accounts, [], describeFileAccount)));
    expect(byPieces.next!.encode()).toEqual(byText.next!.encode());
  });

  it('gives a file target its next acknowledged state as a snapshot: every active account, and every deleted one it held (R16)', () => {
    const base = [account(1), account(2), account(3, { createdAt: '2026-11-25T02:00:00.000Z' }), account(4)];
    const state = acked(base);
    // 2 deleted (held: stays, inactive), 4 erased (gone), 8 deleted and never sent (absent), 9 new.
    const now = [account(1, { givenName: 'Sem' }), account(2, { active: false }), base[2], account(8, { active: false }), account(9)];
    const plan = planPublish(now, state, describeIt, { target: 'sds', snapshot: true });
    const next = [...plan.next!.states('2026-11-26T02:00:00.000Z')];
    expect(next.map((s) => [s.accountId, s.accountCreated, s.active])).toEqual([
      [1, '2026-11-24T02:00:00.000Z', true],
      [2, '2026-11-24T02:00:00.000Z', false],
      [3, '2026-11-25T02:00:00.000Z', true],
      [9, '2026-11-24T02:00:00.000Z', true],
    ]);
    const sent = new Map(plan.actions.map((p) => [p.accountId, p.hash]));
    expect(next.map((s) => s.hash)).toEqual([sent.get(1), sent.get(2), state[2].hash, sent.get(9)]);
    // Stored and read back as acknowledged, the same hub plans nothing.
    const stored = AckSnapshot.decode(JSON.parse(JSON.stringify(plan.next!.created)) as string[], plan.next!.encode());
    expect([...stored.states('x')].map((s) => [s.accountId, s.accountCreated, s.hash, s.active])).toEqual(
      next.map((s) => [s.accountId, s.accountCreated, s.hash, s.active]),
    );
    const again = planPublish(now, stored.states('2026-11-26T02:00:00.000Z'), describeIt);
    expect(again.size).toBe(0);
    expect(again.counts.unchanged).toBe(4);
  });

  it('stores a snapshot in its documented bytes (ids, hashes, codes; little-endian), past a growth of its arrays', () => {
    const snap = new AckSnapshot();
    const n = 3000;
    for (let i = 0; i < n; i++) snap.push(i * 7 + 1, i % 3 === 0 ? '2026-11-24T02:00:00.000Z' : '2026-11-25T02:00:00.000Z', i * 2 ** 40 + 17, i % 5 !== 0);
    const bytes = snap.encode();
    const want = Buffer.alloc(n * 20);
    for (let i = 0; i < n; i++) {
      want.writeDoubleLE(i * 7 + 1, i * 8);
      want.writeDoubleLE(i * 2 ** 40 + 17, n * 8 + i * 8);
      want.writeUInt32LE((i % 3 === 0 ? 0 : 1) * 2 + (i % 5 !== 0 ? 1 : 0), n * 16 + i * 4);
    }
    expect(bytes.equals(want)).toBe(true);
    // Read back from bytes at an odd offset (a view of a larger buffer, as SQLite may hand them over).
    const odd = Buffer.alloc(bytes.length + 3);
    bytes.copy(odd, 3);
    const back = AckSnapshot.decode(snap.created, odd.subarray(3));
    expect([back.length, back.active]).toEqual([n, snap.active]);
    expect(back.encode().equals(bytes)).toBe(true);
    expect([...back.states('x')].slice(0, 2).map((s) => [s.accountId, s.accountCreated, s.hashValue, s.active])).toEqual([
      [1, '2026-11-24T02:00:00.000Z', 17, false],
      [8, '2026-11-25T02:00:00.000Z', 2 ** 40 + 17, true],
    ]);
  });

  it('reads a range of a snapshot by bisection, and appends another snapshot whole (a publish in slices)', () => {
    const times = ['2026-11-24T02:00:00.000Z', '2026-11-25T02:00:00.000Z', '2026-11-26T02:00:00.000Z'];
    const all = new AckSnapshot(1);
    const [low, high] = [new AckSnapshot(), new AckSnapshot(3)];
    for (let i = 0; i < 5000; i++) {
      const [id, created, hash, active] = [i * 3 + 2, times[(i >> 4) % 3], i * 2 ** 30 + 5, i % 7 !== 0];
      all.push(id, created, hash, active);
      // The later part meets the creation times first in another order: its indexes are turned into the first's.
      (i < 2000 ? low : high).push(id, created, hash, active);
    }
    const view = (states: Iterable<AckedState>) => [...states].map((s) => [s.accountId, s.accountCreated, s.hashValue, s.active]);
    for (const [after, last] of [
      [-Infinity, Infinity],
      [0, 2],
      [2, 3],
      [100, 5000],
      [14_999, 20_000],
      [15_000, 20_000],
    ])
      expect(view(all.states('x', { after, last }))).toEqual(view([...all.states('x')].filter((s) => s.accountId > after && s.accountId <= last)));
    low.append(high);
    expect([low.length, low.active]).toEqual([all.length, all.active]);
    expect(view(low.states('x'))).toEqual(view(all.states('x')));
  });

  it('merges plans made slice by slice into the plan of one pass: listed actions, counts, id and snapshot', () => {
    const before = [account(1), account(3), account(4), account(6), account(9)];
    const state = acked(before);
    const now = [account(1, { givenName: 'Sem' }), account(2), account(3, { active: false }), account(5), account(6), account(8), account(9)];
    const opts = { target: 'sds', snapshot: true, fingerprint: fileAccountFingerprint };
    const whole = planPublish(now, state, describeFileAccount, { ...opts, keepAccounts: 3 });
    const merger = new PlanMerger('sds', 3, 2);
    for (const [after, last] of [
      [-Infinity, 2],
      [2, 2],
      [2, 5],
      [5, Infinity],
    ]) {
      const inSlice = <T>(list: T[], id: (x: T) => number) => list.filter((x) => id(x) > after && id(x) <= last);
      merger.add(
        planPublish(
          inSlice(now, (a) => a.id),
          inSlice(state, (s) => s.accountId),
          describeFileAccount,
          {
            ...opts,
            keepAccounts: 3 - merger.actions.length,
            recordId: true,
          },
        ),
      );
    }
    const merged = merger.plan();
    expect(merged.id).toBe(whole.id);
    expect(merged.actions).toEqual(whole.actions);
    expect([merged.size, merged.counts, merged.removals, merged.activeAcked, merged.activeInHub, merged.seen]).toEqual([
      whole.size,
      whole.counts,
      whole.removals,
      whole.activeAcked,
      whole.activeInHub,
      whole.seen,
    ]);
    expect(merged.next!.encode().equals(whole.next!.encode())).toBe(true);
  });

  it('limits removals to the larger of 10 and 10% (R17)', () => {
    expect(defaultMaxDeactivations(0)).toBe(10);
    expect(defaultMaxDeactivations(109)).toBe(10);
    expect(defaultMaxDeactivations(2500)).toBe(250);
  });
});

describe('the SCIM client', () => {
  it('allows plain http only to loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost']) expect(isLoopback(h)).toBe(true);
    for (const h of ['128.0.0.1', '10.0.0.1', 'example.nl', '::2', 'localhost.example.nl']) expect(isLoopback(h)).toBe(false);
    expect(urlProblem('https://scim.example.nl/v2')).toBeNull();
    expect(urlProblem('http://127.0.0.1:8080/scim/v2')).toBeNull();
    expect(urlProblem('http://scim.example.nl/v2')).toContain('loopback');
    expect(urlProblem('ftp://x/')).toContain('https://');
    expect(urlProblem('https://user:pw@scim.example.nl/')).toContain('password');
    expect(urlProblem('not a url')).toContain('not a URL');
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('Wed, 01 Dec 2026 00:00:10 GMT', Date.parse('2026-12-01T00:00:00Z'))).toBe(10_000);
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs(undefined)).toBeNull();
  });

  it('quotes filter values', () => {
    expect(filterValue('12')).toBe('"12"');
    expect(filterValue('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it('puts the tussenvoegsel in familyName', () => {
    expect(scimAttributes(account(1)).name).toEqual({ formatted: 'Sanne van der Berg', givenName: 'Sanne', familyName: 'van der Berg' });
  });
});

describe('the zip writer', () => {
  it('writes archives the project’s reader opens, with correct CRCs', async () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const file = path.join(tempDir('basishub-zip-'), 'a.zip');
    fs.writeFileSync(
      file,
      zipArchive(
        [
          { name: 'users.csv', data: Buffer.from('sourcedId\r\n1\r\n') },
          { name: 'leeg.csv', data: Buffer.alloc(0) },
        ],
        new Date('2026-11-30T12:00:00Z'),
      ),
    );
    const entries = await readZipDirectory(file);
    expect(entries.map((e) => [e.name, e.size, e.method])).toEqual([
      ['users.csv', 14, 8],
      ['leeg.csv', 0, 8],
    ]);
  });
});

describe('the CSV table writer', () => {
  const tricky = [
    '',
    'Jansen',
    'Berg, van den',
    'de "Kleine" Jan',
    ' voor',
    'achter ',
    '\tTab',
    'regel\r\nbreuk',
    'los\n',
    '\u00a0nbsp',
    'nbsp\u00a0',
    '\ufeffbom',
    'a\u2028b',
    'Zoë Ĳzerman',
    'Ça va, "Chloë"',
    '😀 emoji',
    'x'.repeat(400_000),
  ];

  it('writes each field as csvField quotes it, ids in decimal, in UTF-8, also past its buffer', () => {
    const dir = tempDir('basishub-table-');
    const out = new OutputSet(dir);
    const t = out.table('t.csv', ['a', 'b', 'c']);
    let expected = csvLine(['a', 'b', 'c']);
    const ids = [0, 7, 1_234_567_890_123, 2 ** 53, -5, 1.5];
    for (let round = 0; round < 40; round++) {
      for (const v of tricky) {
        const id = ids[(round + v.length) % ids.length]!;
        t.int(id).raw(',').field(v).raw(',').raw('cls-0a1b').end();
        expected += csvLine([String(id), v, 'cls-0a1b']);
      }
    }
    t.line(csvLine(['Zoë', 'x,y', '']));
    expected += csvLine(['Zoë', 'x,y', '']);
    out.commit(new Date('2026-11-30T12:00:00Z'));
    expect(fs.readFileSync(path.join(dir, 't.csv')).equals(Buffer.from(expected, 'utf8'))).toBe(true);
  });

  it('hands a part set over slice by slice, in memory or in files of its own, and the target appends them in order', async () => {
    const expected = 'id,name\r\n1,Jansen\r\n2,"de ""Vries"" 2"\r\n3,"de ""Vries"" 3"\r\n4,"de ""Vries"" 4"\r\n';
    // In files; in memory (a .zip always); in memory until 30 bytes were handed over (each slice's are 18), then in files.
    for (const [output, memory, inFiles] of [
      ['folder', 0, 3],
      ['folder', 1 << 20, 0],
      ['folder', 30, 1],
      ['archive.zip', 0, 0],
    ] as const) {
      const dir = tempDir('basishub-parts-');
      const target = path.join(dir, output);
      const out = new OutputSet(target);
      const t = out.table('t.csv', ['id', 'name']);
      t.int(1).raw(',').field('Jansen').end();
      const part = new OutputSet(target, true, memory);
      const p = part.table('t.csv', ['id', 'name']);
      const slices = [2, 3, 4].map((id) => {
        p.int(id).raw(',').field(`de "Vries" ${id}`).end();
        return part.handOver(true);
      });
      part.abort(); // what it went on in, empty
      expect(slices.filter((s) => 'file' in s['t.csv']!).length).toBe(inFiles);
      if (output === 'folder') expect(fs.readdirSync(target).filter((f) => f.includes('.part')).length).toBe(inFiles);
      for (const s of slices) out.append('t.csv', s['t.csv']!);
      const written = out.commit(new Date('2026-11-30T12:00:00Z'));
      if (output === 'folder') expect(fs.readFileSync(written[0]!, 'utf8')).toBe(expected);
      else {
        const [entry] = await readZipDirectory(target);
        expect([entry!.name, entry!.size, entry!.crc]).toEqual(['t.csv', expected.length, crc32(Buffer.from(expected))]);
      }
      expect(fs.readdirSync(output === 'folder' ? target : dir).filter((f) => f.startsWith('.'))).toEqual([]);
    }
  });

  it('removes the part files a failed second thread of this process left, and no other file', () => {
    const dir = tempDir('basishub-parts-');
    const out = new OutputSet(dir);
    const left = [`.users.csv.part0.${process.pid}.tmp`, `.roles.csv.part12.${process.pid}.tmp`];
    const kept = [`.users.csv.part0.${process.pid + 1}.tmp`, 'users.csv', `.users.csv.${process.pid}.tmp.keep`];
    for (const f of [...left, ...kept]) fs.writeFileSync(path.join(dir, f), 'x');
    out.removeParts();
    expect(fs.readdirSync(dir).sort()).toEqual([...kept].sort());
  });
});
