/**
 * A part of a file target's publish: the accounts of one id range, planned against what the target
 * acknowledged of that range and handed to a writer as the plan takes them. A small hub is one such
 * part; a large one is cut in slices (src/app/publish-slices.ts), which the publish plans itself from
 * the first on, and a second thread (src/app/publish-worker.ts, writeSlices here) from the last back,
 * writing its rows to memory (part files past a bound) that the publish appends to its own
 * (src/app/publish-split.ts).
 */
import fs from 'node:fs';
import { beginRead, endRead, openDatabase } from '../store/db.js';
import { Store } from '../store/store.js';
import { TargetStore, type IdRange } from '../store/targets.js';
import { describeFileAccount, fileAccountFingerprint } from '../targets/files.js';
import { OutputSet, type TablePart } from '../targets/output.js';
import { planPublish, type PlannedAction, type PublishPlan } from '../targets/plan.js';
import { AckSnapshot } from '../targets/snapshot.js';
import { SharedIds } from '../targets/shared-ids.js';
import type { AccountWriter, AckedState, HubAccount, TargetConfig, WriterCatalog } from '../targets/types.js';
import { fileWriter } from '../targets/writer.js';
import { SliceClaims, type ClaimsShape } from './publish-slices.js';

/** What the target acknowledged of a range of accounts, in id order (TargetStore.ackedIn). */
export type AckedIn = (range: IdRange) => Iterable<AckedState>;

/** Plans the accounts of `range` (their part of the plan's id as text: see mergePlans), each handed to `writer`. */
export function planPart(ts: TargetStore, t: TargetConfig, today: string, range: IdRange, keep: number, writer: AccountWriter, acked: AckedIn): PublishPlan {
  return planPublish(ts.accounts(today, true, false, range), acked(range), describeFileAccount, {
    keepAccounts: keep,
    target: t.name,
    snapshot: true,
    fingerprint: fileAccountFingerprint,
    each: (a) => writer.add(a),
    recordId: true,
  });
}

/** What a second thread is given (it opens the hub itself, read-only); the slices it claims from `claims`. */
export interface PartInput {
  db: string;
  target: TargetConfig;
  today: string;
  keep: number;
  claims: ClaimsShape;
  /** The classes the two threads' writers met (SharedIds). */
  classes: SharedArrayBuffer;
  /** Bytes of rows it keeps in memory before it writes part files (OutputSet). */
  memory: number;
}

/** A part's plan as it crosses to the publish's thread: plain values, its snapshot as bytes. */
export interface PortablePlan extends Omit<PublishPlan, 'next'> {
  next: { created: string[]; data: Uint8Array };
}

/** A slice the second thread planned and wrote: its plan and its rows, table by table. */
export interface SlicePart {
  slice: number;
  plan: PortablePlan;
  tables: Record<string, TablePart>;
}

/** What the second thread made: its slices in id order, and the schools and classes their rows name. */
export interface PartOutput {
  slices: SlicePart[];
  catalog: WriterCatalog;
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
 * The second thread's work: in a read transaction of its own, claims slices from the back and plans and
 * writes each to a part set (in memory; past `input.memory` bytes in part files beside the target's). It
 * says it is ready (`claimsReady`) once its snapshot is taken and its first slice claimed, and then
 * `reading` is called; null when the publish went on without it (its snapshot might not be the
 * publish's: the publish does its slices itself).
 */
export function writeSlices(input: PartInput, reading: () => void): PartOutput | null {
  const t = input.target;
  if (t.kind === 'scim') throw new Error('writeSlices: a SCIM target has no files');
  const claims = SliceClaims.of(input.claims);
  const store = new Store(openDatabase(input.db, { readonly: true }));
  const out = new OutputSet(t.settings.output!, true, input.memory);
  const slices: SlicePart[] = [];
  try {
    beginRead(store.db);
    let slice = claims.back();
    if (!claims.claimsReady()) return null;
    reading();
    const ts = new TargetStore(store);
    const acked = ts.ackedIn(t.name);
    const writer = fileWriter(t.kind, out, input.today);
    writer.share(SharedIds.of(input.classes));
    for (; slice >= 0; slice = claims.back()) {
      // What the publish's own slices list comes first: only the rest of the plan's list is kept here.
      const keep = Math.max(0, input.keep - claims.frontListed());
      const plan = planPart(ts, t, input.today, claims.range(slice), keep, writer, acked);
      slices.unshift({ slice, plan: portablePlan(plan), tables: out.handOver(true) });
      keepFirstActions(slices, keep);
    }
    return { slices, catalog: writer.catalog() };
  } catch (err) {
    removeSlices(slices);
    throw err;
  } finally {
    out.abort();
    endRead(store.db);
    store.db.close();
  }
}

/** Removes the part files of slices (what was not appended: the second thread failed, or its slices were not the ones expected). */
export function removeSlices(slices: readonly SlicePart[]): void {
  for (const s of slices) for (const part of Object.values(s.tables)) if ('file' in part) fs.rmSync(part.file, { force: true });
}

/**
 * The memory of a second thread's output that can be moved to the publish's thread rather than copied:
 * its snapshots, its plans' id text and a .zip's rows, where each has a buffer of its own (not a slice of
 * Node's shared pool).
 */
export function movable(out: PartOutput): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  const add = (b: Uint8Array) => {
    if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer) seen.add(b.buffer);
  };
  for (const s of out.slices) {
    add(s.plan.next.data);
    for (const chunk of s.plan.idText ?? []) add(chunk);
    for (const part of Object.values(s.tables)) if ('bytes' in part) add(part.bytes);
  }
  return [...seen];
}

/** Lists no more than the first `keep` actions over the slices (in id order): the merged plan lists no more. */
function keepFirstActions(slices: SlicePart[], keep: number): void {
  let left = keep;
  for (const s of slices) {
    if (s.plan.actions.length > left) s.plan.actions = s.plan.actions.slice(0, left);
    left -= s.plan.actions.length;
  }
}
