/**
 * `exceptions review` (docs/rules.md R10): everything on the exception list that needs a
 * decision, in five groups, each with the command that acts on it.
 *
 * "Since the previous review" is kept in the `meta` table, not in the audit trail: a review changes no
 * data, and the hub's revision (max(audit.id)), which an approved sync plan is bound to, must not move
 * because somebody looked at the list. Two keys:
 *  - `last_review_at`: when the previous review ran (shown to people);
 *  - `last_review_audit_id`: the audit revision it had seen. The lapsed group holds the 'lapse' entries
 *    after that id, which is exact even when two commands share a timestamp (a pinned clock, a replay).
 */
import type { ExceptionFacts } from '../store/exceptions.js';
import type { AppContext } from './context.js';
import { viewsOf } from './exceptions.js';
import { daysBetween, exceptionUser, type ExceptionView } from './views.js';

export const LAST_REVIEW_AT = 'last_review_at';
export const LAST_REVIEW_AUDIT_ID = 'last_review_audit_id';
export const DEFAULT_OLDER_THAN = 180;

export type ReviewUser = ExceptionView['user'];

/** An entry that left the list because its end date passed (a sync's 'lapse' audit entry). */
export interface LapsedItem {
  user: ReviewUser;
  reason: string | null;
  until: string | null;
  lapsedAt: string;
  runId: number | null;
  /** Extension: whether the account is on the list again now. */
  listedAgain: boolean;
}

/** A listed account that a source offers again after the list had kept it alive. */
export interface OfferedAgainItem extends ExceptionView {
  /** Extension: the last time a sync kept the account only because it was listed. */
  lastProtectedAt: string;
}

export interface ReviewGroups {
  longListed: ExceptionView[];
  notOffered: ExceptionView[];
  lapsed: LapsedItem[];
  offeredAgain: OfferedAgainItem[];
  pastUntil: ExceptionView[];
}

export type ReviewGroup = keyof ReviewGroups;

export interface ReviewResult {
  olderThan: number;
  groups: ReviewGroups;
  /** How many accounts need a decision: each account once, however many groups it is in. */
  pending: number;
  /** Extensions. */
  today: string;
  reviewedAt: string;
  previousReviewAt: string | null;
  recorded: boolean;
  commands: Record<ReviewGroup, string[]>;
  /**
   * How many entries each group has. Not part of the JSON document (the CLI leaves it out): a group's
   * array holds all of them unless a first page was asked for (ReviewOptions.firstPage).
   */
  totals: Record<ReviewGroup, number>;
}

/** The commands that act on each group (`<id>` stands for the account id). */
export const REVIEW_COMMANDS: Record<ReviewGroup, string[]> = {
  longListed: ['basishub exceptions remove <id>', 'basishub exceptions edit <id> --reason "…" --until <YYYY-MM-DD>'],
  notOffered: ['basishub exceptions remove <id>', 'basishub users delete <id>'],
  lapsed: ['basishub exceptions add <id> --reason "…" --until <YYYY-MM-DD>', 'basishub users restore <id>'],
  offeredAgain: ['basishub exceptions remove <id>', 'basishub exceptions edit <id> --reason "…"'],
  pastUntil: ['basishub sync run', 'basishub exceptions edit <id> --until <YYYY-MM-DD>', 'basishub exceptions edit <id> --no-until'],
};

export interface ReviewOptions {
  /** Entries listed at least this many whole days are "long listed" (default 180). */
  olderThan?: number;
  /** false: look without marking the review as done (the lapsed group then shows again next time). */
  record?: boolean;
  /**
   * For a terminal: a group of more than `upTo` entries holds only its first `show` (the totals count
   * them all), and only the accounts shown are read. Without it every group holds every entry (--json, --all).
   */
  firstPage?: { upTo: number; show: number };
}

export function reviewExceptions(ctx: AppContext, opts: ReviewOptions = {}): ReviewResult {
  const olderThan = opts.olderThan ?? DEFAULT_OLDER_THAN;
  const record = opts.record ?? true;
  const { store } = ctx;
  const now = ctx.clock.now();
  const today = ctx.clock.today();
  // Read the revision first: a 'lapse' written after it (a sync running now) shows at the next review.
  const revision = store.revision();
  const previousReviewAt = store.meta(LAST_REVIEW_AT) ?? null;
  const seen = Number(store.meta(LAST_REVIEW_AUDIT_ID) ?? '0');
  const afterId = Number.isInteger(seen) && seen > 0 ? seen : 0;

  // Which entries are in which group, from each entry's dates and whether a source offers it: no account
  // and no record is read for that, only for the entries a group shows.
  const facts = store.exceptionFacts();
  const longListed = facts.filter((f) => daysBetween(f.createdAt, now) >= olderThan);
  const notOffered = facts.filter((f) => !f.offered);
  const pastUntil = facts.filter((f) => f.until !== null && f.until < today);

  // Offered again: the list kept the account alive (a sync's 'protect') after the entry was last added or
  // changed, and a source offers it now. Changing the entry (`exceptions edit`) records the decision to keep it.
  const offeredAgain: (ExceptionFacts & { protectedId: number })[] = [];
  const protectedIds = store.lastAuditIds('protect');
  const decidedIds = protectedIds.size === 0 ? new Map<number, number>() : store.lastAuditIds('decision');
  for (const f of facts) {
    const protectedId = f.offered ? protectedIds.get(f.accountId) : undefined;
    if (protectedId === undefined) continue;
    const decided = decidedIds.get(f.accountId);
    if (decided !== undefined && decided > protectedId) continue;
    offeredAgain.push({ ...f, protectedId });
  }
  const lapsed = lapsedSince(ctx, afterId, revision);

  const shown = <T>(items: T[]): T[] => (opts.firstPage === undefined || items.length <= opts.firstPage.upTo ? items : items.slice(0, opts.firstPage.show));
  const pages = { longListed: shown(longListed), notOffered: shown(notOffered), offeredAgain: shown(offeredAgain), pastUntil: shown(pastUntil) };
  const ids = new Set<number>();
  for (const g of Object.values(pages)) for (const f of g) ids.add(f.accountId);
  const views = new Map(viewsOf(ctx, store.exceptionsOf([...ids]), ids.size === facts.length ? facts.length : undefined).map((v) => [v.user.id, v]));
  const view = (f: ExceptionFacts) => views.get(f.accountId)!;

  const groups: ReviewGroups = {
    longListed: pages.longListed.map(view),
    notOffered: pages.notOffered.map(view),
    lapsed: shown(lapsed),
    offeredAgain: pages.offeredAgain.map((f) => ({ ...view(f), lastProtectedAt: store.auditAt(f.protectedId)! })),
    pastUntil: pages.pastUntil.map(view),
  };
  const totals = {
    longListed: longListed.length,
    notOffered: notOffered.length,
    lapsed: lapsed.length,
    offeredAgain: offeredAgain.length,
    pastUntil: pastUntil.length,
  };
  const accounts = new Set<number>();
  for (const g of [longListed, notOffered, offeredAgain, pastUntil]) for (const f of g) accounts.add(f.accountId);
  for (const x of lapsed) accounts.add(x.user.id);

  if (record) {
    store.transaction(() => {
      store.setMeta(LAST_REVIEW_AT, now);
      store.setMeta(LAST_REVIEW_AUDIT_ID, String(revision));
    });
  }
  return {
    olderThan,
    groups,
    pending: accounts.size,
    today,
    reviewedAt: now,
    previousReviewAt,
    recorded: record,
    commands: REVIEW_COMMANDS,
    totals,
  };
}

/** The entries that left the list because their end date passed, after audit entry `afterId` up to `upToId`. */
function lapsedSince(ctx: AppContext, afterId: number, upToId: number): LapsedItem[] {
  const { store } = ctx;
  return store.lapsesBetween(afterId, upToId).map((e) => {
    const before = (e.before ?? {}) as { reason?: unknown; until?: unknown };
    const a = e.accountId === null ? undefined : store.account(e.accountId);
    const user: ReviewUser =
      a !== undefined ? exceptionUser(a) : { id: e.accountId ?? 0, email: '', displayName: '(account no longer in the hub)', status: 'deleted', owner: 'hub' };
    return {
      user,
      reason: typeof before.reason === 'string' ? before.reason : null,
      until: typeof before.until === 'string' ? before.until : null,
      lapsedAt: e.at,
      runId: e.runId,
      listedAgain: a !== undefined && store.exception(a.id) !== undefined,
    };
  });
}
