/**
 * Accounts: `users list|show|edit|delete|restore` (docs/rules.md R3, R4, R7, R8, R13, R14).
 */
import { BasishubError, usageError } from '../errors.js';
import { displayName, type Account, type AuditEntry } from '../model.js';
import type { AccountFilter } from '../store/store.js';
import { confirmOrRefuse } from './confirm.js';
import type { AppContext } from './context.js';
import { describeAccount, resolveUser } from './refs.js';
import { checkReason } from './text.js';
import { unlist } from './exceptions.js';
import { auditEntries, recordChange } from './trail.js';
import { loadUserView, userView, type UserView } from './views.js';
import { byDutchName, dutchDateTime, dutchDay } from '../dutch.js';
import { day, t } from '../i18n/index.js';
import { detail, diffText } from '../engine/describe.js';

export interface UserList {
  users: UserView[];
  /** How many accounts match the filter, before --limit. */
  total: number;
  /** Whether `total` is an estimate (a search's page: src/store/search-page.ts). */
  estimated: boolean;
}

/**
 * Accounts that match, in Dutch order of family name and given name; `limit` keeps the first ones.
 * `count: false` (a JSON document, which holds no count) spares a search its estimate.
 */
export function listUsers(ctx: AppContext, filter: AccountFilter): UserList {
  // The page in SQL (the first accounts in the order of their folded names), then in Dutch order.
  const { accounts, total, estimated } = ctx.store.accountPage(filter);
  accounts.sort(byDutchName);
  const ids = new Set(accounts.map((a) => a.id));
  const links = new Map<number, ReturnType<AppContext['store']['linksOf']>>();
  if (accounts.length > 0) {
    for (const id of ids) links.set(id, []);
    // One pass over the links instead of a query per account.
    const found = accounts.length > 200 ? ctx.store.linksOfMany([...ids]) : accounts.flatMap((a) => ctx.store.linksOf(a.id));
    for (const l of found) links.get(l.accountId)?.push(l);
  }
  const listed = new Set(
    accounts.length > 200 ? ctx.store.exceptions().map((e) => e.accountId) : accounts.filter((a) => ctx.store.exception(a.id) !== undefined).map((a) => a.id),
  );
  return { users: accounts.map((a) => userView(a, links.get(a.id) ?? [], listed.has(a.id))), total, estimated };
}

export interface UserDetail {
  user: UserView;
  exception: { reason: string; until: string | null; createdAt: string; createdBy: string; updatedAt: string; updatedBy: string } | null;
  history: AuditEntry[];
}

export function showUser(ctx: AppContext, ref: string): UserDetail {
  const a = resolveUser(ctx.store, ref);
  const e = ctx.store.exception(a.id);
  return {
    user: loadUserView(ctx.store, a),
    exception: e ? { reason: e.reason, until: e.until, createdAt: e.createdAt, createdBy: e.createdBy, updatedAt: e.updatedAt, updatedBy: e.updatedBy } : null,
    history: auditEntries(ctx.store, { accountId: a.id, limit: 20 }),
  };
}

export interface UserPatch {
  givenName?: string;
  prefix?: string;
  familyName?: string;
  email?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function editUser(ctx: AppContext, ref: string, patch: UserPatch, force: boolean): Promise<{ user: UserView; changed: string[] }> {
  const a = resolveUser(ctx.store, ref, { prefer: 'active' });
  if (a.status === 'deleted') {
    throw new BasishubError('USER_DELETED', t.editDeleted({ account: describeAccount(a) }), {
      hint: t.restoreFirst({ id: a.id }),
    });
  }
  const clean: UserPatch = {};
  for (const [k, v] of Object.entries(patch) as [keyof UserPatch, string | undefined][]) if (v !== undefined) clean[k] = v.trim();
  if (Object.keys(clean).length === 0) throw usageError(t.nothingToChangeUser(), t.nothingToChangeUserHint());
  if (clean.email !== undefined && clean.email !== '' && !EMAIL.test(clean.email)) throw usageError(t.notEmail({ value: clean.email }));
  if (clean.familyName === '') throw usageError(t.emptyFamilyName());
  const changed = (Object.keys(clean) as (keyof UserPatch)[]).filter((k) => clean[k] !== a[k]);
  if (changed.length === 0) return { user: loadUserView(ctx.store, a), changed };
  if (changed.includes('email') && clean.email !== '') checkEmailFree(ctx, a, clean.email!);

  const asked = a.owner === 'source' && !force;
  if (asked) {
    // R13: the next sync would overwrite the change. Listing it would not help: while a source offers
    // an account, the source owns it, listed or not (R5).
    const sources = ctx.store
      .linksOf(a.id)
      .filter((l) => l.active)
      .map((l) => l.source);
    const listed = ctx.store.exception(a.id) !== undefined;
    ctx.notify.warn(t.ownedBySource({ account: describeAccount(a), sources: sources.join(', '), listed }));
    await confirmOrRefuse(ctx, t.editAnyway(), {
      flag: '--force (or --yes)',
      refusal: t.editRefusal({ account: describeAccount(a) }),
    });
  }
  const now = ctx.clock.now();
  return ctx.store.transaction(() => writeEdit(ctx, a.id, clean, { force, asked, now }));
}

/**
 * The write of `users edit`, on the account as the hub holds it now: a sync may have deleted it, or a
 * source taken it over (R13), while this command waited or asked.
 */
function writeEdit(ctx: AppContext, id: number, clean: UserPatch, o: { force: boolean; asked: boolean; now: string }): { user: UserView; changed: string[] } {
  const a = ctx.store.account(id);
  if (a === undefined) throw new BasishubError('NOT_FOUND', t.purgedMeanwhile({ id }));
  if (a.status === 'deleted') {
    throw new BasishubError('USER_DELETED', t.deletedMeanwhile({ account: describeAccount(a), cause: a.deletedCause ?? a.deletedAt ?? '' }), {
      hint: `Restore it first with \`basishub users restore ${a.id}\`.`,
    });
  }
  if (a.owner === 'source' && !o.force && !o.asked) {
    throw new BasishubError('USAGE', t.ownedAgainMeanwhile({ account: describeAccount(a) }), {
      hint: t.ownedAgainHint(),
    });
  }
  const changed = (Object.keys(clean) as (keyof UserPatch)[]).filter((k) => clean[k] !== a[k]);
  const before: Record<string, string> = {};
  const after: Record<string, string> = {};
  for (const k of changed) {
    before[k] = a[k];
    after[k] = clean[k]!;
  }
  if (changed.length === 0) return { user: loadUserView(ctx.store, a), changed };
  ctx.store.updateAccount(a.id, { ...after, updatedAt: o.now });
  // A source-owned account: the next sync must look at it again and put the source's values back (R13).
  ctx.store.invalidateLinks(a.id);
  recordChange(ctx, {
    at: o.now,
    action: 'user.edit',
    accountId: a.id,
    detail:
      a.owner === 'source'
        ? detail('userEditedSource', { diffs: diffText(changed, before, after) })
        : detail('diffs', { diffs: diffText(changed, before, after) }),
    before,
    after,
  });
  return { user: loadUserView(ctx.store, ctx.store.account(a.id)!), changed };
}

/**
 * An email address belongs to one active account: it is the match key of returning records (R12), so
 * a second holder would make the next record that carries it a conflict, or link it to the wrong person.
 * No flag lifts this.
 */
function checkEmailFree(ctx: AppContext, a: Account, email: string): void {
  const holders = ctx.store.accountsByEmail(email).filter((o) => o.id !== a.id && o.status === 'active');
  if (holders.length === 0) return;
  throw new BasishubError('EMAIL_TAKEN', t.emailTaken({ email, holders: holders.map(describeAccount).join(', ') }), {
    hint: t.emailTakenHint({ n: holders.length }),
    details: { holders: holders.map((o) => ({ id: o.id, email: o.email, displayName: displayName(o) })) },
  });
}

export async function deleteUser(ctx: AppContext, ref: string, reasonText?: string): Promise<{ user: UserView; wasListed: boolean; offeredBy: string[] }> {
  const reason = reasonText === undefined ? undefined : checkReason(reasonText, '--reason');
  const a = resolveUser(ctx.store, ref, { prefer: 'active' });
  if (a.status === 'deleted') {
    throw new BasishubError('USER_DELETED', t.alreadyDeleted({ account: describeAccount(a), at: day(a.deletedAt ? dutchDateTime(a.deletedAt) : '') }), {
      hint: t.alreadyDeletedHint({ id: a.id }),
    });
  }
  const offeredBy = ctx.store
    .linksOf(a.id)
    .filter((l) => l.active)
    .map((l) => `${l.source}:${l.externalId}`);
  const entry = ctx.store.exception(a.id);
  if (offeredBy.length > 0) {
    // R14: the next sync restores an account that a source still offers.
    ctx.notify.warn(t.stillOffered({ account: describeAccount(a), by: offeredBy.join(', ') }));
  }
  if (entry !== undefined) ctx.notify.warn(t.deleteTakesOff({ account: describeAccount(a), reason: entry.reason }));
  await confirmOrRefuse(ctx, t.deleteQuestion({ account: describeAccount(a) }), { flag: '--yes', refusal: t.deleteRefusal({ account: describeAccount(a) }) });
  const now = ctx.clock.now();
  return ctx.store.transaction(() => writeDelete(ctx, a.id, reason, now));
}

/**
 * The write of `users delete`, on the hub as it is now: the account may have been deleted by a sync,
 * or listed by a person, while this command waited or asked. Its list entry goes with it (R7).
 */
function writeDelete(ctx: AppContext, id: number, reason: string | undefined, now: string): { user: UserView; wasListed: boolean; offeredBy: string[] } {
  const a = ctx.store.account(id);
  if (a === undefined) throw new BasishubError('NOT_FOUND', t.purgedMeanwhile({ id }));
  if (a.status === 'deleted') {
    throw new BasishubError('USER_DELETED', t.deletedMeanwhile({ account: describeAccount(a), cause: a.deletedCause ?? a.deletedAt ?? '' }), {
      hint: `See it with \`basishub users show ${a.id}\`; restore it with \`basishub users restore ${a.id}\`.`,
    });
  }
  const offeredBy = ctx.store
    .linksOf(a.id)
    .filter((l) => l.active)
    .map((l) => `${l.source}:${l.externalId}`);
  const entry = ctx.store.exception(a.id);
  ctx.store.updateAccount(a.id, {
    status: 'deleted',
    deletedAt: now,
    deletedBy: ctx.actor,
    deletedCause: reason ?? detail('deletedBy', { actor: ctx.actor }),
    updatedAt: now,
  });
  if (entry !== undefined) unlist(ctx, entry, now, detail('unlistedDeleted', {}));
  recordChange(ctx, {
    at: now,
    action: 'user.delete',
    accountId: a.id,
    detail: offeredBy.length
      ? detail('userDeletedOffered', { name: displayName(a), sources: offeredBy.join(', ') })
      : detail('userDeleted', { name: displayName(a) }),
    before: { status: 'active' },
    after: { status: 'deleted' },
    reason: reason ?? null,
  });
  return { user: loadUserView(ctx.store, ctx.store.account(a.id)!), wasListed: entry !== undefined, offeredBy };
}

export function restoreUser(ctx: AppContext, ref: string): { user: UserView; unlinked: string[] } {
  const a = resolveUser(ctx.store, ref, { prefer: 'deleted' });
  if (a.status !== 'deleted') {
    throw usageError(t.notDeleted({ account: describeAccount(a) }));
  }
  const now = ctx.clock.now();
  const links = ctx.store.transaction(() => {
    // As the hub is now: a sync may have revived it while this command waited (R14).
    const fresh = ctx.store.account(a.id);
    if (fresh?.status !== 'deleted') throw usageError(t.restoredMeanwhile({ account: describeAccount(fresh ?? a) }));
    // R12: an address belongs to one active account; the person may have come back meanwhile under a new account.
    if (fresh.email !== '') checkEmailFree(ctx, fresh, fresh.email);
    const links = ctx.store.linksOf(a.id);
    // R8: a restored account is a hub account: no source link, not on the list.
    ctx.store.deleteLinks(a.id);
    ctx.store.updateAccount(a.id, {
      status: 'active',
      owner: 'hub',
      notOfferedSince: null,
      deletedAt: null,
      deletedBy: null,
      deletedCause: null,
      updatedAt: now,
    });
    recordChange(ctx, {
      at: now,
      action: 'user.restore',
      accountId: a.id,
      detail: links.length ? detail('userRestoredLinks', { refs: links.map((l) => `${l.source}:${l.externalId}`).join(', ') }) : detail('userRestored', {}),
      before: { status: 'deleted', links: links.map((l) => `${l.source}:${l.externalId}`) },
      after: { status: 'active', owner: 'hub', links: [] },
    });
    return links;
  });
  return { user: loadUserView(ctx.store, ctx.store.account(a.id)!), unlinked: links.map((l) => `${l.source}:${l.externalId}`) };
}

export interface PurgeResult {
  dryRun: boolean;
  olderThan: number;
  before: string;
  purged: { id: number; displayName: string; deletedAt: string; deletedCause: string | null }[];
}

/**
 * Erases accounts that have been in Deleted users for longer than `olderThan` days: the account, its
 * links and its list entry go, and its audit entries keep who did what when, but no personal data
 * (docs/rules.md, "Personal data"). Irreversible, so a
 * person is asked on a terminal; scripts pass --yes.
 */
export async function purgeUsers(ctx: AppContext, olderThan: number, dryRun: boolean): Promise<PurgeResult> {
  if (!Number.isInteger(olderThan) || olderThan < 1) throw usageError(t.purgeDays());
  const before = new Date(Date.parse(ctx.clock.now()) - olderThan * 24 * 3600 * 1000).toISOString();
  const due = ctx.store.deletedBefore(before);
  const result: PurgeResult = {
    dryRun,
    olderThan,
    before,
    purged: due.map((a) => ({ id: a.id, displayName: displayName(a), deletedAt: a.deletedAt!, deletedCause: a.deletedCause })),
  };
  if (dryRun || due.length === 0) return result;
  ctx.notify.warn(t.purgeWarn({ n: due.length, before: day(dutchDay(before)) }));
  await confirmOrRefuse(ctx, t.purgeQuestion({ n: due.length }), {
    flag: '--yes',
    refusal: t.purgeRefusal({ n: due.length }),
  });
  const now = ctx.clock.now();
  return ctx.store.transaction(() => {
    // Only what is still due now: a sync may have revived one of them while this command asked (R14).
    const still = new Set(ctx.store.deletedBefore(before).map((a) => a.id));
    const erased = due.filter((a) => still.has(a.id));
    if (erased.length === 0) return { ...result, purged: [] };
    for (const a of erased) ctx.store.purgeAccount(a.id);
    recordChange(ctx, {
      at: now,
      action: 'user.purge',
      detail: detail('purged', { n: erased.length, before: dutchDay(before), days: olderThan, ids: erased.map((a) => `#${a.id}`).join(', ') }),
    });
    return { ...result, purged: result.purged.filter((p) => still.has(p.id)) };
  });
}

export type { Account };
