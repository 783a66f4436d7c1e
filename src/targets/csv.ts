/**
 * A plain CSV of the canonical fields (the fields a source export has), one row per relation, with the
 * hub's account id as externalId: for any system that imports a spreadsheet, and readable again by
 * basishub's own CSV reader. UTF-8, comma, RFC 4180 quoting.
 */
import type { OutputSet } from './output.js';
import type { AccountWriter, HubAccount } from './types.js';

export const CSV_FILE = 'accounts.csv';
export const CSV_HEADER = ['externalId', 'givenName', 'prefix', 'familyName', 'email', 'role', 'organisation', 'group', 'startDate', 'endDate'] as const;

export function plainCsvWriter(out: OutputSet): AccountWriter {
  const t = out.table(CSV_FILE, CSV_HEADER);
  return {
    add(a: HubAccount): void {
      if (!a.active) return;
      const head = [String(a.id), a.givenName, a.prefix, a.familyName, a.email, a.role];
      if (a.relations.length === 0) t.row([...head, '', '', '', '']);
      for (const r of a.relations) t.row([...head, r.organisation, r.group, r.startDate ?? '', r.endDate ?? '']);
    },
    finish(): void {},
  };
}
