/**
 * A plain CSV of the canonical fields (the fields a source export has), one row per relation, with the
 * hub's account id as externalId: for any system that imports a spreadsheet, and readable again by
 * basishub's own CSV reader. UTF-8, comma, RFC 4180 quoting.
 */
import { csvField, type OutputSet } from './output.js';
import type { AccountWriter, HubAccount } from './types.js';

export const CSV_FILE = 'accounts.csv';
export const CSV_HEADER = ['externalId', 'givenName', 'prefix', 'familyName', 'email', 'role', 'organisation', 'group', 'startDate', 'endDate'] as const;

export function plainCsvWriter(out: OutputSet): AccountWriter {
  const t = out.table(CSV_FILE, CSV_HEADER);
  return {
    add(a: HubAccount): void {
      if (!a.active) return;
      const head = `${a.id},${csvField(a.givenName)},${csvField(a.prefix)},${csvField(a.familyName)},${csvField(a.email)},${csvField(a.role)}`;
      if (a.relations.length === 0) t.line(head + ',,,,\r\n');
      for (const r of a.relations)
        t.line(`${head},${csvField(r.organisation)},${csvField(r.group)},${csvField(r.startDate ?? '')},${csvField(r.endDate ?? '')}\r\n`);
    },
    finish(): void {},
  };
}
