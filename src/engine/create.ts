/**
 * R1: the plan of a new account, from the records that offer it; and the link a newly matched record
 * gets (also for an existing account, R12).
 */
import { fingerprint, unpack, type SourceRecord } from '../sources/record.js';
import { accountState, mergeAttributes, withRole, type Offer } from './attributes.js';
import { createAfter, createDetail, describeRecordedCreate, recordedCreate } from './describe.js';
import type { NewAccount, RecordRef } from './newaccounts.js';
import { nextOfferChange } from './offer.js';
import type { AccountPlan, Change, EngineSource, LinkWrite } from './types.js';

/** What the planner needs to plan an account: the sources in priority order, and the day and time. */
export interface PlanContext {
  sources: readonly EngineSource[];
  /** A source's index in `sources`, by name. */
  sourceIndex: ReadonlyMap<string, number>;
  today: string;
  now: string;
}

/**
 * A create from one record, stored as that record (describe.ts, `recordedCreate`): a first sync makes
 * a million of them, and the audit trail keeps the record instead of the text. Its detail is rendered
 * from the record when it is read (on the prototype: no text and no closure per create).
 */
export class RecordedCreate implements Change {
  readonly action = 'create' as const;
  constructor(
    readonly accountKey: number,
    readonly source: string,
    readonly externalId: string,
    readonly record: string,
  ) {}

  get detail(): string {
    return describeRecordedCreate(this.source, this.externalId, this.record).detail;
  }
}

/** A record as the planner reads it from its export, with its source's default role (R11). */
export function readRecord(ctx: PlanContext, ref: RecordRef): { source: EngineSource; record: SourceRecord; packed: string } {
  const source = ctx.sources[ref.source];
  const packed = source.records.packedAt(ref.slot);
  return { source, record: withRole(unpack(ref.externalId, packed), source), packed };
}

/** The new link of a record that offers an account (R1, R12). */
export function newLink(ctx: PlanContext, src: EngineSource, record: SourceRecord, packed: string): LinkWrite {
  return {
    source: src.name,
    externalId: record.externalId,
    isNew: true,
    active: true,
    record: packed,
    fp: fingerprint(packed),
    nextCheck: nextOfferChange(record, ctx.today),
    inactiveSince: null,
  };
}

/** R1: a new account from the records that offer it, first by priority first. */
export function planNew(ctx: PlanContext, account: NewAccount): AccountPlan {
  const offered: Offer[] = [];
  const links: LinkWrite[] = [];
  for (const ref of account.records) {
    const { source, record, packed } = readRecord(ctx, ref);
    offered.push({ source, record });
    links.push(newLink(ctx, source, record, packed));
  }
  const attrs = mergeAttributes(offered);
  const first = offered[0];
  let change: Change;
  if (offered.length === 1) {
    // The common case, a million times in a first sync.
    change = new RecordedCreate(account.key, first.source.name, first.record.externalId, recordedCreate(attrs, links[0].record));
  } else {
    const also = offered
      .slice(1)
      .map((o) => `; also linked to ${o.source.name}:${o.record.externalId} (matched by ${o.source.match})`)
      .join('');
    change = {
      action: 'create',
      accountKey: account.key,
      source: first.source.name,
      externalId: first.record.externalId,
      detail: createDetail(attrs, first.record.relations, also),
      after: createAfter(
        attrs,
        offered.map((o) => `${o.source.name}:${o.record.externalId}`),
      ),
    };
  }
  return { key: account.key, before: null, after: accountState(attrs, 'active', 'source', null), links, unlist: false, changes: [change] };
}
