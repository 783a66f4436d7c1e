/**
 * Step 2 of a sync plan, for one account the hub holds: read what its sources say now (its links, and
 * the records newly matched to it), then apply the rules (rules.ts) to decide what happens to it.
 */
import { displayName, type Account, type ExceptionEntry, type Link } from '../model.js';
import { fingerprint, pack, unpack, type SourceRecord } from '../sources/record.js';
import { withRole, type Offer } from './attributes.js';
import { newLink, readRecord, type PlanContext } from './create.js';
import { mergeDelta } from './delta.js';
import { detail, relationsText } from './describe.js';
import type { RecordRef } from './newaccounts.js';
import { isOffered, nextOfferChange } from './offer.js';
import { applyRules } from './rules.js';
import type { AccountPlan, EngineSource, HubView, LinkWrite } from './types.js';

/** What the rules know of one account: the hub's view of it, and what its sources say now. */
export interface AccountFacts {
  accountId: number;
  account: Account;
  links: Link[];
  entry: ExceptionEntry | undefined;
  /** The records that offer it now, highest priority first. */
  offered: Offer[];
  /** Inactive links whose source offers the account again (R5). */
  returned: { link: Link; src: EngineSource }[];
  /** Records newly matched to it by a source's match key (R12). */
  matched: Offer[];
  /** "hr relations: "A" → "B"", for links whose relations changed. */
  moved: string[];
  /** `source:externalId` of links that stop being offered this run. */
  ended: string[];
  /** Per link that is not offered: since when, and its source's grace period in days. */
  latestInactive: { since: string; grace: number }[];
  /** Link rows to write. */
  writes: LinkWrite[];
  /** What changed in the settings of its sources since the last sync, for people. */
  why: string[];
  /** Whether its records changed (beside its sources' settings). */
  recordsChanged: boolean;
  /** Its sources' new address is held by another account: it keeps its own (R12, holders.ts). */
  keepAddress?: boolean;
}

/** The facts of an account before its sources are read: what the hub holds of it. */
export function factsOf(account: Account, links: Link[], entry: ExceptionEntry | undefined): AccountFacts {
  return {
    accountId: account.id,
    account,
    links,
    entry,
    offered: [],
    returned: [],
    matched: [],
    moved: [],
    ended: [],
    latestInactive: [],
    writes: [],
    why: [],
    recordsChanged: false,
  };
}

/**
 * One account the hub holds, with the records newly attached to it. `keepAddress`: it keeps its current
 * address whatever its sources say (another account holds theirs, holders.ts); its links are then written
 * without a fingerprint, so that the next sync looks at them again (a conflict every night until resolved).
 */
export function evaluateExisting(ctx: PlanContext, hub: HubView, accountId: number, attached: readonly RecordRef[], keepAddress = false): AccountPlan {
  const facts = factsOf(hub.account(accountId), hub.linksOf(accountId), hub.exception(accountId));
  facts.recordsChanged = attached.length > 0;
  facts.keepAddress = keepAddress;
  for (const link of facts.links) readLink(ctx, facts, link);
  for (const ref of attached) {
    const { source, record, packed } = readRecord(ctx, ref);
    facts.writes.push(newLink(ctx, source, record, packed));
    facts.offered.push({ source, record });
    facts.matched.push({ source, record });
  }
  facts.offered.sort((a, b) => ctx.sourceIndex.get(a.source.name)! - ctx.sourceIndex.get(b.source.name)!);
  const { after, unlist, changes } = applyRules(ctx, facts, detailMaker(facts));
  if (keepAddress) for (const w of facts.writes) w.fp = null;
  // Copied at their length: an array grown by push keeps room for 17 elements where it holds one or two,
  // and a plan is kept until the sync has written it (a 1% churn of a million: 20,000 plans, two each).
  return { key: accountId, before: facts.account, after, links: facts.writes.slice(), unlist, changes: changes.slice() };
}

/**
 * How a change of this account is said: the person's name as the account was before this run first,
 * and for an update, deletion or pending deletion, that its sources' settings changed, where they did.
 */
export type DetailMaker = (action: 'update' | 'delete' | 'pending' | 'other', text: string) => string;

function detailMaker(f: AccountFacts): DetailMaker {
  const who = displayName(f.account) || `account ${f.accountId}`;
  const why = f.why.join('; ');
  const noted = (body: string) => (f.why.length === 0 ? body : detail(f.recordsChanged ? 'settingsToo' : 'because', { body, why }));
  return (action, text) => detail('who', { who, body: action === 'other' ? text : noted(text) });
}

/** What one link of the account says now: offered or not, changed or not. */
function readLink(ctx: PlanContext, f: AccountFacts, link: Link): void {
  const s = ctx.sourceIndex.get(link.source);
  if (s === undefined) return; // a source that was removed: its links no longer count.
  const src = ctx.sources[s];
  for (const reason of src.settingsChanged ?? []) if (!f.why.includes(reason)) f.why.push(reason);
  let packed = src.records.packed(link.externalId);
  if (packed === undefined) {
    readAbsentLink(ctx, f, link, src);
    return;
  }
  let record = withRole(unpack(link.externalId, packed), src);
  if (src.partial && record.relations.length > 0) {
    // A delta names only the relations that changed: keep the ones read before (see mergeDelta).
    record = mergeDelta(unpack(link.externalId, link.record), record);
    packed = pack(record);
  }
  const write = linkWrite(ctx, link, record, packed);
  if (
    write.active !== link.active ||
    write.record !== link.record ||
    write.fp !== link.fp ||
    write.nextCheck !== link.nextCheck ||
    write.inactiveSince !== link.inactiveSince
  ) {
    f.writes.push(write);
    if (write.record !== link.record || write.active !== link.active) f.recordsChanged = true;
  }
  if (!write.active) {
    f.latestInactive.push({ since: write.inactiveSince ?? ctx.now, grace: src.graceDays });
    if (link.active) f.ended.push(`${src.name}:${link.externalId}`);
    return;
  }
  f.offered.push({ source: src, record });
  // R5: a hub-owned account that its source offers again; a source-owned one (back within its grace
  // period, or a second source coming back after the first) relinks that source.
  // Its link starts again whoever owns it: a second source that comes back a night later is a relink too.
  if (!link.active && f.account.status === 'active') f.returned.push({ link, src });
  else if (link.active) {
    const was = relationsText(unpack(link.externalId, link.record).relations);
    const is = relationsText(record.relations);
    if (was !== is) f.moved.push(detail('relationsMoved', { source: src.name, from: was, to: is }));
  }
}

/** A link whose record is not in its source's export: not offered any more, or (a delta) unchanged. */
function readAbsentLink(ctx: PlanContext, f: AccountFacts, link: Link, src: EngineSource): void {
  if (src.partial && link.active) {
    f.offered.push({ source: src, record: unpack(link.externalId, link.record) }); // a delta keeps what was read before
  } else if (src.partial || !link.active) {
    f.latestInactive.push({ since: link.inactiveSince ?? ctx.now, grace: src.graceDays });
  } else {
    f.recordsChanged = true;
    f.writes.push({ ...linkWriteFrom(link), active: false, fp: null, inactiveSince: ctx.now });
    f.latestInactive.push({ since: ctx.now, grace: src.graceDays });
    f.ended.push(`${src.name}:${link.externalId}`);
  }
}

/** The link row of a record its export holds (R2: active while offered). */
function linkWrite(ctx: PlanContext, link: Link, record: SourceRecord, packed: string): LinkWrite {
  const isOn = isOffered(record, ctx.today);
  return {
    source: link.source,
    externalId: link.externalId,
    isNew: false,
    active: isOn,
    record: packed,
    fp: fingerprint(packed),
    nextCheck: nextOfferChange(record, ctx.today),
    inactiveSince: isOn ? null : link.active ? ctx.now : (link.inactiveSince ?? ctx.now),
  };
}

function linkWriteFrom(link: Link): LinkWrite {
  return {
    source: link.source,
    externalId: link.externalId,
    isNew: false,
    active: link.active,
    record: link.record,
    fp: link.fp,
    nextCheck: link.nextCheck,
    inactiveSince: link.inactiveSince,
  };
}
