/**
 * Step 1 of a sync plan: classify every record of every export, in priority order. A record is
 * unchanged since the last run (its fingerprint and offer state are the same, and its source's settings
 * did not change: nothing to do), linked to an account that must be looked at again, matched to an
 * existing account (R12), the start of a new account (R1), joined to a new account of an earlier
 * source, or a conflict (R12: more than one candidate, or one that another record of the same source holds).
 */
import { detail } from './describe.js';
import { displayName, type MatchField } from '../model.js';
import { unpack, type SourceRecord } from '../sources/record.js';
import { withRole } from './attributes.js';
import { emailKey, matchValue, NewAccounts, type RecordRef } from './newaccounts.js';
import { isOffered } from './offer.js';
import { asciiKeyHash, hashKey, OwnKeys } from './ownkeys.js';
import type { Candidates, Change, EngineSource, HubView } from './types.js';

export interface Classified {
  /** Existing accounts to evaluate, with the records newly matched to them. */
  touched: Map<number, RecordRef[]>;
  /** Records that match more than one account, or one that another record of their source holds (R12). */
  conflicts: Change[];
  fresh: NewAccounts;
  /** Accounts whose records did not change, with several sources (counted once each, if not touched). */
  skipped: Set<number>;
  /** Accounts whose record did not change, with one source (one record, one account). */
  unchanged: number;
  /**
   * New accounts that a source not matching on email started with an address, where the hub has an active
   * account: holders.ts asks whether one holds that address after this run (none in a first sync).
   */
  addressed: number[];
}

const NONE: readonly number[] = [];
const NO_CANDIDATES: Candidates = { open: [], claimed: [] };

/** What one source claimed in this run: an account may be matched by one record of a source only. */
class Claims {
  readonly existing = new Set<number>();
  readonly fresh = new Set<number>();
}

/** What matching the records of one source shares. */
interface MatchRun {
  canMatchExisting: boolean;
  claims: Claims;
  later: ReadonlySet<MatchField>;
  /** The keys of the new accounts this source started (email only: an externalId never repeats). */
  own: OwnKeys | null;
}

/** The accounts a record's key met: existing ones free or held by another record, new ones free or taken. */
interface Found {
  open: readonly number[];
  heldBy: ReadonlyMap<number, string>;
  unclaimed: readonly number[];
  freshTaken: ReadonlySet<number>;
}

export function classifyRecords(sources: readonly EngineSource[], hub: HubView, today: string): Classified {
  const c = new Classifier(sources, hub, today);
  for (let s = 0; s < sources.length; s++) c.classifySource(s);
  // Accounts kept alive by the list or waiting out a grace period, and lapsed list entries.
  for (const id of hub.unofferedAccountIds()) c.touch(id);
  for (const id of hub.lapsedExceptionIds(today)) c.touch(id);
  return c.result;
}

class Classifier {
  readonly result: Classified;
  /** The addresses of the new accounts that sources not matching on email started in this run. */
  private readonly addresses = new OwnKeys();
  /** The addresses of all new accounts of this run: `addresses`, and each email source's own keys (its MatchRun's). */
  private readonly addressTables: OwnKeys[] = [this.addresses];

  constructor(
    private readonly sources: readonly EngineSource[],
    private readonly hub: HubView,
    private readonly today: string,
  ) {
    this.result = { touched: new Map(), conflicts: [], fresh: new NewAccounts(sources), skipped: new Set(), unchanged: 0, addressed: [] };
  }

  /** The records newly attached to an existing account, which is evaluated in step 2. */
  touch(id: number): RecordRef[] {
    let refs = this.result.touched.get(id);
    if (refs === undefined) this.result.touched.set(id, (refs = []));
    return refs;
  }

  classifySource(s: number): void {
    const linked = this.classifyLinked(s);
    this.classifyUnlinked(s, linked);
  }

  /**
   * Records the hub already links, in one pass over the source's links (no second index of a million
   * keys): R12, the (source, externalId) link comes first, even an inactive one, even to a deleted
   * account. A record whose fingerprint and offer state did not change needs nothing. Returns, per slot,
   * 1 where the record is linked.
   */
  private classifyLinked(s: number): Uint8Array {
    const src = this.sources[s];
    const records = src.records;
    // A settings change (priority, kind, map…) can change what unchanged records mean: look again.
    const settingsChanged = (src.settingsChanged?.length ?? 0) > 0;
    const linked = new Uint8Array(records.size);
    // The links come in the order of their externalIds, which is often the export's too: try the slot
    // after the last one found before hashing the externalId.
    let next = 0;
    this.hub.eachLink(src.name, this.today, (id, link) => {
      const slot = records.slotOf(id, next);
      if (slot >= 0) next = slot + 1;
      if (slot < 0) {
        // Gone from the export: its account must be looked at again (not for a delta, where absent
        // records keep their state).
        if (link.active && !src.partial) this.touch(link.accountId);
        return;
      }
      linked[slot] = 1;
      const unchanged =
        !settingsChanged && link.fp !== null && link.fp === records.fingerprintAt(slot) && !link.checkDue && !(link.accountDeleted && link.active);
      if (!unchanged) this.touch(link.accountId);
      else if (!link.accountDeleted) {
        // `unchanged` counts accounts, not records: with one source they are the same.
        if (this.sources.length === 1) this.result.unchanged++;
        else this.result.skipped.add(link.accountId);
      }
      // (No need to claim a linked account here: candidates() reports an account with an active link to
      // this source as held, and matching it is then a conflict, R12.)
    });
    return linked;
  }

  /** The other records, in the order of the export: new people, or people to match (R1, R12). */
  private classifyUnlinked(s: number, linked: Uint8Array): void {
    const src = this.sources[s];
    const later = laterMatchFields(this.sources, s);
    const canMatchExisting = src.match !== 'none' && this.hub.hasCandidates();
    // A second record of this source with the key of a new account that a first one started is a
    // conflict (R12), so an email is keyed in every run, also a first sync (in memory: OwnKeys). An
    // externalId is unique within its source: it is keyed only where it can meet an account, a new
    // account of an earlier source, or one of this source that a later source matches on (and that this
    // source must then not claim twice). In a first sync into an empty hub nothing is asked per record.
    const own = src.match === 'email' ? new OwnKeys(src.records.size - countOf(linked)) : null;
    if (own !== null) this.addressTables.push(own);
    const keyed = own !== null || canMatchExisting || this.result.fresh.keyedOn(src.match) || later.has(src.match);
    const run: MatchRun = { canMatchExisting, claims: new Claims(), later, own };
    // Where the key can only meet the new accounts of this source's own records (a first sync into an
    // empty hub: no account to match, no earlier or later source on this key), a key not seen before is
    // a new account at once; one seen before goes the whole way below and is a conflict.
    const ownOnly = own !== null && !canMatchExisting && !this.result.fresh.keyedOn(src.match) && !later.has(src.match);
    // By slot: the externalId of a linked record (all of them, on a quiet night) is never decoded.
    for (let slot = 0; slot < src.records.size; slot++) {
      if (linked[slot] === 1) continue;
      const id = src.records.idAt(slot);
      const record = withRole(unpack(id, src.records.packedAt(slot)), src);
      if (!isOffered(record, this.today)) continue; // R2: not offered, so nothing to create or link.
      if (ownOnly && this.newOwnKey(own, s, slot, record, later)) continue;
      const key = keyed ? matchValue(record, src.match) : '';
      if (key === '') this.addNew({ source: s, externalId: id, slot }, record, later);
      else this.match({ source: s, externalId: id, slot }, record, key, run);
    }
  }

  /**
   * A first sync's usual record: an email of plain ASCII that no earlier record of its source had is a
   * new account, keyed by its hash without making the key (a million times). False when the record must
   * go the whole way: another email, or one seen before (a conflict, R12).
   */
  private newOwnKey(own: OwnKeys, s: number, slot: number, record: SourceRecord, later: ReadonlySet<MatchField>): boolean {
    const h = asciiKeyHash(record.email);
    if (h === null || own.findHash(h, (n) => this.keyOfNew(n, 'email') === record.email.toLowerCase()) >= 0) return false;
    own.addHash(h, this.result.fresh.add(s, slot, record, later));
    return true;
  }

  /**
   * R12: a record with a match key, against existing accounts and new accounts of earlier sources. Any
   * account that another record of this source holds (an active link, or a claim made in this run,
   * or a new account that one of its records started) makes it a conflict, every night alike.
   */
  private match(ref: RecordRef, record: SourceRecord, key: string, run: MatchRun): void {
    const src = this.sources[ref.source];
    const fresh = this.result.fresh;
    const found = run.canMatchExisting ? this.hub.candidates(src.name, src.match, key) : NO_CANDIDATES;
    const heldBy = new Map<number, string>();
    const open = [...found.open];
    for (const a of found.claimed) {
      const holder = this.claimant(src, a);
      if (holder === null)
        open.push(a); // its record left the export tonight: free again (R5)
      else heldBy.set(a, holder);
    }
    const sameKey = fresh.withKey(src.match, key) ?? NONE;
    const freshTaken = new Set(sameKey.filter((n) => run.claims.fresh.has(n)));
    const mine = run.own === null ? -1 : run.own.find(key, (n) => this.keyOfNew(n, src.match) === key);
    if (mine >= 0) freshTaken.add(mine);
    const unclaimed = sameKey.filter((n) => !run.claims.fresh.has(n));
    const held = heldBy.size + freshTaken.size + open.filter((a) => run.claims.existing.has(a)).length;
    if (held === 0 && open.length + unclaimed.length === 0) {
      // Nobody has this key yet: a new account (the first sync takes this path a million times).
      const n = this.addNew(ref, record, run.later);
      if (n < 0) return;
      run.claims.fresh.add(n);
      run.own?.add(key, n);
    } else if (held > 0 || open.length + unclaimed.length > 1) {
      this.result.conflicts.push(this.conflict(ref, record, key, { open, heldBy, unclaimed, freshTaken }, run.claims));
    } else if (open.length === 1) {
      this.touch(open[0]).push(ref);
      run.claims.existing.add(open[0]);
    } else {
      fresh.attach(unclaimed[0], ref);
      run.claims.fresh.add(unclaimed[0]);
    }
  }

  /**
   * A new account from its first record; returns its index, or -1 where it is not made. R12 with R11: a
   * source that does not match on email (none, externalId) never looks at the address, so a record of it
   * starts an account only with an address that no new account of this run has (the email sources' own
   * keys, and `addresses`): else it is a conflict naming that account. Whether an account of the hub holds
   * it is asked after evaluation (holders.ts), and only where the hub has an active account.
   */
  private addNew(ref: RecordRef, record: SourceRecord, later: ReadonlySet<MatchField>): number {
    const fresh = this.result.fresh;
    const source = this.sources[ref.source].name;
    if (this.sources[ref.source].match === 'email') return fresh.add(ref.source, ref.slot, record, later);
    const h = asciiKeyHash(record.email) ?? (emailKey(record.email) === '' ? null : hashKey(emailKey(record.email)));
    if (h === null) return fresh.add(ref.source, ref.slot, record, later);
    const same = (n: number) => this.keyOfNew(n, 'email') === emailKey(record.email);
    for (const own of this.addressTables) {
      const taker = own.findHash(h, same);
      if (taker < 0) continue;
      const params = { name: displayName(record), ref: `${source}:${ref.externalId}`, email: record.email, holder: fresh.nameOf(taker) };
      this.result.conflicts.push({ action: 'conflict', accountKey: null, source, externalId: ref.externalId, detail: detail('newAddressNew', params) });
      return -1;
    }
    const n = fresh.add(ref.source, ref.slot, record, later);
    this.addresses.addHash(h, n);
    if (this.hub.hasCandidates()) this.result.addressed.push(n);
    return n;
  }

  /**
   * The record (`source:externalId`) of `src` that holds account `a` by an active link and is still in
   * the export (for a delta, absent records keep their links); null when every such record left it.
   */
  private claimant(src: EngineSource, a: number): string | null {
    for (const l of this.hub.linksOf(a)) {
      if (l.source === src.name && l.active && (src.partial || src.records.slotOf(l.externalId) >= 0)) return `${src.name}:${l.externalId}`;
    }
    return null;
  }

  /** The match key of the n-th new account's first record. */
  private keyOfNew(n: number, field: MatchField): string {
    const first = this.result.fresh.first(n);
    return matchValue(unpack(first.externalId, this.sources[first.source].records.packedAt(first.slot)), field);
  }

  private conflict(ref: RecordRef, record: SourceRecord, key: string, found: Found, claims: Claims): Change {
    const src = this.sources[ref.source];
    const names = [
      ...[...found.heldBy].map(([a, holder]) => detail('candidateLinked', { id: a, ref: holder })),
      ...found.open.map((a) => detail(claims.existing.has(a) ? 'candidateClaimed' : 'candidate', { id: a })),
      ...[...found.freshTaken].map((n) => detail('candidateNewClaimed', { ref: this.result.fresh.nameOf(n) })),
      ...found.unclaimed.map((n) => detail('candidateNew', { ref: this.result.fresh.nameOf(n) })),
    ];
    return {
      action: 'conflict',
      accountKey: null,
      source: src.name,
      externalId: ref.externalId,
      detail: detail('conflict', { name: displayName(record), field: src.match, key, candidates: names.join(' and ') }),
    };
  }
}

/** The keys that sources after the s-th match on: a new account of this source is indexed by them. */
function laterMatchFields(sources: readonly EngineSource[], s: number): Set<MatchField> {
  const fields = new Set<MatchField>();
  for (let t = s + 1; t < sources.length; t++) if (sources[t].match !== 'none') fields.add(sources[t].match);
  return fields;
}

/** How many records of a source are linked (the 1s of `linked`). */
function countOf(linked: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < linked.length; i++) n += linked[i];
  return n;
}
