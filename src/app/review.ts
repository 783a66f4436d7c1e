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
import type { AppContext } from './context.js';
import { listExceptions } from './exceptions.js';
import { exceptionUser, type ExceptionView } from './views.js';

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

  const list = listExceptions(ctx);
  const longListed = list.filter((v) => v.daysListed >= olderThan);
  const notOffered = list.filter((v) => !v.offered);
  const pastUntil = list.filter((v) => v.lapsed);

  // Offered again: the list kept the account alive (a sync's 'protect') after the entry was last added or
  // changed, and a source offers it now. Changing the entry (`exceptions edit`) records the decision to keep it.
  const offeredAgain: OfferedAgainItem[] = [];
  const protectedIds = store.lastAuditIds('protect');
  const decidedIds = protectedIds.size === 0 ? new Map<number, number>() : store.lastAuditIds('decision');
  for (const v of list) {
    const protectedId = v.offered ? protectedIds.get(v.user.id) : undefined;
    if (protectedId === undefined) continue;
    const decided = decidedIds.get(v.user.id);
    if (decided !== undefined && decided > protectedId) continue;
    offeredAgain.push({ ...v, lastProtectedAt: store.auditAt(protectedId)! });
  }

  const lapsed: LapsedItem[] = store.lapsesBetween(afterId, revision).map((e) => {
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

  const groups: ReviewGroups = { longListed, notOffered, lapsed, offeredAgain, pastUntil };
  const accounts = new Set<number>();
  for (const g of Object.values(groups) as { user: ReviewUser }[][]) for (const x of g) accounts.add(x.user.id);

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
  };
}
