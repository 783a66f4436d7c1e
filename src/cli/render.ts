/**
 * Rendering results for people. Under --json the commands print the contract's shapes instead.
 */
import type { AppliedChange } from '../store/apply.js';
import type { AuditEntry } from '../model.js';
import type { Output } from './output.js';
import type { UserView } from '../app/views.js';
import type { Cell, Column } from './table.js';
import { compareDutch, dutchDateTime, dutchDay } from '../dutch.js';

const GROUPS: { action: string; title: string; mark: string; color: 'green' | 'yellow' | 'cyan' | 'magenta' | 'red' | 'blue' | 'gray' }[] = [
  { action: 'create', title: 'Created', mark: '+', color: 'green' },
  { action: 'update', title: 'Updated', mark: '~', color: 'yellow' },
  { action: 'relink', title: 'Relinked', mark: '⇄', color: 'cyan' },
  { action: 'revive', title: 'Revived', mark: '↺', color: 'magenta' },
  { action: 'lapse', title: 'Lapsed from the exception list', mark: '⌛', color: 'yellow' },
  { action: 'pending', title: 'Pending deletion (grace period)', mark: '…', color: 'gray' },
  { action: 'delete', title: 'Deleted', mark: '-', color: 'red' },
  { action: 'protect', title: 'Protected by the exception list', mark: '⛨', color: 'blue' },
  { action: 'conflict', title: 'Conflicts (nothing created or linked)', mark: '!', color: 'red' },
  { action: 'keep', title: 'Left alone by the revert', mark: '=', color: 'gray' },
];

const COUNT_LABELS: [string, string][] = [
  ['created', 'created'],
  ['updated', 'updated'],
  ['relinked', 'relinked'],
  ['revived', 'revived'],
  ['deleted', 'deleted'],
  ['protected', 'protected'],
  ['conflicts', 'conflicts'],
  ['pending', 'pending'],
  ['lapsed', 'lapsed'],
  ['unchanged', 'unchanged'],
  ['kept', 'left alone (changed since)'],
  ['notRevertible', 'cannot be undone'],
];

export function countsLine(out: Output, counts: Record<string, number>): string {
  return COUNT_LABELS.filter(([k]) => (counts[k] ?? 0) > 0 || ['created', 'updated', 'deleted', 'protected', 'unchanged'].includes(k))
    .map(([k, label]) => {
      const n = counts[k] ?? 0;
      const text = `${n.toLocaleString('en-US')} ${label}`;
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
  const parts = COUNT_LABELS.filter(([k]) => (counts[k] ?? 0) > 0 && (unchanged || k !== 'unchanged')).map(([k, label]) => `${counts[k].toLocaleString('en-US')} ${label}`);
  return parts.length ? parts.join(', ') : 'no changes';
}

export const COUNT_KEYS = COUNT_LABELS.map(([k]) => k);

/** Changes grouped by action, like a plan: at most `perGroup` lines per group. */
export function renderChanges(out: Output, changes: Iterable<AppliedChange>, perGroup: number, moreHint: string | null): void {
  const shown = new Map<string, string[]>();
  const total = new Map<string, number>();
  for (const c of changes) {
    total.set(c.action, (total.get(c.action) ?? 0) + 1);
    let lines = shown.get(c.action);
    if (lines === undefined) shown.set(c.action, (lines = []));
    if (lines.length < perGroup) {
      const who = c.userId !== null ? `#${c.userId}` : '';
      const ref = c.source && c.externalId ? out.c.dim(` ${c.source}:${c.externalId}`) : '';
      lines.push(`${who}${ref} ${c.detail}`.trim());
    }
  }
  for (const g of GROUPS) {
    const lines = shown.get(g.action);
    if (!lines) continue;
    const n = total.get(g.action)!;
    out.print('');
    out.print(out.c.bold(`${g.title} (${n.toLocaleString('en-US')})`));
    for (const l of lines) out.print(`  ${out.c[g.color](g.mark)} ${l}`);
    if (n > lines.length) out.print(out.c.dim(`  … and ${(n - lines.length).toLocaleString('en-US')} more${moreHint ? ` (${moreHint})` : ''}`));
  }
}

/** Organisations and groups of an account's current relations, each once, in Dutch order. */
function uniqueSorted(values: string[]): string {
  return [...new Set(values.filter((v) => v !== ''))].sort(compareDutch).join(', ');
}

export function userRows(users: UserView[]): Cell[][] {
  return users.map((u) => [
    u.id,
    u.displayName,
    u.email,
    u.role,
    uniqueSorted(u.relations.map((r) => r.organisation)),
    uniqueSorted(u.relations.map((r) => r.group)),
    u.status === 'deleted' ? `deleted ${u.deletedAt ? dutchDay(u.deletedAt) : ''}` : u.notOfferedSince ? `not offered since ${dutchDay(u.notOfferedSince)}` : 'active',
    u.owner,
    u.links.map((l) => `${l.source}:${l.externalId}${l.active ? '' : ' (inactive)'}`).join(', '),
    u.listed ? 'listed' : '',
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
export function auditRows(entries: AuditEntry[], names: ReadonlyMap<number, string> = new Map()): Cell[][] {
  return entries.map((e) => [
    dutchDateTime(e.at, true),
    e.actor,
    e.action + (e.runId !== null ? ` (run ${e.runId})` : ''),
    e.accountId ?? '',
    e.accountId !== null ? (names.get(e.accountId) ?? '') : '',
    e.detail + (e.reason && !e.detail.includes(e.reason) ? ` — ${e.reason}` : ''),
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
