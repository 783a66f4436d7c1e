/**
 * Planning `sync revert` (rule R18): for every account a run changed, whether it can be
 * put back as it was before the run, is already as it was, or was changed since (by a later run or a
 * person) and is left alone unless forced. Reads only; src/app/revert.ts writes the plan.
 */
import { createHash } from 'node:crypto';
import { displayName } from '../model.js';
import { describeRevert, revertAction, stateFingerprint, type AccountSnapshot } from '../engine/undo.js';
import type { RunRecord, Store } from '../store/store.js';
import { createdBy, hasUndo, laterChanges, laterChangesMany, Snapshots, undoRows, type LaterChange } from '../store/undo.js';
import { detail } from '../engine/describe.js';
import { emailKey } from '../engine/newaccounts.js';

export type RevertOutcome = 'revert' | 'already' | 'kept' | 'partial-only';

export interface RevertItem {
  accountId: number;
  outcome: RevertOutcome;
  /** revive, delete or update for a revert; keep for an account left alone. */
  action: 'revive' | 'delete' | 'update' | 'keep';
  source: string | null;
  externalId: string | null;
  detail: string;
  /** What changed the account since the run (for `kept`, and for a forced revert). */
  changedBy: LaterChange[];
  current?: AccountSnapshot;
  target?: AccountSnapshot;
}

export interface RevertPlan {
  run: RunRecord;
  forced: boolean;
  /** The run was recorded before basishub kept what a revert needs: only part of it can be undone. */
  partial: boolean;
  items: RevertItem[];
  counts: Record<string, number>;
  /** A digest of the plan: the plan that is applied must be the plan that was shown. */
  signature: string;
}

interface Planning {
  store: Store;
  snaps: Snapshots;
  run: RunRecord;
  /** The run's last audit entry: what came after it came after the run. */
  lastAudit: number;
  force: boolean;
  now: string;
  actor: string;
}

function changedByText(changes: LaterChange[]): string {
  if (changes.length === 0) return detail('laterRecords', {});
  return changes
    .map((c) => {
      const at = c.at.slice(0, 16).replace('T', ' ');
      return c.runId !== null
        ? detail('laterByRun', { action: c.action, run: c.runId, actor: c.actor, at })
        : detail('laterByPerson', { action: c.action, actor: c.actor, at });
    })
    .join(', ');
}

function decide(
  p: Planning,
  accountId: number,
  current: AccountSnapshot,
  target: AccountSnapshot,
  unchangedSince: boolean,
  ref: { source: string | null; externalId: string | null },
  later?: LaterChange[],
): RevertItem {
  const changedBy = unchangedSince ? [] : (later ?? laterChanges(p.store, accountId, p.lastAudit));
  const base = { accountId, source: ref.source, externalId: ref.externalId, changedBy };
  if (!unchangedSince && !p.force) {
    const who = displayName(current.account) || `account ${accountId}`;
    return {
      ...base,
      outcome: 'kept',
      action: 'keep',
      detail: detail('who', { who, body: detail('revertKept', { run: p.run.id, by: changedByText(changedBy) }) }),
    };
  }
  const described = describeRevert(current, target);
  const text = unchangedSince ? described : detail('revertForced', { body: described, run: p.run.id, by: changedByText(changedBy) });
  return { ...base, outcome: 'revert', action: revertAction(current, target), detail: text, current, target };
}

/** Accounts the run changed that existed before it: back to their snapshot. */
function planChanged(p: Planning, items: RevertItem[]): void {
  const rows = [...undoRows(p.store, p.run.id)];
  const now = p.snaps.captureMany(rows.map((r) => r.accountId));
  for (const row of rows) {
    const current = now.get(row.accountId);
    const ref = { source: row.before.links[0]?.source ?? null, externalId: row.before.links[0]?.externalId ?? null };
    if (current === undefined) {
      items.push({
        accountId: row.accountId,
        outcome: 'kept',
        action: 'keep',
        ...ref,
        changedBy: [],
        detail: detail('revertPurged', { id: row.accountId, run: p.run.id }),
      });
      continue;
    }
    const fp = stateFingerprint(current);
    if (fp === stateFingerprint(row.before)) {
      items.push({ accountId: row.accountId, outcome: 'already', action: 'keep', ...ref, changedBy: [], detail: detail('revertAlready', {}) });
      continue;
    }
    items.push(decide(p, row.accountId, current, row.before, fp === row.afterFp, ref));
  }
}

/** Accounts the run created: deleted (soft), as a person would delete them (off the list, R7). */
function planCreated(p: Planning, items: RevertItem[]): void {
  const created = createdBy(p.store, p.run.id);
  const ids = created.map((c) => c.accountId);
  const now = p.snaps.captureMany(ids);
  const later = laterChangesMany(p.store, ids, p.lastAudit);
  for (const c of created) {
    const current = now.get(c.accountId);
    if (current === undefined || current.account.status === 'deleted') {
      items.push({
        accountId: c.accountId,
        outcome: 'already',
        action: 'keep',
        source: c.source,
        externalId: c.externalId,
        changedBy: [],
        detail: detail('revertAlreadyDeleted', {}),
      });
      continue;
    }
    const target: AccountSnapshot = {
      account: { ...current.account, status: 'deleted', deletedAt: p.now, deletedBy: p.actor, deletedCause: detail('deletedByRevert', { run: p.run.id }) },
      links: current.links,
      entry: null,
    };
    const changedBy = later.get(c.accountId);
    items.push(decide(p, c.accountId, current, target, changedBy === undefined, c, changedBy));
  }
}

/**
 * R12: an account the revert would revive while another active account holds its address after the
 * revert (the person came back under a new record since, a new account) is left alone, as a restore is
 * refused (EMAIL_TAKEN): one active account per address. Holders are counted as the revert leaves them:
 * an account it deletes, or puts back to another address, holds nothing of its address now (the run may
 * have deleted one account and given its address to another: the revert puts both back); one it puts
 * back to an address, or revives, holds that one. The same goes for an active account the revert would
 * put back to an old address that another active account holds after the revert (the run gave that
 * address to it, and it changed since, so it is kept): left alone, keeping the address it has.
 */
function keepTakenAddresses(p: Planning, items: RevertItem[]): void {
  /** By account: the address it holds after this revert ('' for none), where the revert changes it. */
  const after = new Map<number, string>();
  for (const i of items) {
    if (i.outcome !== 'revert' || i.action === 'revive') continue;
    after.set(i.accountId, i.target!.account.status === 'active' ? emailKey(i.target!.account.email) : '');
  }
  items.forEach((i, n) => {
    const email = i.target?.account.email ?? '';
    if (i.outcome !== 'revert' || emailKey(email) === '' || !(i.action === 'revive' || readdresses(i))) return;
    const key = emailKey(email);
    const holders = p.store
      .accountsByEmail(email)
      .filter((a) => a.id !== i.accountId && a.status === 'active' && (after.get(a.id) ?? key) === key)
      .map((a) => a.id);
    for (const [id, k] of after) if (k === key && id !== i.accountId) holders.push(id);
    if (holders.length === 0) {
      after.set(i.accountId, key);
      return;
    }
    const who = displayName(i.current!.account) || `account ${i.accountId}`;
    if (i.action !== 'revive') after.set(i.accountId, emailKey(i.current!.account.email));
    const body = detail(i.action === 'revive' ? 'revertAddressTaken' : 'revertAddressKept', { holder: Math.min(...holders), email, run: p.run.id });
    items[n] = { ...i, outcome: 'kept', action: 'keep', current: undefined, target: undefined, detail: detail('who', { who, body }) };
  });
}

/** Whether the revert puts an active account back to another address, which it stays active with. */
function readdresses(i: RevertItem): boolean {
  const from = i.current?.account;
  const to = i.target?.account;
  return from?.status === 'active' && to?.status === 'active' && emailKey(to.email) !== emailKey(from.email);
}

const ATTRIBUTES = ['givenName', 'prefix', 'familyName', 'email', 'role'] as const;

/**
 * A run recorded before basishub kept snapshots: what its audit entries tell is enough to delete the
 * accounts it created and to put back attributes it updated; deletions, revivals, links and list
 * entries are named as what cannot be undone.
 */
function planLegacy(p: Planning, items: RevertItem[]): void {
  for (const e of p.store.auditEntries({ runId: p.run.id, order: 'asc' })) {
    if (e.accountId === null || ['create', 'protect', 'pending', 'conflict'].includes(e.action)) continue;
    const ref = { source: e.source, externalId: e.externalId };
    const current = p.snaps.capture(e.accountId);
    const before = (e.before ?? {}) as Record<string, string>;
    const attrs = ATTRIBUTES.filter((k) => k in before);
    if (e.action !== 'update' || attrs.length === 0 || current === undefined) {
      items.push({
        accountId: e.accountId,
        outcome: 'partial-only',
        action: 'keep',
        ...ref,
        changedBy: [],
        detail: detail('revertLegacy', { body: e.detail, run: p.run.id }),
      });
      continue;
    }
    const after = (e.after ?? {}) as Record<string, string>;
    const same = attrs.every((k) => current.account[k] === after[k]) && laterChanges(p.store, e.accountId, p.lastAudit, 1).length === 0;
    const target: AccountSnapshot = { ...current, account: { ...current.account } };
    for (const k of attrs) (target.account as unknown as Record<string, string>)[k] = before[k]!;
    const item = decide(p, e.accountId, current, target, same, ref);
    if (item.outcome === 'revert' && e.detail.includes(' relations: ')) item.detail = detail('revertNoRelations', { body: item.detail });
    items.push(item);
  }
}

export function planRevert(store: Store, run: RunRecord, opts: { force: boolean; now: string; actor: string }): RevertPlan {
  const p: Planning = {
    store,
    snaps: new Snapshots(store),
    run,
    lastAudit: store.lastAuditOfRun(run.id) ?? 0,
    force: opts.force,
    now: opts.now,
    actor: opts.actor,
  };
  const items: RevertItem[] = [];
  const partial = !hasUndo(store, run.id);
  if (partial) planLegacy(p, items);
  else planChanged(p, items);
  planCreated(p, items);
  keepTakenAddresses(p, items);
  items.sort((a, b) => a.accountId - b.accountId);
  const counts: Record<string, number> = { revived: 0, deleted: 0, updated: 0, kept: 0, unchanged: 0, notRevertible: 0 };
  const h = createHash('sha256');
  for (const i of items) {
    if (i.outcome === 'revert') counts[i.action === 'revive' ? 'revived' : i.action === 'delete' ? 'deleted' : 'updated']++;
    else if (i.outcome === 'kept') counts.kept++;
    else if (i.outcome === 'already') counts.unchanged++;
    else counts.notRevertible++;
    h.update(`${i.accountId}|${i.outcome}|${i.target === undefined ? '' : stateFingerprint(i.target)}\n`);
  }
  return { run, forced: opts.force, partial, items, counts, signature: h.digest('hex').slice(0, 16) };
}
