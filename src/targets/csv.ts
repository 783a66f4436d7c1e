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
  // The account's own fields, written field by field into the file's buffer, before each of its relations.
  const head = (a: HubAccount) =>
    t.int(a.id).raw(',').field(a.givenName).raw(',').field(a.prefix).raw(',').field(a.familyName).raw(',').field(a.email).raw(',').field(a.role);
  return {
    add(a: HubAccount): void {
      if (!a.active) return;
      if (a.relations.length === 0) head(a).raw(',,,,').end();
      for (const r of a.relations) {
        head(a)
          .raw(',')
          .field(r.organisation)
          .raw(',')
          .field(r.group)
          .raw(',')
          .field(r.startDate ?? '')
          .raw(',')
          .field(r.endDate ?? '')
          .end();
      }
    },
    catalog: () => ({ orgs: [], classes: '' }),
    absorb(): void {},
    sort(): void {},
    share(): void {},
    finish(): void {},
  };
}
