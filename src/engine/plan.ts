/**
 * The sync engine: from what the sources say and what the hub holds, the plan of changes
 * (docs/rules.md R1–R5, R11, R12, R14; lapsing of list entries, grace periods).
 *
 * It works in two steps so that a million records stay cheap:
 *  1. classify every record of every export: unchanged since the last run (its fingerprint and offer
 *     state are the same, and its source's settings did not change: nothing to do), linked to an account that must be looked at again, matched to
 *     an existing account, the start of a new account, or a conflict;
 *  2. evaluate each account that was touched (plans for existing accounts, kept in memory: these are
 *     the ones a sync can delete), and describe the new accounts lazily (`creates()`), so that an
 *     initial sync of a million records never holds a million plans.
 */
import {
  addDays,
  fingerprint as fp,
  isOffered,
  nextOfferChange,
  pack,
  packAttributes,
  unpack as unpackRecord,
  type SourceRecord,
} from '../sources/record.js';
import { displayName, type Account, type AccountStatus, type Attributes, type Link, type MatchField, type Owner } from '../model.js';
import {
  COUNT_OF,
  emptyCounts,
  type AccountPlan,
  type AccountState,
  type Change,
  type ChangeAction,
  type Counts,
  type EngineInput,
  type EngineSource,
  type LinkWrite,
} from './types.js';
import { createAfter, createDetail, detail, recordedCreate, relationsText } from './describe.js';
import { dutchDay } from '../dutch.js';
import { IntList } from './ints.js';

export interface Plan {
  /** Plans for accounts the hub already holds, in a stable order. */
  existing: AccountPlan[];
  /** Records that match more than one account (R12): nothing is created or linked for them. */
  conflicts: Change[];
  /** How many accounts `creates()` yields. */
  newAccounts: number;
  /** The plans for new accounts, made afresh on each call, always the same and in the same order. */
  creates(): IterableIterator<AccountPlan>;
  counts: Counts;
  /** Per source, how many accounts this plan deletes that were linked to it. */
  deletesBySource: Record<string, number>;
}

/** A record waiting to be attached to an account: [index of its source, externalId, slot in its export]. */
type RecordRef = [number, string, number];

const NONE: readonly number[] = [];

const NO_ATTRIBUTES: Attributes = { givenName: '', prefix: '', familyName: '', email: '', role: '' };

/**
 * Attributes that an account takes from its sources, merged by priority (R11). `offered` is ordered by
 * priority, highest first. An empty value never wins over a stated one: each attribute comes from the
 * highest-priority source that states it, and a value that no source states (an export without an email
 * column, an empty cell) keeps what the account has.
 *
 * The name is a unit around the family name: family name and prefix come from the highest-priority
 * source that states a family name, so that a prefix is never glued to another source's family name (an
 * empty prefix there is a statement: "Backer" has no tussenvoegsel). The given name comes from that same
 * source when it states one, else from the next source by priority that does. A source with a given name
 * but an empty family name does not supply the unit; when no source states a family name, the account
 * keeps its family name and prefix (a new account takes the first given name offered).
 */
export function mergeAttributes(offered: { source: EngineSource; record: SourceRecord }[], current: Attributes = NO_ATTRIBUTES): Attributes {
  // Plain loops: this runs once per new account, a million times in a first sync.
  let named: SourceRecord | undefined;
  let given: string | undefined;
  let email: string | undefined;
  let role: string | undefined;
  for (const o of offered) {
    const r = o.record;
    if (named === undefined && r.familyName !== '') named = r;
    if (given === undefined && r.givenName !== '') given = r.givenName;
    if (email === undefined && r.email !== '') email = r.email;
    if (role === undefined) {
      const value = r.role || o.source.defaultRole;
      if (value !== '') role = value;
    }
  }
  return {
    givenName: named !== undefined && named.givenName !== '' ? named.givenName : (given ?? current.givenName),
    prefix: named ? named.prefix : current.prefix,
    familyName: named ? named.familyName : current.familyName,
    email: email ?? current.email,
    role: (role ?? current.role) as Attributes['role'],
  };
}

const ATTRS: (keyof Attributes)[] = ['givenName', 'prefix', 'familyName', 'email', 'role'];

function attributeDiff(before: Attributes, after: Attributes): { before: Record<string, string>; after: Record<string, string> } | null {
  const b: Record<string, string> = {};
  const a: Record<string, string> = {};
  for (const k of ATTRS) {
    if (before[k] !== after[k]) {
      b[k] = before[k];
      a[k] = after[k];
    }
  }
  return Object.keys(a).length === 0 ? null : { before: b, after: a };
}

function describeDiff(d: { before: Record<string, string>; after: Record<string, string> }): string {
  return Object.keys(d.after)
    .map((k) => `${k}: "${d.before[k]}" → "${d.after[k]}"`)
    .join(', ');
}

function matchValue(record: SourceRecord, field: MatchField): string {
  if (field === 'email') return record.email.trim().toLowerCase();
  if (field === 'externalId') return record.externalId;
  return '';
}


export function planSync(input: EngineInput): Plan {
  const { hub, today, now } = input;
  const sources = [...input.sources].sort((a, b) => b.priority - a.priority || (a.name < b.name ? -1 : 1));
  const sourceIndex = new Map(sources.map((s, i) => [s.name, i]));
  const counts = emptyCounts();

  // ---- Step 1: classify records --------------------------------------------------------------------
  const touched = new Map<number, RecordRef[]>(); // existing account -> records newly attached to it
  const touch = (id: number): RecordRef[] => {
    let refs = touched.get(id);
    if (refs === undefined) touched.set(id, (refs = []));
    return refs;
  };
  const conflicts: Change[] = [];
  const skipped = new Set<number>();

  // New accounts, kept compact: the first record of each (its source and slot, in typed arrays: a
  // first sync has millions), and further records where several sources offer the same new person.
  const newSrc = new IntList();
  const newSlot = new IntList();
  const newRef = (n: number): RecordRef => [newSrc.at(n), sources[newSrc.at(n)].records.idAt(newSlot.at(n)), newSlot.at(n)];
  const newExtra = new Map<number, RecordRef[]>();
  // Keys of new accounts, for later sources that match on them.
  const laterMatchFields = new Set<MatchField>();
  const newByKey = new Map<MatchField, Map<string, number[]>>();
  // Accounts (existing id, or ~newIndex) that each source claimed in this run.
  const claimed: Set<number>[] = sources.map(() => new Set<number>());

  const indexNew = (n: number, record: SourceRecord) => {
    for (const field of laterMatchFields) {
      const v = matchValue(record, field);
      if (v === '') continue;
      let byKey = newByKey.get(field);
      if (byKey === undefined) newByKey.set(field, (byKey = new Map<string, number[]>()));
      const list = byKey.get(v);
      if (list === undefined) byKey.set(v, [n]);
      else if (!list.includes(n)) list.push(n);
    }
  };

  for (let s = 0; s < sources.length; s++) {
    const src = sources[s];
    laterMatchFields.clear();
    for (let t = s + 1; t < sources.length; t++) if (sources[t].match !== 'none') laterMatchFields.add(sources[t].match);
    const records = src.records;
    // A settings change (priority, kind, map…) can change what unchanged records mean: look again.
    const settingsChanged = (src.settingsChanged?.length ?? 0) > 0;

    // Records the hub already links, in one pass over the source's links (no second index of a
    // million keys): R12, the (source, externalId) link comes first, even an inactive one, even to a
    // deleted account. A record whose fingerprint and offer state did not change needs nothing.
    const linked = new Uint8Array(records.size);
    hub.eachLink(src.name, (id, link) => {
      const slot = records.slotOf(id);
      if (slot < 0) {
        // The record is gone from the export: its account must be looked at again (not for a delta,
        // where absent records keep their state).
        if (link.active && !src.partial) touch(link.accountId);
        return;
      }
      linked[slot] = 1;
      const unchanged =
        !settingsChanged &&
        link.fp !== null &&
        link.fp === records.fingerprintAt(slot) &&
        (link.nextCheck === null || link.nextCheck > today) &&
        !(link.accountDeleted && link.active);
      if (!unchanged) touch(link.accountId);
      else if (!link.accountDeleted) {
        // `unchanged` counts accounts, not records: with one source they are the same.
        if (sources.length === 1) counts.unchanged++;
        else skipped.add(link.accountId);
      }
      // (No need to claim a linked account: candidates() never offers an account linked to this source.)
    });

    // The other records, in the order of the export: new people, or people to match (R1, R12).
    const canMatchExisting = src.match !== 'none' && hub.hasCandidates(src.name);
    // Whether a record's key can meet another's: an account that can match, a new account of an
    // earlier source, or one of this source that a later source matches on (and that this source must
    // then not claim twice). In a first sync from one source none can: every record is a new account,
    // and neither the key nor the claim is worth making a million times.
    const keyed = canMatchExisting || newByKey.has(src.match) || laterMatchFields.has(src.match);
    let slot = -1;
    for (const id of records.ids()) {
      if (linked[++slot] === 1) continue;
      const record = withRole(unpackRecord(id, records.packedAt(slot)), src);
      if (!isOffered(record, today)) continue; // R2: not offered, so nothing to create or link.
      const key = keyed ? matchValue(record, src.match) : '';
      if (key === '') {
        const n = newSrc.push(s) - 1;
        newSlot.push(slot);
        indexNew(n, record);
        continue;
      }
      const existing = canMatchExisting ? hub.candidates(src.name, src.match, key) : NONE;
      const sameKey = newByKey.get(src.match)?.get(key);
      const fresh = sameKey === undefined ? NONE : sameKey.filter((n) => !claimed[s].has(~n));
      if (existing.length === 0 && fresh.length === 0) {
        // Nobody has this key yet: a new account (the first sync takes this path a million times).
        const n = newSrc.push(s) - 1;
        newSlot.push(slot);
        claimed[s].add(~n);
        indexNew(n, record);
        continue;
      }
      const all = [...existing.map((a) => ({ existing: a })), ...fresh.map((n) => ({ fresh: n }))];
      const taken = existing.filter((a) => claimed[s].has(a));
      if (all.length > 1 || taken.length > 0) {
        const names = [
          ...existing.map((a) => detail(claimed[s].has(a) ? 'candidateClaimed' : 'candidate', { id: a })),
          ...fresh.map((n) => detail('candidateNew', { ref: `${sources[newSrc.at(n)].name}:${newRef(n)[1]}` })),
        ];
        conflicts.push({
          action: 'conflict',
          accountKey: null,
          source: src.name,
          externalId: id,
          detail: detail('conflict', { name: displayName(record), field: src.match, key, candidates: names.join(' and ') }),
        });
        counts.conflicts++;
        continue;
      }
      const one = all[0];
      if (one === undefined) {
        const n = newSrc.push(s) - 1;
        newSlot.push(slot);
        claimed[s].add(~n);
        indexNew(n, record);
      } else if ('existing' in one) {
        touch(one.existing).push([s, id, slot]);
        claimed[s].add(one.existing);
      } else {
        let extra = newExtra.get(one.fresh);
        if (extra === undefined) newExtra.set(one.fresh, (extra = []));
        extra.push([s, id, slot]);
        claimed[s].add(~one.fresh);
      }
    }
  }
  // Accounts kept alive by the list or waiting out a grace period, and lapsed list entries.
  for (const id of hub.unofferedAccountIds()) touch(id);
  for (const id of hub.lapsedExceptionIds(today)) touch(id);

  // ---- Step 2: evaluate ----------------------------------------------------------------------------
  const ctx: EvalContext = { input, sources, sourceIndex, today, now };
  const existing: AccountPlan[] = [];
  const deletesBySource: Record<string, number> = {};
  for (const [accountId, attached] of touched) {
    const plan = evaluateExisting(ctx, accountId, attached);
    if (plan.changes.length === 0 && plan.after === null && plan.links.length === 0 && !plan.unlist) {
      counts.unchanged++;
      continue;
    }
    countAccount(counts, plan.changes);
    if (plan.changes.some((c) => c.action === 'delete')) {
      for (const l of hub.linksOf(accountId)) deletesBySource[l.source] = (deletesBySource[l.source] ?? 0) + 1;
    }
    existing.push(plan);
  }
  for (const id of skipped) if (!touched.has(id)) counts.unchanged++;
  counts.created += newSrc.length;

  function* creates(): IterableIterator<AccountPlan> {
    for (let n = 0; n < newSrc.length; n++) {
      const refs: RecordRef[] = [newRef(n), ...(newExtra.get(n) ?? [])];
      yield planNew(ctx, ~n, refs);
    }
  }

  return { existing, conflicts, newAccounts: newSrc.length, creates, counts, deletesBySource };
}

/**
 * What counts an account once, as its strongest change: an account that returns in two sources and
 * gets new attributes in the same night is one relinked account, not two relinks and an update. A lapsed
 * list entry is counted on its own (it is about the list, not the account): lapsed and deleted together
 * count once in each.
 */
const STRENGTH: ChangeAction[] = ['revive', 'delete', 'relink', 'protect', 'pending', 'update'];

export function strongestChange(changes: readonly Change[]): ChangeAction | null {
  for (const action of STRENGTH) if (changes.some((c) => c.action === action)) return action;
  return null;
}

function countAccount(counts: Counts, changes: readonly Change[]): void {
  for (const c of changes) if (c.action === 'lapse') counts.lapsed++;
  const strongest = strongestChange(changes);
  if (strongest === null) counts.unchanged++;
  else counts[COUNT_OF[strongest]]++;
}

interface EvalContext {
  input: EngineInput;
  sources: EngineSource[];
  sourceIndex: Map<string, number>;
  today: string;
  now: string;
}

/** An account as it will be (a literal, not a spread: this runs a million times in a first sync). */
function accountState(a: Attributes, status: AccountStatus, owner: Owner, notOfferedSince: string | null): AccountState {
  return { givenName: a.givenName, prefix: a.prefix, familyName: a.familyName, email: a.email, role: a.role, status, owner, notOfferedSince };
}

function withRole(r: SourceRecord, src: EngineSource): SourceRecord {
  if (r.role === '' && src.defaultRole !== '') r.role = src.defaultRole;
  return r;
}

function newLinkWrite(ctx: EvalContext, src: EngineSource, record: SourceRecord, packed: string, offered: boolean): LinkWrite {
  return {
    source: src.name,
    externalId: record.externalId,
    isNew: true,
    active: offered,
    record: packed,
    fp: fp(packed),
    nextCheck: nextOfferChange(record, ctx.today),
    inactiveSince: offered ? null : ctx.now,
  };
}

/** A new account from the records that offer it (R1). */
function planNew(ctx: EvalContext, key: number, refs: RecordRef[]): AccountPlan {
  const offered: { source: EngineSource; record: SourceRecord }[] = [];
  const links: LinkWrite[] = [];
  const linkNames: string[] = [];
  let also = '';
  for (const [s, id, slot] of refs) {
    const src = ctx.sources[s];
    const packed = src.records.packedAt(slot);
    const record = withRole(unpackRecord(id, packed), src);
    if (offered.length > 0) also = detail('alsoLinked', { body: also, ref: `${src.name}:${id}`, field: src.match });
    offered.push({ source: src, record });
    links.push(newLinkWrite(ctx, src, record, packed, true));
    linkNames.push(`${src.name}:${id}`);
  }
  const attrs = mergeAttributes(offered);
  const first = offered[0];
  const after = accountState(attrs, 'active', 'source', null);
  const change: Change =
    offered.length === 1
      ? // The common case, a million times in a first sync: stored as its record (describe.ts).
        { action: 'create', accountKey: key, source: first.source.name, externalId: first.record.externalId, detail: '', record: recordedCreate(attrs, links[0].record) }
      : {
          action: 'create',
          accountKey: key,
          source: first.source.name,
          externalId: first.record.externalId,
          detail: createDetail(attrs, first.record.relations, also),
          after: createAfter(attrs, linkNames),
        };
  return { key, before: null, after, links, unlist: false, changes: [change] };
}

/** One account the hub holds, with the records newly attached to it. */
function evaluateExisting(ctx: EvalContext, accountId: number, attached: RecordRef[]): AccountPlan {
  const { hub } = ctx.input;
  const { today, now } = ctx;
  const account = hub.account(accountId);
  const links = hub.linksOf(accountId);
  const entry = hub.exception(accountId);
  const changes: Change[] = [];
  const writes: LinkWrite[] = [];
  let unlist = false;

  // Lapsed list entries leave the list before deletions are decided.
  let listed = entry !== undefined;
  if (entry !== undefined && entry.until !== null && entry.until < today) {
    listed = false;
    unlist = true;
    changes.push({
      action: 'lapse',
      accountKey: accountId,
      source: null,
      externalId: null,
      detail: detail('lapse', { until: entry.until, reason: entry.reason }),
      before: { reason: entry.reason, until: entry.until },
    });
  }

  const offered: { source: EngineSource; record: SourceRecord }[] = [];
  const returned: { link: Link; src: EngineSource }[] = [];
  const moved: string[] = [];
  // Links that stop being offered this run: each one is said in the audit trail.
  const ended: string[] = [];
  const latestInactive: { since: string; grace: number }[] = [];
  // Why the account is looked at although its records may be the same: its sources' settings changed.
  const why: string[] = [];
  let recordsChanged = attached.length > 0;
  for (const link of links) {
    const s = ctx.sourceIndex.get(link.source);
    if (s === undefined) continue; // a source that was removed: its links no longer count.
    const src = ctx.sources[s];
    for (const reason of src.settingsChanged ?? []) if (!why.includes(reason)) why.push(reason);
    const present = src.records.has(link.externalId);
    if (!present) {
      if (src.partial) {
        if (link.active) offered.push({ source: src, record: unpackRecord(link.externalId, link.record) }); // a delta keeps what was read before
        else latestInactive.push({ since: link.inactiveSince ?? now, grace: src.graceDays });
        continue;
      }
      if (link.active) {
        recordsChanged = true;
        writes.push({ ...linkWriteFrom(link), active: false, fp: null, inactiveSince: now });
        latestInactive.push({ since: now, grace: src.graceDays });
        ended.push(`${src.name}:${link.externalId}`);
      } else {
        latestInactive.push({ since: link.inactiveSince ?? now, grace: src.graceDays });
      }
      continue;
    }
    let packed = src.records.packed(link.externalId)!;
    let record = withRole(unpackRecord(link.externalId, packed), src);
    if (src.partial && record.relations.length > 0) {
      // A delta names only the relations that changed: keep the ones read before (see mergeDelta).
      record = mergeDelta(unpackRecord(link.externalId, link.record), record);
      packed = pack(record);
    }
    const isOn = isOffered(record, today);
    const write: LinkWrite = {
      source: link.source,
      externalId: link.externalId,
      isNew: false,
      active: isOn,
      record: packed,
      fp: fp(packed),
      nextCheck: nextOfferChange(record, today),
      inactiveSince: isOn ? null : link.active ? now : (link.inactiveSince ?? now),
    };
    if (
      write.active !== link.active ||
      write.record !== link.record ||
      write.fp !== link.fp ||
      write.nextCheck !== link.nextCheck ||
      write.inactiveSince !== link.inactiveSince
    ) {
      writes.push(write);
      if (write.record !== link.record || write.active !== link.active) recordsChanged = true;
    }
    if (isOn) {
      offered.push({ source: src, record });
      // R5: a hub-owned account that its source offers again; a source-owned one (back within its grace
      // period, or a second source coming back after the first) relinks that source.
      // Its link starts again whoever owns it: a second source that comes back a night later is a relink too.
      if (!link.active && account.status === 'active') returned.push({ link, src });
      else if (link.active) {
        const was = relationsText(unpackRecord(link.externalId, link.record).relations);
        const is = relationsText(record.relations);
        if (was !== is) moved.push(detail('relationsMoved', { source: src.name, from: was, to: is }));
      }
    } else {
      latestInactive.push({ since: write.inactiveSince ?? now, grace: src.graceDays });
      if (link.active) ended.push(`${src.name}:${link.externalId}`);
    }
  }
  const matched: { source: EngineSource; record: SourceRecord }[] = [];
  for (const [s, id, slot] of attached) {
    const src = ctx.sources[s];
    const packed = src.records.packedAt(slot);
    const record = withRole(unpackRecord(id, packed), src);
    writes.push(newLinkWrite(ctx, src, record, packed, true));
    offered.push({ source: src, record });
    matched.push({ source: src, record });
  }
  offered.sort((a, b) => ctx.sourceIndex.get(a.source.name)! - ctx.sourceIndex.get(b.source.name)!);

  const current: AccountState = {
    givenName: account.givenName,
    prefix: account.prefix,
    familyName: account.familyName,
    email: account.email,
    role: account.role,
    status: account.status,
    owner: account.owner,
    notOfferedSince: account.notOfferedSince,
  };
  let after: AccountState | null = null;

  if (offered.length > 0) {
    const attrs = mergeAttributes(offered, current);
    const next = accountState(attrs, 'active', 'source', null);
    const first = offered[0];
    if (account.status === 'deleted') {
      // R14: the same identity comes back, owned by its source, not listed.
      changes.push({
        action: 'revive',
        accountKey: accountId,
        source: first.source.name,
        externalId: first.record.externalId,
        detail: detail('revive', { sources: offered.map((o) => o.source.name).join(', '), at: account.deletedAt ?? '' }),
        before: { status: 'deleted' },
        after: { status: 'active', owner: 'source' },
      });
    } else {
      for (const r of returned) {
        changes.push({
          action: 'relink',
          accountKey: accountId,
          source: r.src.name,
          externalId: r.link.externalId,
          detail:
            account.owner === 'hub'
              ? detail(listed ? 'relinkListed' : 'relinkOwned', { source: r.src.name })
              : detail('relinkActive', { source: r.src.name, ref: `${r.src.name}:${r.link.externalId}` }),
        });
      }
      for (const m of matched) {
        changes.push({
          action: 'relink',
          accountKey: accountId,
          source: m.source.name,
          externalId: m.record.externalId,
          detail: detail(account.owner === 'hub' ? 'linkedOwned' : 'linked', { ref: `${m.source.name}:${m.record.externalId}`, field: m.source.match }),
        });
      }
    }
    const diff = attributeDiff(current, attrs);
    const endedText = ended.map((l) => detail('noLongerOffered', { ref: l }));
    if ((diff !== null || moved.length > 0 || ended.length > 0) && account.status === 'active') {
      changes.push({
        action: 'update',
        accountKey: accountId,
        source: first.source.name,
        externalId: first.record.externalId,
        detail: [...(diff === null ? [] : [describeDiff(diff)]), ...moved, ...endedText].join('; '),
        before: diff?.before,
        after: diff?.after,
      });
    }
    if (!sameState(current, next)) after = next;
  } else if (account.status === 'active') {
    const since = account.notOfferedSince ?? now;
    if (listed) {
      // R4: kept because listed; the hub owns it.
      changes.push({
        action: 'protect',
        accountKey: accountId,
        source: null,
        externalId: null,
        detail: detail('protect', { since: dutchDay(since), reason: entry!.reason }),
      });
      const next = accountState(current, current.status, 'hub', since);
      if (!sameState(current, next)) after = next;
    } else if (links.length > 0) {
      const due = latestInactive.reduce((max, l) => {
        const d = addDaysIso(dutchDay(l.since), l.grace);
        return d > max ? d : max;
      }, '');
      if (due <= today) {
        // R1, R3: no source offers it any more.
        changes.push({
          action: 'delete',
          accountKey: accountId,
          source: null,
          externalId: null,
          detail: detail('delete', { refs: links.map((l) => `${l.source}:${l.externalId}`).join(', ') }),
          before: { status: 'active' },
          after: { status: 'deleted' },
        });
        after = accountState(current, 'deleted', current.owner, since);
        if (entry !== undefined) unlist = true;
      } else {
        changes.push({
          action: 'pending',
          accountKey: accountId,
          source: null,
          externalId: null,
          detail: detail('pending', { since: dutchDay(since), due }),
        });
        const next = accountState(current, current.status, current.owner, since);
        if (!sameState(current, next)) after = next;
      }
    }
  }
  if (why.length > 0) explainSettings(changes, why, recordsChanged);
  // Name the person in every change, as the account was before this run.
  const who = displayName(account) || `account ${accountId}`;
  for (const c of changes) c.detail = detail('who', { who, body: c.detail });
  return { key: accountId, before: account, after, links: writes, unlist, changes };
}

/**
 * Says in the changes of an account that its sources' settings changed since the last sync: the cause
 * when its records did not change, else as well as that.
 */
function explainSettings(changes: Change[], why: string[], recordsChanged: boolean): void {
  const kind = recordsChanged ? 'settingsToo' : 'because';
  for (const c of changes) if (c.action === 'update' || c.action === 'delete' || c.action === 'pending') c.detail = detail(kind, { body: c.detail, why: why.join('; ') });
}

function sameState(a: AccountState, b: AccountState): boolean {
  return (
    packAttributes(a) === packAttributes(b) && a.status === b.status && a.owner === b.owner && a.notOfferedSince === b.notOfferedSince
  );
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

/**
 * A delta export's record with relations: its attributes, and its relations added to those read before
 * (a delta lists only the enrollments that changed). A record without relations in a delta (a user
 * marked tobedeleted) is not merged: it is not offered. Removing one relation needs a bulk export.
 */
export function mergeDelta(stored: SourceRecord, delta: SourceRecord): SourceRecord {
  const key = (r: SourceRecord['relations'][number]) => `${r.organisation}\x1f${r.group}`;
  const byKey = new Map(stored.relations.map((r) => [key(r), r]));
  for (const r of delta.relations) byKey.set(key(r), r);
  // An organisation-only relation adds nothing where a group in that organisation is known.
  const relations = [...byKey.values()].filter((r) => r.group !== '' || ![...byKey.values()].some((o) => o.organisation === r.organisation && o.group !== ''));
  return { ...delta, relations };
}


function addDaysIso(date: string, days: number): string {
  return days === 0 ? date : addDays(date, days);
}

export type { Account };
