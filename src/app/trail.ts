/**
 * The audit trail as the use cases read and write it. Reading: a sync's create kept as its record
 * (src/store/audit.ts) is rendered again here, with the functions that describe a create in a plan
 * (src/engine/describe.ts), so that the trail, `sync show` and the run's own output read the same.
 * Writing: one entry of a person's change, with who (the context's actor), when (its clock), what and why.
 */
import { describeRecordedCreate } from '../engine/describe.js';
import type { AuditEntry } from '../model.js';
import type { AppliedChange } from '../store/apply.js';
import type { AuditFilter, AuditInput, StoredAuditEntry } from '../store/audit.js';
import type { ChangePage, StoredChange } from '../store/runs.js';
import type { Store } from '../store/store.js';
import type { AppContext } from './context.js';

/** An entry for people: a create kept as its record gets its detail and `after` back. */
export function renderEntry(e: StoredAuditEntry): AuditEntry {
  const { record, ...entry } = e;
  if (record === null) return entry;
  const described = describeRecordedCreate(e.source!, e.externalId!, record);
  return { ...entry, detail: described.detail, after: described.after };
}

/** The audit entries that match, for people (see `renderEntry`). */
export function auditEntries(store: Store, f: AuditFilter): AuditEntry[] {
  return store.auditEntries(f).map(renderEntry);
}

function renderChange(c: StoredChange): AppliedChange {
  const detail = c.record === null ? c.detail : describeRecordedCreate(c.source!, c.externalId!, c.record).detail;
  return { action: c.action, userId: c.userId, source: c.source, externalId: c.externalId, detail };
}

/** The changes of a completed run, streamed from the audit trail, for people (see `renderEntry`). */
export function* runChanges(store: Store, runId: number, page?: ChangePage): IterableIterator<AppliedChange> {
  for (const c of store.runChanges(runId, page)) yield renderChange(c);
}

/** What a person's change records besides who and when. */
export type PersonChange = Omit<AuditInput, 'at' | 'actor' | 'runId' | 'record'> & { at?: string };

/**
 * Writes one audit entry for a change made by the context's actor: `action` and `detail` say what,
 * `accountId`/`source` what it concerns, `before`/`after` the values, `reason` why. `at` defaults to now.
 */
export function recordChange(ctx: AppContext, change: PersonChange): number {
  return ctx.store.audit({ ...change, at: change.at ?? ctx.clock.now(), actor: ctx.actor });
}
