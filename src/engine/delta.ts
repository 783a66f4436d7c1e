/**
 * Delta exports (OneRoster delta, SDS delta): a record names only what changed.
 */
import { relationKey, type Relation, type SourceRecord } from '../sources/record.js';

/**
 * A delta export's record with relations: its attributes, and its relations added to those read before
 * (a delta lists only the enrollments that changed). A record without relations in a delta (a user
 * marked tobedeleted) is not merged: it is not offered. Removing one relation needs a bulk export.
 * An organisation-only relation adds nothing where a group in that organisation is known.
 */
export function mergeDelta(stored: SourceRecord, delta: SourceRecord): SourceRecord {
  const byKey = new Map<string, Relation>();
  for (const r of stored.relations) byKey.set(relationKey(r), r);
  for (const r of delta.relations) byKey.set(relationKey(r), r);
  const withGroups = new Set<string>();
  for (const r of byKey.values()) if (r.group !== '') withGroups.add(r.organisation);
  const relations: Relation[] = [];
  for (const r of byKey.values()) if (r.group !== '' || !withGroups.has(r.organisation)) relations.push(r);
  return { ...delta, relations };
}
