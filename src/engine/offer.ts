/**
 * Rule R2, offered: whether a source offers a record on a day, and when that may change. The engine
 * owns this rule; the readers only collect records (src/sources/record.ts).
 */
import type { Relation, SourceRecord } from '../sources/record.js';

/** Whether a relation counts on `today` (YYYY-MM-DD): started, and not ended before today (R2). */
export function relationCurrent(r: Relation, today: string): boolean {
  if (r.startDate !== null && r.startDate > today) return false;
  if (r.endDate !== null && r.endDate < today) return false;
  return true;
}

/** R2: a source offers a record when it has at least one current relation. */
export function isOffered(r: SourceRecord, today: string): boolean {
  return r.relations.some((rel) => relationCurrent(rel, today));
}

/**
 * The first day after `today` on which the record's offered state may change (a relation starts or
 * ends), or null. A sync re-evaluates an unchanged record once that day has come.
 */
export function nextOfferChange(r: SourceRecord, today: string): string | null {
  let next: string | null = null;
  for (const rel of r.relations) {
    if (rel.startDate !== null && rel.startDate > today && (next === null || rel.startDate < next)) next = rel.startDate;
    if (rel.endDate !== null && rel.endDate >= today) {
      const after = addDays(rel.endDate, 1);
      if (next === null || after < next) next = after;
    }
  }
  return next;
}

/** The day `days` after an ISO date (YYYY-MM-DD). */
export function addDays(isoDate: string, days: number): string {
  if (days === 0) return isoDate;
  const d = new Date(isoDate + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** R2 on one day, as a test of records (for the export check, which counts the records not offered). */
export function offeredOn(today: string): (r: SourceRecord) => boolean {
  return (r) => isOffered(r, today);
}
