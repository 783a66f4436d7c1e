/**
 * The import-exceptions list: `exceptions add|list|edit|remove` (docs/rules.md R4–R10).
 */
import { BasishubError, Cancelled, usageError } from '../errors.js';
import { displayName, type Account, type ExceptionEntry } from '../model.js';
import { relationsOf } from '../sources/record.js';
import { confirmOrRefuse } from './confirm.js';
import type { AppContext } from './context.js';
import { describeAccount, resolveUser } from './refs.js';
import { checkReason } from './text.js';
import { recordChange } from './trail.js';
import { daysBetween, exceptionView, type ExceptionView } from './views.js';
import { byDutchName, dutchDay, parseTypedDate } from '../dutch.js';
import { day, t } from '../i18n/index.js';
import { detail, diffText } from '../engine/describe.js';

/** A calendar date as people type it (YYYY-MM-DD or dd-mm-yyyy), as YYYY-MM-DD; `label` names the flag or column. */
export function parseDate(value: string, label?: string): string {
  return parseTypedDate(value, label);
}

export function cleanReason(reason: string | undefined): string {
  const r = (reason ?? '').trim();
  if (r === '') throw usageError(t.reasonRequired(), t.reasonRequiredHint());
  return checkReason(reason!, t.theReason());
}

function validReason(v: string): true | string {
  if (v.trim() === '') return t.reasonRequiredPrompt();
  try {
    cleanReason(v);
    return true;
  } catch (err) {
    return (err as Error).message;
  }
}

/** R9: who can be listed. Returns the account or throws the refusal with its code. */
export function checkListable(ctx: AppContext, a: Account): void {
  if (a.status === 'deleted') {
    throw new BasishubError('USER_DELETED', t.listDeleted({ account: describeAccount(a) }), {
      hint: t.listDeletedHint(),
    });
  }
  const entry = ctx.store.exception(a.id);
  if (entry !== undefined) {
    throw new BasishubError(
      'ALREADY_LISTED',
      t.alreadyListed({ account: describeAccount(a), since: day(dutchDay(entry.createdAt)), by: entry.createdBy, reason: entry.reason }),
      {
        hint: t.alreadyListedHint({ id: a.id }),
      },
    );
  }
  if (ctx.store.linksOf(a.id).length === 0) {
    throw new BasishubError('NO_SOURCE_LINK', t.noSourceLink({ account: describeAccount(a) }), { hint: t.noSourceLinkHint() });
  }
}

/**
 * An end date: a date as people type it, today or later; `label` names it in the message (a flag, or a
 * column; none at a prompt, where there is no flag to name).
 */
export function checkUntil(ctx: AppContext, until: string | undefined | null, label?: string): string | null {
  if (until === undefined || until === null) return null;
  const d = parseDate(until, label);
  if (d < ctx.clock.today()) throw usageError(t.untilPast({ label, date: d }));
  return d;
}

export function viewOf(ctx: AppContext, e: ExceptionEntry): ExceptionView {
  const a = ctx.store.account(e.accountId)!;
  return exceptionView(e, a, ctx.store.linksOf(a.id), ctx.clock.now(), ctx.clock.today());
}

export interface AddInput {
  reason?: string;
  until?: string;
}

/**
 * `exceptions add` with whatever is missing asked at the terminal: search and pick the
 * account, type the reason, an optional end date, and confirm. Without a person to ask, a missing
 * value is a usage error naming the argument or flag to pass.
 */
export async function addExceptionAsking(ctx: AppContext, ref: string | undefined, input: AddInput): Promise<ExceptionView> {
  const p = ctx.prompt;
  if (p === undefined) {
    if (ref === undefined) throw usageError(t.whichAccount(), t.whichAccountHint());
    if (input.reason === undefined) throw usageError(t.reasonRequiredShort());
    return addException(ctx, ref, input);
  }
  let account: Account;
  if (ref === undefined) {
    account = await p.search(t.pickAccount(), (term) => Promise.resolve(pickerChoices(ctx, term)));
  } else {
    account = resolveUser(ctx.store, ref, { prefer: 'active' });
  }
  checkListable(ctx, account);
  const reason = input.reason !== undefined ? cleanReason(input.reason) : cleanReason(await p.input(t.askReason(), { validate: (v) => validReason(v) })).trim();
  let until = input.until;
  if (until === undefined && input.reason === undefined) {
    const typed = await p.input(t.askUntil(), {
      validate: (v) => {
        if (v.trim() === '') return true;
        try {
          checkUntil(ctx, v);
          return true;
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
    until = typed.trim() === '' ? undefined : typed.trim();
  }
  const untilDate = checkUntil(ctx, until, input.until !== undefined ? '--until' : undefined);
  if (!ctx.yes && !(await p.confirm(t.confirmAdd({ account: describeAccount(account), until: day(untilDate) }), true))) {
    throw new Cancelled(false);
  }
  return saveNew(ctx, account, reason, untilDate);
}

/**
 * The accounts the picker offers for what was typed: an exact id, email or `source:externalId` first,
 * then everything the search finds, in Dutch order. Accounts that cannot be listed are shown greyed
 * with the reason (R9): deleted (when and why), listed already, no source link.
 */
/** How many accounts the picker offers for what was typed. */
const PICKER_CHOICES = 30;

export function pickerChoices(ctx: AppContext, term: string): { name: string; value: Account; description: string; disabled?: string }[] {
  const found: Account[] = [];
  try {
    found.push(resolveUser(ctx.store, term, { prefer: 'active' }));
  } catch {
    // Not an exact reference: the search below may still find it.
  }
  for (const a of ctx.store.listAccounts({ search: term, limit: PICKER_CHOICES }).sort(byDutchName)) if (!found.some((f) => f.id === a.id)) found.push(a);
  return found.slice(0, PICKER_CHOICES).map((a) => {
    const links = ctx.store.linksOf(a.id);
    const orgs = new Set(links.flatMap((l) => relationsOf(l.record).map((r) => r.organisation)).filter((o) => o !== ''));
    const listed = ctx.store.exception(a.id) !== undefined;
    const deleted = a.status === 'deleted' ? t.pickerDeleted({ at: a.deletedAt ? day(dutchDay(a.deletedAt)) : '', cause: a.deletedCause ?? '' }) : undefined;
    return {
      name: `${displayName(a)}  ${a.email}  ${[...orgs].join(', ')}  (${links.map((l) => l.source).join(', ') || t.pickerNoSource()})`,
      value: a,
      description: t.pickerDescription({ id: a.id, role: a.role ? t.roleCell({ role: a.role }) : t.pickerNoRole(), owner: a.owner }),
      disabled: deleted ?? (listed ? t.pickerListed() : links.length === 0 ? t.pickerNoLink() : undefined),
    };
  });
}

export function addException(ctx: AppContext, ref: string, input: AddInput): ExceptionView {
  const a = resolveUser(ctx.store, ref, { prefer: 'active' });
  checkListable(ctx, a);
  const reason = cleanReason(input.reason);
  const until = checkUntil(ctx, input.until, '--until');
  return saveNew(ctx, a, reason, until);
}

/** Writes a new entry and its audit entry; `note` (e.g. "exceptions import list.csv") is added to the audit detail. */
export function saveNew(ctx: AppContext, a: Account, reason: string, until: string | null, note?: string): ExceptionView {
  const now = ctx.clock.now();
  const entry: ExceptionEntry = { accountId: a.id, reason, until, createdAt: now, createdBy: ctx.actor, updatedAt: now, updatedBy: ctx.actor };
  ctx.store.transaction(() => {
    // The rules again, on the hub as it is now: a sync (or a person) may have deleted the account, or
    // listed it, while this command waited or asked (R9).
    checkListable(ctx, current(ctx, a.id));
    ctx.store.saveException(entry);
    recordChange(ctx, {
      at: now,
      action: 'exception.add',
      accountId: a.id,
      detail: until
        ? note
          ? detail('listedUntilNote', { until, note })
          : detail('listedUntil', { until })
        : note
          ? detail('listedNote', { note })
          : detail('listed', {}),
      after: { reason, until },
      reason,
    });
  });
  return viewOf(ctx, entry);
}

/** The account as the hub holds it now (inside a write transaction: as it will stay until the commit). */
export function current(ctx: AppContext, id: number): Account {
  const a = ctx.store.account(id);
  if (a === undefined) throw new BasishubError('NOT_FOUND', t.purgedMeanwhile({ id }));
  return a;
}

/** The list entry of an account as the hub holds it now; NOT_LISTED when another command took it off meanwhile. */
function currentEntry(ctx: AppContext, account: Account): ExceptionEntry {
  const entry = ctx.store.exception(account.id);
  if (entry === undefined) {
    throw new BasishubError('NOT_LISTED', t.unlistedMeanwhile({ account: describeAccount(current(ctx, account.id)) }), {
      hint: `Put it on the list with \`basishub exceptions add ${account.id} --reason "…"\`.`,
    });
  }
  return entry;
}

export interface ListFilter {
  /** Listed for at least this many days. */
  stale?: number;
  notOffered?: boolean;
}

export function listExceptions(ctx: AppContext, filter: ListFilter = {}): ExceptionView[] {
  return exceptionPage(ctx, filter).entries;
}

/**
 * The entries that match, in list order (oldest first), from `offset`, at most `limit`; and how many
 * match in all. Only the page's accounts are read, unless --not-offered needs every entry's links: a
 * list of 10,000 entries spread over a million accounts touches most pages of the hub.
 */
export function exceptionPage(
  ctx: AppContext,
  filter: ListFilter = {},
  page: { offset?: number; limit?: number } = {},
): { entries: ExceptionView[]; total: number } {
  const now = ctx.clock.now();
  const offset = page.offset ?? 0;
  const end = page.limit === undefined ? undefined : offset + page.limit;
  if (filter.stale === undefined && !filter.notOffered && page.limit !== undefined) {
    // A page of the whole list: only its entries are read, and the rest counted.
    return { entries: viewsOf(ctx, ctx.store.exceptionsPage(offset, page.limit)), total: ctx.store.exceptionCount() };
  }
  let entries = ctx.store.exceptions();
  if (filter.stale !== undefined) entries = entries.filter((e) => daysBetween(e.createdAt, now) >= filter.stale!);
  if (!filter.notOffered) return { entries: viewsOf(ctx, entries.slice(offset, end), entries.length), total: entries.length };
  const all = viewsOf(ctx, entries, entries.length).filter((v) => !v.offered);
  return { entries: all.slice(offset, end), total: all.length };
}

/**
 * The views of these entries, in their order, with their accounts and links. `listed`: how many entries
 * the list has, when known; when these are all of them, the accounts are read from the list itself.
 */
export function viewsOf(ctx: AppContext, list: ExceptionEntry[], listed?: number): ExceptionView[] {
  const now = ctx.clock.now();
  const today = ctx.clock.today();
  const { accounts, links } = ctx.store.listedAccounts(list.length === listed ? undefined : list.map((e) => e.accountId));
  return list.map((e) => exceptionView(e, accounts.get(e.accountId)!, links.get(e.accountId) ?? [], now, today));
}

function listed(ctx: AppContext, ref: string): { account: Account; entry: ExceptionEntry } {
  const account = resolveUser(ctx.store, ref, { prefer: 'active' });
  const entry = ctx.store.exception(account.id);
  if (entry === undefined) {
    throw new BasishubError('NOT_LISTED', t.notListed({ account: describeAccount(account) }), {
      hint: t.notListedHint({ id: account.id }),
    });
  }
  return { account, entry };
}

export interface EditInput {
  reason?: string;
  /** A date, or null to remove the end date (--no-until). */
  until?: string | null;
}

export function editException(ctx: AppContext, ref: string, input: EditInput): { entry: ExceptionView; changed: string[] } {
  const { account, entry } = listed(ctx, ref);
  if (input.reason === undefined && input.until === undefined) throw usageError(t.nothingToChange(), t.nothingToChangeHint());
  const reason = input.reason === undefined ? entry.reason : cleanReason(input.reason);
  const until = input.until === undefined ? entry.until : checkUntil(ctx, input.until, '--until');
  return updateEntry(ctx, account, entry, reason, until);
}

/**
 * Changes an entry's reason and end date; nothing (no audit entry) when both are as they are. `_read` is
 * the entry as the caller read it; the one changed is read again inside the write transaction.
 */
export function updateEntry(
  ctx: AppContext,
  account: Account,
  _read: ExceptionEntry,
  reason: string,
  until: string | null,
  note?: string,
): { entry: ExceptionView; changed: string[] } {
  const now = ctx.clock.now();
  return ctx.store.transaction(() => {
    // The entry as it is now: another command may have edited or removed it while this one waited.
    const was = currentEntry(ctx, account);
    const changed = [...(reason !== was.reason ? ['reason'] : []), ...(until !== was.until ? ['until'] : [])];
    if (changed.length === 0) return { entry: viewOf(ctx, was), changed };
    const next: ExceptionEntry = { ...was, reason, until, updatedAt: now, updatedBy: ctx.actor };
    writeEdit(ctx, account, was, next, changed, note);
    return { entry: viewOf(ctx, next), changed };
  });
}

/** A list entry's field as the audit trail's detail shows it (reason and until are text or null). */
function fieldText(entry: ExceptionEntry, key: string): string {
  const v = (entry as unknown as Record<string, string | null | undefined>)[key];
  return v ?? '';
}

function writeEdit(ctx: AppContext, account: Account, entry: ExceptionEntry, next: ExceptionEntry, changed: string[], note?: string): void {
  const { reason, until, updatedAt: now } = next;
  ctx.store.saveException(next);
  recordChange(ctx, {
    at: now,
    action: 'exception.edit',
    accountId: account.id,
    detail: note
      ? detail('entryEdited', {
          diffs: diffText(
            changed,
            { reason: fieldText(entry, 'reason'), until: fieldText(entry, 'until') },
            { reason: fieldText(next, 'reason'), until: fieldText(next, 'until') },
          ),
          note,
        })
      : detail('diffs', {
          diffs: diffText(
            changed,
            { reason: fieldText(entry, 'reason'), until: fieldText(entry, 'until') },
            { reason: fieldText(next, 'reason'), until: fieldText(next, 'until') },
          ),
        }),
    before: entryValues(entry),
    after: { reason, until },
    reason,
  });
}

/** What the audit trail keeps of a list entry: its reason and end date. */
function entryValues(e: ExceptionEntry): { reason: string; until: string | null } {
  return { reason: e.reason, until: e.until };
}

/**
 * Takes an account off the list and records it with who and why (`detail`): `exceptions remove`, its
 * deletion (R7), or the removal of its last source (R9, `source` names it).
 */
export function unlist(ctx: AppContext, entry: ExceptionEntry, at: string, detail: string, source?: string): void {
  ctx.store.removeException(entry.accountId);
  recordChange(ctx, { at, action: 'exception.remove', accountId: entry.accountId, source, detail, before: entryValues(entry) });
}

export async function removeException(ctx: AppContext, ref: string): Promise<{ entry: ExceptionView; willBeDeleted: boolean }> {
  const { account, entry } = listed(ctx, ref);
  const view = viewOf(ctx, entry);
  const willBeDeleted = account.status === 'active' && !view.offered;
  if (willBeDeleted) {
    // R7: from now on it is not protected; with no source offering it, the next sync deletes it.
    ctx.notify.warn(t.removeWarn({ account: describeAccount(account), since: view.notOfferedSince ? day(dutchDay(view.notOfferedSince)) : '' }));
  }
  if (willBeDeleted) {
    await confirmOrRefuse(ctx, t.removeQuestion({ account: describeAccount(account) }), {
      flag: '--yes',
      refusal: t.removeRefusal({ account: describeAccount(account) }),
    });
  }
  const now = ctx.clock.now();
  return ctx.store.transaction(() => {
    // As the hub is now: a sync or a person may have changed the account or the entry meanwhile.
    const was = currentEntry(ctx, account);
    const fresh = viewOf(ctx, was);
    const deletedNext = fresh.user.status === 'active' && !fresh.offered;
    unlist(ctx, was, now, detail(deletedNext ? 'unlistedDeletes' : 'unlisted', {}));
    return { entry: fresh, willBeDeleted: deletedNext };
  });
}
