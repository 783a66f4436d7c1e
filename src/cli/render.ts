/**
 * Rendering results for people. Under --json the commands print the contract's shapes instead.
 */
import type { AppliedChange } from '../store/apply.js';
import type { AuditEntry } from '../model.js';
import type { Output } from './output.js';
import type { UserView } from '../app/views.js';
import type { Cell, Column } from './table.js';
import { compareDutch, dutchDateTime, dutchDay } from '../dutch.js';
import { cellText, day, language, num, t, type CellText } from '../i18n/index.js';
import { localizeDetail, type DetailLanguage } from '../app/details.js';

/** The groups of changes, in the order a plan is read; their titles are in the catalogue (`t.group`). */
const GROUPS: { action: string; mark: string; color: 'green' | 'yellow' | 'cyan' | 'magenta' | 'red' | 'blue' | 'gray' }[] = [
  { action: 'create', mark: '+', color: 'green' },
  { action: 'update', mark: '~', color: 'yellow' },
  { action: 'relink', mark: '⇄', color: 'cyan' },
  { action: 'revive', mark: '↺', color: 'magenta' },
  { action: 'lapse', mark: '⌛', color: 'yellow' },
  { action: 'pending', mark: '…', color: 'gray' },
  { action: 'delete', mark: '-', color: 'red' },
  { action: 'protect', mark: '⛨', color: 'blue' },
  { action: 'conflict', mark: '!', color: 'red' },
  { action: 'keep', mark: '=', color: 'gray' },
];

/** The counts in the order they are shown; their words are in the catalogue (`t.count`). */
const COUNT_ORDER = [
  'created',
  'updated',
  'relinked',
  'revived',
  'deleted',
  'protected',
  'conflicts',
  'pending',
  'lapsed',
  'unchanged',
  'kept',
  'notRevertible',
];
const COUNT_LABELS: [string, (n: number) => string][] = COUNT_ORDER.map((k) => [k, (n: number) => t.count({ key: k, n })]);

/**
 * A change's detail as the engine wrote it (in English: it is stored in the audit trail and carried by
 * --json), in the reader's language: read back into its template (src/engine/describe.ts) and written
 * with this language's text of that template. A text no template makes (from an older version) stays
 * as it was, its dates as the reader writes them.
 */
export function localDetail(detail: string): string {
  if (language() === 'en' || detail === '') return detail;
  const lang: DetailLanguage = {
    texts: t.detailTexts(),
    words: t.detailWords(),
    ...t.detailJoin(),
    day,
    instant: (iso) => day(dutchDateTime(iso)),
  };
  return localizeDetail(detail, lang) ?? detail.replace(/\b(\d{4}-\d{2}-\d{2})\b/g, (d) => day(d));
}

export function countsLine(out: Output, counts: Record<string, number>): string {
  return COUNT_LABELS.filter(([k]) => (counts[k] ?? 0) > 0 || ['created', 'updated', 'deleted', 'protected', 'unchanged'].includes(k))
    .map(([k, label]) => {
      const n = counts[k] ?? 0;
      const text = `${num(n)} ${label(n)}`;
      if (n === 0) return out.c.dim(text);
      if (k === 'deleted' || k === 'conflicts') return out.c.red(text);
      if (k === 'created') return out.c.green(text);
      if (k === 'protected') return out.c.blue(text);
      return text;
    })
    .join(out.c.dim(' · '));
}

/**
 * Every count that is not zero, plainly ("1 created, 2 relinked"); with `unchanged`, that count too.
 * "no changes" where there are none.
 */
export function countsSummary(counts: Record<string, number>, unchanged = true): string {
  const parts = COUNT_LABELS.filter(([k]) => (counts[k] ?? 0) > 0 && (unchanged || k !== 'unchanged')).map(
    ([k, label]) => `${num(counts[k] ?? 0)} ${label(counts[k] ?? 0)}`,
  );
  return parts.length ? parts.join(', ') : t.noChanges();
}

export const COUNT_KEYS = COUNT_LABELS.map(([k]) => k);

/** Changes grouped by action, like a plan: at most `perGroup` lines per group. */
/** `totals`: how many changes of each action there are, when `changes` holds only the first of each. */
export function renderChanges(
  out: Output,
  changes: Iterable<AppliedChange>,
  perGroup: number,
  moreHint: string | null,
  totals?: ReadonlyMap<string, number>,
): void {
  const shown = new Map<string, string[]>();
  const total = new Map<string, number>();
  for (const c of changes) {
    total.set(c.action, (total.get(c.action) ?? 0) + 1);
    let lines = shown.get(c.action);
    if (lines === undefined) shown.set(c.action, (lines = []));
    if (lines.length < perGroup) {
      const who = c.userId !== null ? `#${c.userId}` : '';
      const ref = c.source && c.externalId ? out.c.dim(` ${c.source}:${c.externalId}`) : '';
      lines.push(`${who}${ref} ${localDetail(c.detail)}`.trim());
    }
  }
  for (const g of GROUPS) {
    const lines = shown.get(g.action);
    if (!lines) continue;
    const n = totals?.get(g.action) ?? total.get(g.action)!;
    out.print('');
    out.print(out.c.bold(`${t.group({ action: g.action })} (${num(n)})`));
    for (const l of lines) out.print(`  ${out.c[g.color](g.mark)} ${l}`);
    if (n > lines.length) out.print(out.c.dim(`  ${t.andMore({ n: num(n - lines.length), hint: moreHint })}`));
  }
}

/** Organisations and groups of an account's current relations, each once, in Dutch order. */
function uniqueSorted(values: string[]): string {
  return [...new Set(values.filter((v) => v !== ''))].sort(compareDutch).join(', ');
}

export function userRows(users: UserView[], cells: CellText = cellText(true)): Cell[][] {
  const { t, day } = cells;
  return users.map((u) => [
    u.id,
    u.displayName,
    u.email,
    t.roleCell({ role: u.role }),
    uniqueSorted(u.relations.map((r) => r.organisation)),
    uniqueSorted(u.relations.map((r) => r.group)),
    t.userStatusCell({
      status: u.status,
      deletedAt: u.deletedAt ? day(dutchDay(u.deletedAt)) : '',
      notOfferedSince: u.notOfferedSince ? day(dutchDay(u.notOfferedSince)) : '',
    }),
    t.ownerCell({ owner: u.owner }),
    u.links.map((l) => `${l.source}:${l.externalId}${l.active ? '' : t.inactiveLink()}`).join(', '),
    u.listed ? t.listedCell() : '',
  ]);
}

export const USER_HEAD: Column[] = [
  { head: 'id', id: true },
  { head: 'name', keep: true, weight: 10, min: 14 },
  { head: 'email', weight: 8, min: 16 },
  { head: 'role', weight: 2 },
  { head: 'school', weight: 6 },
  { head: 'group', weight: 5 },
  { head: 'status', weight: 7 },
  { head: 'owner', weight: 1 },
  { head: 'links', weight: 4 },
  { head: 'list', weight: 3 },
];

/** Audit entries with the name of the account each is about (`names`: id → name, as it is now). */
export function auditRows(entries: AuditEntry[], names: ReadonlyMap<number, string> = new Map(), cells: CellText = cellText(true)): Cell[][] {
  const { day, local } = cells;
  return entries.map((e) => [
    day(dutchDateTime(e.at, true)),
    e.actor,
    e.action + (e.runId !== null ? cells.t.runRef({ runId: e.runId }) : ''),
    e.accountId ?? '',
    e.accountId !== null ? (names.get(e.accountId) ?? '') : '',
    (local ? localDetail(e.detail) : e.detail) + (e.reason && !e.detail.includes(e.reason) ? ` — ${e.reason}` : ''),
  ]);
}

export const AUDIT_HEAD: Column[] = [
  { head: 'when', weight: 8, min: 16 },
  { head: 'who', weight: 4 },
  { head: 'what', weight: 9, min: 12 },
  { head: 'account', id: true },
  { head: 'name', weight: 6, min: 12 },
  { head: 'detail', flex: true, weight: 7, min: 24 },
];
