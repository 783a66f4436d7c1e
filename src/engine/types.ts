/**
 * The sync engine's inputs and outputs. The engine (plan.ts) is pure: it reads what the sources say
 * (EngineSource) and what the hub holds (HubView), and returns a plan; it writes nothing. Applying a
 * plan is the store's job (src/store/apply.ts), in one transaction.
 */
import type { Account, Attributes, ExceptionEntry, Link, MatchField, Owner, AccountStatus } from '../model.js';
import type { Role, SourceRecord } from '../sources/record.js';

/** The records of one export, as collected (src/sources/collect.ts implements this). */
export interface ExportRecords {
  readonly size: number;
  /** The externalIds, in the order of the export; the n-th is in slot n. */
  ids(): Iterable<string>;
  has(externalId: string): boolean;
  /**
   * The slot of a record (0 … size - 1), or -1. `guess`: a slot it may well be in (the one after the
   * last found, when the records are asked for in the export's order), tried before the lookup.
   */
  slotOf(externalId: string, guess?: number): number;
  /** The externalId in a slot. */
  idAt(slot: number): string;
  /** The fingerprint of the record in a slot. */
  fingerprintAt(slot: number): number;
  packed(externalId: string): string | undefined;
  /** The packed record in a slot (no lookup by externalId). */
  packedAt(slot: number): string;
}

export interface EngineSource {
  name: string;
  /** Higher wins where sources disagree on an attribute (R11). */
  priority: number;
  match: MatchField;
  /** The role for records that do not state one (hr: staff, las: student). */
  defaultRole: Role;
  /** Days an account may go unoffered before it is deleted; 0 = at once. */
  graceDays: number;
  /** A delta export: records that are absent keep their state. */
  partial: boolean;
  records: ExportRecords;
  /**
   * What changed in the source's settings since the last applied sync, for people ("priority of hr
   * changed (5 → 50)"). When any did, every account linked to the source is evaluated again, however
   * unchanged its records are: a new priority, kind or map can change what the same records mean.
   */
  settingsChanged?: readonly string[];
}

/** What the engine needs to know of a link without loading the whole link. */
export interface LinkSummary {
  accountId: number;
  active: boolean;
  fp: number | null;
  /** Its next check (`Link.nextCheck`: a relation's start or end date) is reached by the `today` asked for. */
  checkDue: boolean;
  accountDeleted: boolean;
}

/**
 * The accounts a match key finds (R12): `open` ones have no active link to the source (none, or only
 * inactive ones: R5, no record of it claims them any more) and can be matched; `claimed` ones have an
 * active link to it, so another record of the source holds them and the key makes a conflict.
 */
export interface Candidates {
  open: number[];
  claimed: number[];
}

/** Read-only access to the hub, as it was when the sync started. */
export interface HubView {
  /**
   * Every link of the source, once, in any order: also inactive ones, also ones to deleted accounts
   * (R12, R14). `link` may be one object reused from call to call: read it during the call only.
   * `today` (YYYY-MM-DD) decides each link's `checkDue`.
   */
  eachLink(source: string, today: string, visit: (externalId: string, link: LinkSummary) => void): void;
  account(id: number): Account;
  linksOf(accountId: number): Link[];
  exception(accountId: number): ExceptionEntry | undefined;
  /**
   * The accounts whose `account`, `linksOf` and `exception` the engine asks for next: a view may read
   * them all at once (one ordered pass per table instead of three small queries per account).
   */
  readAhead?(ids: readonly number[]): void;
  /** Whether `candidates` can find anything at all: no active account, no query (a first sync). */
  hasCandidates(): boolean;
  /** Non-deleted accounts whose match key equals `value`, by whether a record of `source` claims them (R5, R12). */
  candidates(source: string, field: MatchField, value: string): Candidates;
  /** Active accounts with links of which none is active: listed ones (R4), and ones waiting for deletion. */
  unofferedAccountIds(): Iterable<number>;
  /** Account ids of list entries whose end date is before `today`. */
  lapsedExceptionIds(today: string): Iterable<number>;
}

export interface EngineInput {
  /** In any order; the engine orders them by priority. */
  sources: EngineSource[];
  hub: HubView;
  /** YYYY-MM-DD, for relation dates, end dates of list entries, and grace periods. */
  today: string;
  /** ISO timestamp of the run. */
  now: string;
}

export type ChangeAction = 'create' | 'update' | 'relink' | 'revive' | 'delete' | 'protect' | 'conflict' | 'pending' | 'lapse';

export interface Change {
  action: ChangeAction;
  /** An account id; negative for an account this plan creates (the store assigns the real id). */
  accountKey: number | null;
  source: string | null;
  externalId: string | null;
  /** What happened, for people (a create stored as its record renders it from the record: create.ts). */
  readonly detail: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /**
   * A create from one record: the record it is described by, instead of `detail` and `after`
   * (describe.ts, `recordedCreate`). The audit trail stores it as it is, and no detail text beside it.
   */
  record?: string;
}

export interface AccountState extends Attributes {
  status: AccountStatus;
  owner: Owner;
  notOfferedSince: string | null;
}

/** A link row to write (insert or update). */
export interface LinkWrite {
  source: string;
  externalId: string;
  isNew: boolean;
  active: boolean;
  record: string;
  fp: number | null;
  nextCheck: string | null;
  inactiveSince: string | null;
}

/** What happens to one account. */
export interface AccountPlan {
  /** Existing id, or a negative key for a new account. */
  key: number;
  before: Account | null;
  /** The account as it will be; null where the account row does not change. */
  after: AccountState | null;
  links: LinkWrite[];
  /** Take the account off the exception list (a lapsed entry, or a deletion: R7). */
  unlist: boolean;
  changes: Change[];
}

export type Counts = {
  created: number;
  updated: number;
  relinked: number;
  revived: number;
  deleted: number;
  protected: number;
  conflicts: number;
  unchanged: number;
  pending: number;
  lapsed: number;
};

export function emptyCounts(): Counts {
  return { created: 0, updated: 0, relinked: 0, revived: 0, deleted: 0, protected: 0, conflicts: 0, unchanged: 0, pending: 0, lapsed: 0 };
}

export const COUNT_OF: Record<ChangeAction, keyof Counts> = {
  create: 'created',
  update: 'updated',
  relink: 'relinked',
  revive: 'revived',
  delete: 'deleted',
  protect: 'protected',
  conflict: 'conflicts',
  pending: 'pending',
  lapse: 'lapsed',
};

export type { SourceRecord };
