/**
 * How the engine describes a new account, for people (the `detail` of a change) and for the audit
 * trail (`after`). A new account made from one record is stored in the audit trail as that record
 * only (its `record` column, schema v2): a first sync of a national export writes a million of them, and
 * the text and JSON would double what it writes. `describeRecordedCreate` renders them again when the
 * entry is read, with the same functions that describe a create in a plan, so both read the same.
 */
import { displayName, type Attributes } from '../model.js';
import { unpack, withAttributes, type Relation } from '../sources/record.js';
import type { Change } from './types.js';

export function relationsText(relations: readonly Relation[]): string {
  let text = '';
  for (const x of relations) {
    if (text !== '') text += ', ';
    text += x.group ? `${x.organisation}/${x.group}` : x.organisation;
    if (x.startDate) text += ` from ${x.startDate}`;
    if (x.endDate) text += ` until ${x.endDate}`;
  }
  return text;
}

/** "Jan de Vries <jan@…> (staff): School/Group", then `also` (the further records of the account). */
export function createDetail(attrs: Attributes, relations: readonly Relation[], also = ''): string {
  return `${displayName(attrs)}${attrs.email ? ` <${attrs.email}>` : ''}${attrs.role ? ` (${attrs.role})` : ''}: ${relationsText(relations)}${also}`;
}

/** The audit trail's `after` of a create: the account's attributes and its links. */
export function createAfter(attrs: Attributes, links: string[]): Record<string, unknown> {
  return { givenName: attrs.givenName, prefix: attrs.prefix, familyName: attrs.familyName, email: attrs.email, role: attrs.role, links };
}

/**
 * The record a create from one record is stored as: the account's attributes (merged as R11 says:
 * the source's default role filled in) and the relations of the packed record.
 */
export function recordedCreate(attrs: Attributes, packed: string): string {
  return withAttributes(packed, attrs);
}

/** The detail and `after` of a create stored as its record (see `recordedCreate`). */
export function describeRecordedCreate(
  source: string,
  externalId: string,
  record: string,
): { detail: string; after: Record<string, unknown> } {
  const r = unpack(externalId, record);
  return { detail: createDetail(r, r.relations), after: createAfter(r, [`${source}:${externalId}`]) };
}

/** What a change did, for people: its detail, or the detail rendered from its record. */
export function detailOf(c: Change): string {
  return c.record === undefined ? c.detail : describeRecordedCreate(c.source!, c.externalId!, c.record).detail;
}
