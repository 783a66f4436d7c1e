/**
 * `audit`: the trail, filtered by account and by a Dutch calendar day, with the name of each account
 * as it is now (purged accounts have none).
 */
import type { AuditEntry } from '../model.js';
import { displayName } from '../model.js';
import { dutchDayStart } from '../dutch.js';
import type { AppContext } from './context.js';
import { parseDate } from './exceptions.js';
import { resolveUser } from './refs.js';
import { auditEntries } from './trail.js';

export interface AuditTrail {
  entries: AuditEntry[];
  /** Account id → its name now. */
  names: Map<number, string>;
}

export function auditTrail(ctx: AppContext, f: { user?: string; since?: string; limit?: number }): AuditTrail {
  const accountId = f.user === undefined ? undefined : resolveUser(ctx.store, f.user).id;
  // A day begins at midnight in the Netherlands: `--since 2026-12-01` includes 00:30 that morning.
  const since = f.since === undefined ? undefined : dutchDayStart(parseDate(f.since, '--since'));
  const entries = auditEntries(ctx.store, { accountId, since, limit: f.limit });
  return { entries, names: accountNames(ctx, entries) };
}

export function accountNames(ctx: AppContext, entries: AuditEntry[]): Map<number, string> {
  const names = new Map<number, string>();
  for (const e of entries) {
    if (e.accountId === null || names.has(e.accountId)) continue;
    const a = ctx.store.account(e.accountId);
    names.set(e.accountId, a ? displayName(a) : '');
  }
  return names;
}
