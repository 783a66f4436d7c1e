/**
 * A part of a file target's publish: the accounts of one id range, planned against what the target
 * acknowledged of that range and handed to a writer as the plan takes them. The first range is planned
 * by the publish itself; a later one by a second thread (src/app/publish-worker.ts), which writes its
 * rows to a part set of files that the publish appends to its own (src/app/publish-split.ts).
 */
import { beginRead, endRead, openDatabase } from '../store/db.js';
import { Store } from '../store/store.js';
import { TargetStore, type IdRange } from '../store/targets.js';
import { describeFileAccount, fileAccountFingerprint } from '../targets/files.js';
import { OutputSet, type TablePart } from '../targets/output.js';
import { planPublish, type PlannedAction, type PublishPlan } from '../targets/plan.js';
import { AckSnapshot } from '../targets/snapshot.js';
import type { AccountWriter, AckedState, HubAccount, TargetConfig, WriterCatalog } from '../targets/types.js';
import { fileWriter } from '../targets/writer.js';

/** The acknowledged states of the accounts in a range (they come in id order). */
function* statesIn(states: Iterable<AckedState>, range: IdRange): IterableIterator<AckedState> {
  for (const s of states) {
    if (s.accountId <= range.after) continue;
    if (s.accountId > range.last) return;
    yield s;
  }
}

/** Plans the accounts of `range` (their part of the plan's id as text: see mergePlans), each handed to `writer`. */
export function planPart(ts: TargetStore, t: TargetConfig, today: string, range: IdRange, keep: number, writer: AccountWriter): PublishPlan {
  return planPublish(ts.accounts(today, true, false, range), statesIn(ts.states(t.name), range), describeFileAccount, {
    keepAccounts: keep,
    target: t.name,
    snapshot: true,
    fingerprint: fileAccountFingerprint,
    each: (a) => writer.add(a),
    recordId: true,
  });
}

/** What a second thread is given (it opens the hub itself, read-only). */
export interface PartInput {
  db: string;
  target: TargetConfig;
  today: string;
  range: IdRange;
  keep: number;
}

/** A part's plan as it crosses to the publish's thread: plain values, its snapshot as bytes. */
export interface PortablePlan extends Omit<PublishPlan, 'next'> {
  next: { created: string[]; data: Uint8Array };
}

export interface PartOutput {
  plan: PortablePlan;
  catalog: WriterCatalog;
  tables: Record<string, TablePart>;
}

/** An account as a plain object (its relations read out): what a thread can hand to another. */
function plainAccount(a: HubAccount): HubAccount {
  const { id, createdAt, givenName, prefix, familyName, email, role, active, relationsText } = a;
  return { id, createdAt, givenName, prefix, familyName, email, role, active, relations: a.relations.map((r) => ({ ...r })), relationsText };
}

function plainState(s: AckedState): AckedState {
  const { accountId, accountCreated, remoteId, hash, hashValue, active, ackedAt } = s;
  return { accountId, accountCreated, remoteId, hash, hashValue, active, ackedAt };
}

function plainAction(p: PlannedAction): PlannedAction {
  return { ...p, account: p.account && plainAccount(p.account), acked: p.acked && plainState(p.acked) };
}

export function portablePlan(p: PublishPlan): PortablePlan {
  return { ...p, actions: p.actions.map(plainAction), next: { created: [...p.next!.created], data: p.next!.encode() } };
}

export function revivedPlan(p: PortablePlan): PublishPlan {
  const data = Buffer.from(p.next.data.buffer, p.next.data.byteOffset, p.next.data.byteLength);
  return { ...p, next: AckSnapshot.decode(p.next.created, data) };
}

/**
 * Plans and writes the range of `input` to a part set beside the target's files, in a read transaction
 * of its own; `reading` is called once that transaction has its snapshot (see holdWrites in src/store/db.ts).
 */
export function writePart(input: PartInput, reading: () => void): PartOutput {
  const t = input.target;
  if (t.kind === 'scim') throw new Error('writePart: a SCIM target has no files');
  const store = new Store(openDatabase(input.db, { readonly: true }));
  const out = new OutputSet(t.settings.output!, true);
  try {
    beginRead(store.db);
    reading();
    const writer = fileWriter(t.kind, out, input.today);
    const plan = planPart(new TargetStore(store), t, input.today, input.range, input.keep, writer);
    return { plan: portablePlan(plan), catalog: writer.catalog(), tables: out.handOver() };
  } catch (err) {
    out.abort();
    throw err;
  } finally {
    endRead(store.db);
    store.db.close();
  }
}
