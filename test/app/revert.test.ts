/**
 * sync revert in-process (R18): what a sync records to undo itself, the confirmation on a terminal,
 * and five demo nights reverted one by one back to the start.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { addException, editException, removeException } from '../../src/app/exceptions.js';
import { revertRun, type RevertResult } from '../../src/app/revert.js';
import { editUser } from '../../src/app/users.js';
import { stateFingerprint, type AccountSnapshot } from '../../src/engine/undo.js';
import { searchRowSql } from '../../src/store/migrations.js';
import { buildSearchIndex } from '../../src/store/search-index.js';
import { Snapshots, undoRows } from '../../src/store/undo.js';
import { ScriptedPrompter, TestHub } from '../helpers/hub.js';

let hub: TestHub;
afterEach(() => hub?.close());

function everyAccount(h: TestHub): Map<number, AccountSnapshot> {
  const snaps = new Snapshots(h.store);
  const ids = h.store.db.prepare('SELECT id FROM accounts ORDER BY id').pluck().all() as number[];
  const one = new Map(ids.map((id) => [id, snaps.capture(id)!]));
  // The revert reads many accounts in one pass: it must see exactly what one account at a time sees
  // (an id that is not there, as a purged account's, is left out).
  expect(snaps.captureMany([...ids, 99_999])).toEqual(one);
  return one;
}

/** The search rows as they are, and as a rebuild from the accounts and links would make them. */
function searchRows(h: TestHub): { now: unknown[]; rebuilt: unknown[] } {
  const read = () => h.store.db.prepare('SELECT account_id, name_key, text FROM account_search ORDER BY account_id').all();
  const now = read();
  h.store.db.exec(searchRowSql('1'));
  return { now, rebuilt: read() };
}

/** The accounts' counts by status and owner as kept (account_counts), and as a count of the accounts makes them. */
function accountCounts(h: TestHub): { kept: unknown[]; counted: unknown[] } {
  const db = h.store.db;
  return {
    kept: db.prepare('SELECT status, owner, n FROM account_counts WHERE n <> 0 ORDER BY status, owner').all(),
    counted: db.prepare('SELECT status, owner, count(*) AS n FROM accounts GROUP BY status, owner ORDER BY status, owner').all(),
  };
}

/**
 * The search index as kept, against one made anew from the search rows: the bits the new one sets that
 * the kept one lacks (bits are never cleared, so the kept one may hold more, never fewer), whether the
 * name keys are the same, and how many rows are left noted for a fold.
 */
function searchIndexGaps(h: TestHub): { unset: number; sameKeys: boolean; noted: number } {
  const db = h.store.db;
  const read = () => ({
    slices: new Map((db.prepare('SELECT key, bits FROM search_slices').raw().all() as [number, Buffer][]).map(([k, b]) => [k, b])),
    keys: db.prepare('SELECT segment, hex(keys) FROM search_names ORDER BY segment').raw().all(),
  });
  const noted = db.prepare('SELECT count(*) FROM search_dirty').pluck().get() as number;
  const kept = read();
  db.exec('SAVEPOINT rebuild');
  buildSearchIndex(db);
  const made = read();
  db.exec('ROLLBACK TO rebuild; RELEASE rebuild');
  let unset = 0;
  for (const [key, bits] of made.slices) {
    const had = kept.slices.get(key);
    for (let i = 0; i < bits.length; i++) unset += popcount(bits[i] & ~(had?.[i] ?? 0));
  }
  return { unset, sameKeys: JSON.stringify(made.keys) === JSON.stringify(kept.keys), noted };
}

function popcount(byte: number): number {
  let n = 0;
  for (let b = byte; b !== 0; b >>= 1) n += b & 1;
  return n;
}

/** Night n, checking what the run recorded: each changed account as it was before, and as it left it. */
async function checkedNight(h: TestHub, n: number): Promise<number> {
  const before = everyAccount(h);
  const run = await h.night(n);
  const after = everyAccount(h);
  const rows = [...undoRows(h.store, run.runId!)];
  // Night 1 only creates accounts: before it they did not exist, so there is nothing to keep.
  if (n === 1) expect(rows).toEqual([]);
  else expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    expect(row.before).toEqual(before.get(row.accountId));
    expect(row.afterFp).toBe(stateFingerprint(after.get(row.accountId)!));
  }
  // Accounts the run did not change have no row; the ones it created need none.
  const changed = new Set(rows.map((r) => r.accountId));
  for (const [id, s] of after) if (before.has(id) && !changed.has(id)) expect(stateFingerprint(s)).toBe(stateFingerprint(before.get(id)!));
  // The sync wrote the search rows of the accounts it created or changed itself (one link) or through
  // the triggers' statement (several: the pupils in two sources): as a rebuild makes them.
  const search = searchRows(h);
  expect(search.now).toEqual(search.rebuilt);
  // The sync counted the accounts it created, deleted, revived or handed to the hub itself (its triggers suspended).
  const counts = accountCounts(h);
  expect(counts.kept).toEqual(counts.counted);
  return run.runId!;
}

describe('what a sync records to undo itself', () => {
  it('for every account it changes: the account, its links and list entry before, and the fingerprint of what it left', async () => {
    hub = new TestHub().demoSources();
    const runs: number[] = [];
    runs.push(await checkedNight(hub, 1));
    hub.dayAfter(1);
    await addException(hub.ctx({ yes: true }), 'fatima.elamrani@waterlanden.nl', { reason: 'Invalpool: tussen twee contracten' });
    runs.push(await checkedNight(hub, 2));
    hub.dayAfter(2);
    await editException(hub.ctx({ yes: true }), 'hr:10395', { reason: 'Invalpool: nieuw contract verwacht in december' });
    await editUser(hub.ctx({ yes: true }), 'hr:10395', { familyName: 'Amrani-Bakker' }, true);
    runs.push(await checkedNight(hub, 3));
    runs.push(await checkedNight(hub, 4));
    hub.dayAfter(4);
    await removeException(hub.ctx({ yes: true }), 'hr:10395');
    runs.push(await checkedNight(hub, 5));

    // Reverting the five nights newest first (forced over the coordinator's own edits in between)
    // ends where the hub began: every account deleted, nothing on the list.
    for (const runId of [...runs].reverse()) {
      hub.now = '2026-11-29T09:00:00.000Z';
      // The index made anew from the rows as they are: the bits of older texts gone, so that those the
      // revert puts back must be set by it.
      buildSearchIndex(hub.store.db);
      const r = await revertRun(hub.ctx({ yes: true, actor: 'anne' }), String(runId), { force: true });
      expect(r.counts.kept).toBe(0);
      // The revert counts the accounts it revives and deletes itself, and sets its search rows' bits and
      // keys itself (their triggers suspended while it writes): as a count and a new index make them.
      const counts = accountCounts(hub);
      expect(counts.kept).toEqual(counts.counted);
      expect(searchIndexGaps(hub)).toEqual({ unset: 0, sameKeys: true, noted: 0 });
      // A revert writes names and links only where they differ; the search rows must still follow.
      const search = searchRows(hub);
      expect(search.now).toEqual(search.rebuilt);
    }
    const left = hub.store.listAccounts({});
    expect(left.length).toBe(45);
    expect(left.filter((a) => a.status === 'active')).toEqual([]);
    expect(hub.store.exceptions()).toEqual([]);
  });
});

describe('sync revert on a terminal', () => {
  async function badNight(h: TestHub): Promise<number> {
    await h.night(1);
    return (await h.night(3)).runId!; // night 3 straight after night 1: two staff and a pupil gone, one renamed
  }

  it('shows the plan, then asks; "no" changes nothing', async () => {
    hub = new TestHub().demoSources();
    const runId = await badNight(hub);
    const before = everyAccount(hub);
    const prompt = new ScriptedPrompter({ confirm: [false] });
    const shown: RevertResult[] = [];
    await expect(revertRun(hub.ctx({ prompt }), String(runId), {}, (p) => shown.push(p))).rejects.toMatchObject({ name: 'Cancelled', interrupted: false });
    expect(shown).toHaveLength(1);
    expect(shown[0]!.dryRun).toBe(true);
    expect(shown[0]!.changes.length).toBeGreaterThan(0);
    expect(prompt.asked).toEqual([expect.stringMatching(/^confirm: Revert sync run \d+: put back \d+ account\(s\)\?$/)]);
    expect(everyAccount(hub)).toEqual(before);
    expect(hub.store.runs(10).map((r) => r.id)).toEqual([runId, runId - 1]);
  });

  it('"yes" reverts it; a change made while the question was open stops it', async () => {
    hub = new TestHub().demoSources();
    const runId = await badNight(hub);
    // While the coordinator reads the plan, a colleague edits one of the accounts the run changed.
    const renamed = hub.store.auditEntries({ runId, order: 'asc' }).find((e) => e.action === 'update')!;
    const meddling = new ScriptedPrompter({ confirm: [true] });
    const confirm = meddling.confirm.bind(meddling);
    meddling.confirm = async (m: string) => {
      await editUser(hub.ctx({ yes: true, actor: 'bert' }), String(renamed.accountId), { givenName: 'Iemand' }, true);
      return confirm(m);
    };
    const before = hub.store.runs(10).length;
    await expect(revertRun(hub.ctx({ prompt: meddling }), String(runId), {})).rejects.toMatchObject({ message: expect.stringContaining('changed while') });
    expect(hub.store.runs(10).length).toBe(before);

    const r = await revertRun(hub.ctx({ prompt: new ScriptedPrompter({ confirm: [true] }) }), String(runId), {});
    expect(r.runId).not.toBeNull();
    // The next night's source-health check compares with the run before the reverted one.
    expect(hub.store.lastCompletedRun()!.id).toBe(runId - 1);
    expect(r.kept).toEqual([
      expect.objectContaining({ userId: renamed.accountId, changedBy: [expect.objectContaining({ actor: 'bert', action: 'user.edit' })] }),
    ]);
  });
});
