/**
 * A large file target is written in two parts at once (src/app/publish-split.ts): this thread the first
 * half of the accounts, a second thread the rest. The files, the plan (its id, counts and listed
 * changes) and what the target acknowledged must be those of one pass (R15, R16, R17), whatever the
 * second thread does. Driven through the built modules: the second thread runs dist/app/publish-worker.js.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { addException } from '../../src/app/exceptions.js';
import { addTarget } from '../../src/app/targets.js';
import { deleteUser, purgeUsers } from '../../src/app/users.js';
import { ROOT, TestHub } from '../helpers/hub.js';

type PublishModule = typeof import('../../src/app/publish.js');
type SplitModule = typeof import('../../src/app/publish-split.js');
type OutputModule = typeof import('../../src/targets/output.js');
type WriterModule = typeof import('../../src/targets/writer.js');
type StoreModule = typeof import('../../src/store/targets.js');

let built: { publish: PublishModule; split: SplitModule; output: OutputModule; writer: WriterModule; store: StoreModule };

beforeAll(async () => {
  const load = (f: string) => import(pathToFileURL(path.join(ROOT, 'dist', f)).href);
  built = {
    publish: (await load('app/publish.js')) as PublishModule,
    split: (await load('app/publish-split.js')) as SplitModule,
    output: (await load('targets/output.js')) as OutputModule,
    writer: (await load('targets/writer.js')) as WriterModule,
    store: (await load('store/targets.js')) as StoreModule,
  };
});

const helper = (name: string) => pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), '../helpers', name));
/** A second thread that claims two slices, says it is ready, and fails before it writes anything. */
const FAILING_WORKER = helper('failing-publish-worker.mjs');
/** One that claims a slice, writes half a row to a part file and ends without a word. */
const DYING_WORKER = helper('dying-publish-worker.mjs');
/** One that never takes its snapshot. */
const SLEEPING_WORKER = helper('sleeping-publish-worker.mjs');

/** Two copies of the hub after night 1, each with the target `out` of `kind`: one published in one pass, one in two parts. */
async function twins(kind: string, output: string): Promise<[TestHub, TestHub]> {
  const hubs: [TestHub, TestHub] = [await TestHub.afterNightOne(), await TestHub.afterNightOne()];
  for (const hub of hubs) {
    addException(hub.ctx(), 'fatima.elamrani@waterlanden.nl', { reason: 'Invalpool' });
    addTarget(hub.ctx(), 'out', { kind, output: path.join(hub.dir, output) });
  }
  return hubs;
}

/** Publishes both: the first in one pass, the second split from its first account on (`partMemory`: see SplitOptions). */
async function publishBoth(hubs: [TestHub, TestHub], partMemory?: number) {
  const [whole, parts] = [
    (await built.publish.publish(hubs[0].ctx({ actor: 'cron' }), { split: { min: Infinity } })).targets[0]!,
    (await built.publish.publish(hubs[1].ctx({ actor: 'cron' }), { split: { min: 1, together: true, partMemory } })).targets[0]!,
  ];
  return { whole, parts };
}

/** What a result says, without the paths of its files (each hub has its own folder). */
function said(r: Awaited<ReturnType<typeof publishBoth>>['whole']) {
  const { files, ...rest } = r;
  return { ...rest, files: files?.map((f) => path.basename(f)) };
}

function filesOf(hub: TestHub, output: string): Map<string, Buffer> {
  const target = path.join(hub.dir, output);
  if (fs.statSync(target).isFile()) return new Map([[output, fs.readFileSync(target)]]);
  return new Map(fs.readdirSync(target).map((f) => [f, fs.readFileSync(path.join(target, f))]));
}

function snapshotOf(hub: TestHub): unknown {
  return hub.store.db.prepare("SELECT accounts, active, created, data FROM target_snapshot WHERE target = 'out'").get();
}

/** Both hubs' targets got the same: result, files byte for byte (no temporary file left), acknowledged snapshot. */
function expectTwins(hubs: [TestHub, TestHub], output: string, r: Awaited<ReturnType<typeof publishBoth>>): void {
  expect(r.parts.status).toBe('completed');
  expect(said(r.parts)).toEqual(said(r.whole));
  const [whole, parts] = [filesOf(hubs[0], output), filesOf(hubs[1], output)];
  expect([...parts.keys()].sort()).toEqual([...whole.keys()].sort());
  for (const [name, bytes] of whole) expect(parts.get(name)!.equals(bytes)).toBe(true);
  expect(snapshotOf(hubs[1])).toEqual(snapshotOf(hubs[0]));
}

describe('a file target written in two parts', () => {
  for (const [kind, output] of [
    ['sds-v2.1', 'sds'],
    ['oneroster-1.1', 'oneroster'],
    ['oneroster-1.1', 'oneroster.zip'],
    ['csv', 'csv'],
  ]) {
    it(`writes the files, plan and snapshot of one pass at a first publish (${kind}, ${output})`, async () => {
      const hubs = await twins(kind, output);
      const r = await publishBoth(hubs);
      expect(r.parts.counts.created).toBeGreaterThan(40);
      expectTwins(hubs, output, r);
      for (const hub of hubs) hub.close();
    });
  }

  it('plans a night with changes, deletions and erased accounts as one pass does, and then sends nothing (R15, R16)', async () => {
    const hubs = await twins('sds-v2.1', 'sds');
    // The second thread's rows in part files here (elsewhere in memory, as at a million accounts).
    expectTwins(hubs, 'sds', await publishBoth(hubs, 0));
    for (const hub of hubs) {
      await hub.night(2);
      await hub.night(3);
      await deleteUser(hub.ctx({ yes: true }), 'hr:10234', 'Left the foundation');
    }
    const night = await publishBoth(hubs, 0);
    expect(night.parts.counts.updated + night.parts.counts.deactivated).toBeGreaterThan(0);
    expectTwins(hubs, 'sds', night);

    // Erased from the hub: removed from what the target acknowledged.
    for (const hub of hubs) {
      hub.now = '2027-12-01T02:00:00.000Z';
      await purgeUsers(hub.ctx({ yes: true }), 30, false);
    }
    const erased = await publishBoth(hubs, 200);
    expect(erased.parts.counts.deleted).toBeGreaterThan(0);
    expectTwins(hubs, 'sds', erased);
    const again = await publishBoth(hubs);
    expect(again.parts.counts).toMatchObject({ created: 0, updated: 0, deactivated: 0, deleted: 0 });
    expect(again.parts.files).toBeUndefined();
    for (const hub of hubs) hub.close();
  });
});

describe('planning in parts', () => {
  /** Plans the hub's target `out` in parts, as a publish does, into its folder; the files are left uncommitted. */
  async function inParts(hub: TestHub, opts: { worker?: URL; together?: boolean }) {
    const ts = new built.store.TargetStore(hub.store);
    const t = ts.target('out')!;
    const out = new built.output.OutputSet(t.settings.output!);
    const writer = built.writer.fileWriter('sds-v2.1', out, hub.now.slice(0, 10));
    try {
      return await built.split.planInParts(hub.ctx(), ts, t, { out, writer }, 10_000, { min: 1, together: true, ...opts });
    } finally {
      out.abort();
    }
  }

  /** A plan as values: its accounts' fields and relations, its snapshot's bytes. */
  function planView(p: NonNullable<Awaited<ReturnType<typeof inParts>>>['plan']) {
    const actions = p.actions.map(({ account: a, acked, ...rest }) => ({
      ...rest,
      acked: acked && { ...acked, hash: acked.hash },
      account: a && { id: a.id, name: [a.givenName, a.prefix, a.familyName, a.email, a.role], relations: [...a.relations] },
    }));
    return { ...p, actions, next: p.next!.encode() };
  }

  it('has the second part made by a second thread', async () => {
    const [hub] = await twins('sds-v2.1', 'sds');
    const r = await inParts(hub, {});
    expect(r?.threaded).toBe(true);
    expect(r?.plan.counts.created).toBeGreaterThan(40);
    expect(fs.readdirSync(path.join(hub.dir, 'sds'))).toEqual([]); // no part file left behind
    hub.close();
  });

  /** A hub whose publish, with `opts`' second thread, made every slice itself, to the plan a second thread that takes part makes. */
  async function madeAlone(opts: { worker: URL; together?: boolean }): Promise<TestHub> {
    const [hub] = await twins('sds-v2.1', 'sds');
    const threaded = await inParts(hub, {});
    const alone = await inParts(hub, opts);
    expect(alone?.threaded).toBe(false);
    expect(planView(alone!.plan)).toEqual(planView(threaded!.plan));
    return hub;
  }

  it('makes the second part itself, to the same plan, when the second thread fails', async () => {
    (await madeAlone({ worker: FAILING_WORKER })).close();
  });

  it('removes what a second thread that ended abruptly left, and makes its slices itself, to the same plan', async () => {
    const hub = await madeAlone({ worker: DYING_WORKER });
    expect(fs.readdirSync(path.join(hub.dir, 'sds'))).toEqual([]);
    hub.close();
  });

  it('goes on without a second thread that does not take its snapshot, and lets the hub’s writers go', async () => {
    const hub = await madeAlone({ worker: SLEEPING_WORKER, together: false });
    const writer = new Database(hub.dbPath, { timeout: 0 });
    writer.exec('BEGIN IMMEDIATE'); // not held any more
    writer.exec('ROLLBACK');
    writer.close();
    hub.close();
  });

  it('leaves the hub to one pass while another writer holds it (it does not wait for a sync)', async () => {
    const [hub] = await twins('sds-v2.1', 'sds');
    const other = new Database(hub.dbPath);
    other.exec('BEGIN IMMEDIATE');
    try {
      expect(await inParts(hub, {})).toBeNull();
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await inParts(hub, {}))?.threaded).toBe(true);
    hub.close();
  });
});
