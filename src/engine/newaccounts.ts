/**
 * The accounts a sync creates (R1), as the planner finds them: one per record that no account matches,
 * joined by the records of later sources that match it (R11, R12).
 */
import type { MatchField } from '../model.js';
import type { SourceRecord } from '../sources/record.js';
import { IntList } from './ints.js';
import type { EngineSource } from './types.js';

/** A record of an export: its source (index in priority order), externalId, and slot in the export. */
export interface RecordRef {
  source: number;
  externalId: string;
  slot: number;
}

/** A new account: the records that offer it, its first record first. */
export interface NewAccount {
  /** 0, 1, 2… in the order the accounts were found. */
  index: number;
  /** Its key in the plan: negative, so that it never meets an existing account's id. */
  key: number;
  records: RecordRef[];
}

/** The key in the plan of the n-th new account. */
export function newAccountKey(n: number): number {
  return ~n;
}

/** A record's value for a match key (R12); '' where it has none. */
export function matchValue(record: SourceRecord, field: MatchField): string {
  if (field === 'email') return emailKey(record.email);
  if (field === 'externalId') return record.externalId;
  return '';
}

/** An address as a match key: trimmed, in lower case (R12; also for one active holder per address, R14). */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The new accounts of one plan. A first sync finds millions, so the first record of each is kept as two
 * integers (its source and slot, in one typed array) and a NewAccount is made only when it is read;
 * records of later sources that match a new account are few and kept as they are.
 */
export class NewAccounts {
  /** Per new account, its first record's source and slot, one after the other. */
  private readonly firsts = new IntList();
  private readonly further = new Map<number, RecordRef[]>();
  private readonly byKey = new Map<MatchField, Map<string, number[]>>();
  /** New accounts not made after all (R14: one that would take the address of an account this run revives). */
  private readonly withdrawn = new Set<number>();

  constructor(private readonly sources: readonly EngineSource[]) {}

  /** How many were found (indexes 0 … size - 1), withdrawn ones included. */
  get size(): number {
    return this.firsts.length / 2;
  }

  /** How many are made: the ones found, less the withdrawn ones. */
  get count(): number {
    return this.size - this.withdrawn.size;
  }

  /** The n-th new account is not made: `all()` leaves it out (its records become a conflict). */
  withdraw(n: number): void {
    this.withdrawn.add(n);
  }

  isWithdrawn(n: number): boolean {
    return this.withdrawn.has(n);
  }

  /**
   * Registers a new account from its first record, and indexes it by the keys that later sources match
   * on (`keys`). Returns its index.
   */
  add(source: number, slot: number, record: SourceRecord, keys: ReadonlySet<MatchField>): number {
    const n = this.size;
    this.firsts.push(source);
    this.firsts.push(slot);
    for (const field of keys) {
      const value = matchValue(record, field);
      if (value === '') continue;
      let values = this.byKey.get(field);
      if (values === undefined) this.byKey.set(field, (values = new Map<string, number[]>()));
      const list = values.get(value);
      if (list === undefined) values.set(value, [n]);
      else if (!list.includes(n)) list.push(n);
    }
    return n;
  }

  /** Attaches a further record (of a later source that matched it) to the n-th new account. */
  attach(n: number, ref: RecordRef): void {
    const refs = this.further.get(n);
    if (refs === undefined) this.further.set(n, [ref]);
    else refs.push(ref);
  }

  /** Whether any new account can be matched on `field`. */
  keyedOn(field: MatchField): boolean {
    return this.byKey.has(field);
  }

  /** The new accounts whose `field` is `value`. */
  withKey(field: MatchField, value: string): readonly number[] | undefined {
    return this.byKey.get(field)?.get(value);
  }

  /** The first record of the n-th new account. */
  first(n: number): RecordRef {
    const source = this.firsts.at(2 * n);
    const slot = this.firsts.at(2 * n + 1);
    return { source, externalId: this.sources[source].records.idAt(slot), slot };
  }

  get(n: number): NewAccount {
    const further = this.further.get(n);
    const first = this.first(n);
    return { index: n, key: newAccountKey(n), records: further === undefined ? [first] : [first, ...further] };
  }

  /** `source:externalId` of the n-th new account's first record, for people. */
  nameOf(n: number): string {
    const first = this.first(n);
    return `${this.sources[first.source].name}:${first.externalId}`;
  }

  *all(): IterableIterator<NewAccount> {
    const skip = this.withdrawn.size > 0 ? this.withdrawn : null; // (a first sync of a million asks nothing)
    for (let n = 0; n < this.size; n++) if (skip === null || !skip.has(n)) yield this.get(n);
  }
}
