/**
 * In-memory inputs for the engine's unit tests: a hub held in arrays, and exports built from rows
 * through the real collector (src/sources/collect.ts).
 */
import { CollectedExport } from '../../src/sources/collect.js';
import { fingerprint, pack, type SourceRecord } from '../../src/sources/record.js';
import { isOffered, nextOfferChange } from '../../src/engine/offer.js';
import type { Candidates, EngineSource, HubView, LinkSummary } from '../../src/engine/types.js';
import type { Account, ExceptionEntry, Link, MatchField } from '../../src/model.js';

export const NOW = '2026-11-29T02:00:00.000Z';
export const TODAY = '2026-11-29';

export interface Person {
  id: string;
  given?: string;
  prefix?: string;
  family?: string;
  email?: string;
  role?: string;
  /** [organisation, group, startDate?, endDate?]; none = not offered (R2). */
  rel?: [string, string, string?, string?][];
}

export function exportOf(path: string, people: Person[]): CollectedExport {
  const c = new CollectedExport(path);
  let line = 2;
  for (const p of people) {
    const rels = p.rel ?? [];
    const rows = rels.length === 0 ? [['', '', '', '']] : rels.map((r) => [r[0], r[1], r[2] ?? '', r[3] ?? '']);
    for (const [organisation, group, startDate, endDate] of rows) {
      c.add({
        externalId: p.id,
        givenName: p.given ?? '',
        prefix: p.prefix ?? '',
        familyName: p.family ?? '',
        email: p.email ?? '',
        role: p.role ?? '',
        organisation: organisation!,
        group: group!,
        startDate: startDate!,
        endDate: endDate!,
        line: line++,
      });
    }
  }
  return c;
}

export function source(name: string, people: Person[], opts: Partial<EngineSource> = {}): EngineSource {
  return {
    name,
    priority: 10,
    match: 'email',
    defaultRole: 'staff',
    graceDays: 0,
    partial: false,
    records: exportOf(`${name}.csv`, people),
    ...opts,
  };
}

let nextId = 1;

export function account(partial: Partial<Account> = {}): Account {
  return {
    id: partial.id ?? nextId++,
    givenName: 'Jan',
    prefix: 'de',
    familyName: 'Vries',
    email: 'jan.devries@school.nl',
    role: 'staff',
    status: 'active',
    owner: 'source',
    notOfferedSince: null,
    createdAt: '2026-09-01T02:00:00.000Z',
    updatedAt: '2026-09-01T02:00:00.000Z',
    deletedAt: null,
    deletedBy: null,
    deletedCause: null,
    ...partial,
  };
}

/** A link as the store would hold it after a sync that read `record`. */
export function link(src: string, accountId: number, record: SourceRecord, partial: Partial<Link> = {}): Link {
  const packed = pack(record);
  return {
    source: src,
    externalId: record.externalId,
    accountId,
    active: isOffered(record, TODAY),
    record: packed,
    fp: fingerprint(packed),
    nextCheck: nextOfferChange(record, TODAY),
    inactiveSince: null,
    createdAt: '2026-09-01T02:00:00.000Z',
    ...partial,
  };
}

export function rec(p: Person): SourceRecord {
  return exportOf('x', [p]).record(p.id)!;
}

export class MemoryHub implements HubView {
  constructor(
    public accounts: Account[] = [],
    public links: Link[] = [],
    public exceptions: ExceptionEntry[] = [],
  ) {}

  eachLink(source: string, today: string, visit: (externalId: string, link: LinkSummary) => void): void {
    for (const l of this.links) {
      if (l.source !== source) continue;
      visit(l.externalId, {
        accountId: l.accountId,
        active: l.active,
        fp: l.fp,
        checkDue: l.nextCheck !== null && l.nextCheck <= today,
        accountDeleted: this.account(l.accountId).status === 'deleted',
      });
    }
  }
  account(id: number): Account {
    const a = this.accounts.find((x) => x.id === id);
    if (!a) throw new Error(`no account ${id}`);
    return a;
  }
  linksOf(accountId: number): Link[] {
    return this.links.filter((l) => l.accountId === accountId);
  }
  exception(accountId: number): ExceptionEntry | undefined {
    return this.exceptions.find((e) => e.accountId === accountId);
  }
  hasCandidates(): boolean {
    return this.accounts.some((a) => a.status === 'active');
  }
  candidates(source: string, field: MatchField, value: string): Candidates {
    const found: Candidates = { open: [], claimed: [] };
    for (const a of this.accounts) {
      if (a.status !== 'active') continue;
      const hit =
        field === 'email'
          ? a.email !== '' && a.email.toLowerCase() === value.toLowerCase() // as the store: no e-mail matches nothing
          : field === 'externalId'
            ? this.links.some((l) => l.accountId === a.id && l.source !== source && l.externalId === value)
            : false;
      if (!hit) continue;
      // R5, R12: an active link of the source claims the account; inactive ones leave it open.
      const claimed = this.links.some((l) => l.accountId === a.id && l.source === source && l.active);
      (claimed ? found.claimed : found.open).push(a.id);
    }
    return found;
  }
  unofferedAccountIds(): Iterable<number> {
    return this.accounts.filter((a) => a.status === 'active' && a.notOfferedSince !== null && this.linksOf(a.id).length > 0).map((a) => a.id);
  }
  lapsedExceptionIds(today: string): Iterable<number> {
    return this.exceptions.filter((e) => e.until !== null && e.until < today).map((e) => e.accountId);
  }
}

export function entry(accountId: number, partial: Partial<ExceptionEntry> = {}): ExceptionEntry {
  return {
    accountId,
    reason: 'Invalpool: tussen twee contracten',
    until: null,
    createdAt: '2026-10-01T10:00:00.000Z',
    createdBy: 'coordinator',
    updatedAt: '2026-10-01T10:00:00.000Z',
    updatedBy: 'coordinator',
    ...partial,
  };
}
