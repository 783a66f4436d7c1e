/**
 * Step 1 of a sync plan: classify every record of every export, in priority order. A record is
 * unchanged since the last run (its fingerprint and offer state are the same, and its source's settings
 * did not change: nothing to do), linked to an account that must be looked at again, matched to an
 * existing account (R12), the start of a new account (R1), joined to a new account of an earlier
 * source, or a conflict (R12: more than one candidate).
 */
import { detail } from './describe.js';
import { displayName, type MatchField } from '../model.js';
import { unpack, type SourceRecord } from '../sources/record.js';
import { withRole } from './attributes.js';
import { matchValue, NewAccounts, type RecordRef } from './newaccounts.js';
import { isOffered } from './offer.js';
import type { Change, EngineSource, HubView } from './types.js';

export interface Classified {
  /** Existing accounts to evaluate, with the records newly matched to them. */
  touched: Map<number, RecordRef[]>;
  /** Records that match more than one account (R12). */
  conflicts: Change[];
  fresh: NewAccounts;
  /** Accounts whose records did not change, with several sources (counted once each, if not touched). */
  skipped: Set<number>;
  /** Accounts whose record did not change, with one source (one record, one account). */
  unchanged: number;
}

const NONE: readonly number[] = [];

/** What one source claimed in this run: an account may be matched by one record of a source only. */
class Claims {
  readonly existing = new Set<number>();
  readonly fresh = new Set<number>();
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

  constructor(
    private readonly sources: readonly EngineSource[],
    private readonly hub: HubView,
    private readonly today: string,
  ) {
    this.result = { touched: new Map(), conflicts: [], fresh: new NewAccounts(sources), skipped: new Set(), unchanged: 0 };
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
      // (No need to claim a linked account: candidates() never offers an account linked to this source.)
    });
    return linked;
  }

  /** The other records, in the order of the export: new people, or people to match (R1, R12). */
  private classifyUnlinked(s: number, linked: Uint8Array): void {
    const src = this.sources[s];
    const later = laterMatchFields(this.sources, s);
    const canMatchExisting = src.match !== 'none' && this.hub.hasCandidates(src.name);
    // Whether a record's key can meet another's: an account that can match, a new account of an
    // earlier source, or one of this source that a later source matches on (and that this source must
    // then not claim twice). In a first sync from one source none can: every record is a new account,
    // and neither the key nor the claim is worth making a million times.
    const keyed = canMatchExisting || this.result.fresh.keyedOn(src.match) || later.has(src.match);
    const claims = new Claims();
    // By slot: the externalId of a linked record (all of them, on a quiet night) is never decoded.
    for (let slot = 0; slot < src.records.size; slot++) {
      if (linked[slot] === 1) continue;
      const id = src.records.idAt(slot);
      const record = withRole(unpack(id, src.records.packedAt(slot)), src);
      if (!isOffered(record, this.today)) continue; // R2: not offered, so nothing to create or link.
      const key = keyed ? matchValue(record, src.match) : '';
      if (key === '') this.result.fresh.add(s, slot, record, later);
      else this.match({ source: s, externalId: id, slot }, record, key, canMatchExisting, claims, later);
    }
  }

  /** R12: a record with a match key, against existing accounts and new accounts of earlier sources. */
  private match(ref: RecordRef, record: SourceRecord, key: string, canMatchExisting: boolean, claims: Claims, later: ReadonlySet<MatchField>): void {
    const src = this.sources[ref.source];
    const fresh = this.result.fresh;
    const existing = canMatchExisting ? this.hub.candidates(src.name, src.match, key) : NONE;
    const sameKey = fresh.withKey(src.match, key);
    const unclaimed = sameKey === undefined ? NONE : sameKey.filter((n) => !claims.fresh.has(n));
    if (existing.length === 0 && unclaimed.length === 0) {
      // Nobody has this key yet: a new account (the first sync takes this path a million times).
      claims.fresh.add(fresh.add(ref.source, ref.slot, record, later));
      return;
    }
    const taken = existing.some((a) => claims.existing.has(a));
    if (existing.length + unclaimed.length > 1 || taken) {
      this.result.conflicts.push(this.conflict(ref, record, key, existing, unclaimed, claims));
    } else if (existing.length === 1) {
      this.touch(existing[0]).push(ref);
      claims.existing.add(existing[0]);
    } else {
      fresh.attach(unclaimed[0], ref);
      claims.fresh.add(unclaimed[0]);
    }
  }

  private conflict(ref: RecordRef, record: SourceRecord, key: string, existing: readonly number[], fresh: readonly number[], claims: Claims): Change {
    const src = this.sources[ref.source];
    const names = [
      ...existing.map((a) => detail(claims.existing.has(a) ? 'candidateClaimed' : 'candidate', { id: a })),
      ...fresh.map((n) => detail('candidateNew', { ref: this.result.fresh.nameOf(n) })),
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
