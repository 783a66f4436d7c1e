/**
 * An account's search row (schema v6, table account_search), made in JavaScript: what the triggers'
 * SQL (searchRowSql in src/store/migrations.ts) writes, character for character, for a bulk load that
 * writes the rows itself. The folded name orders lists; the folded text is what a search looks in.
 */
import { fold } from './db.js';

const US = '\x1f';
const RS = '\x1e';

export function searchRow(
  a: { givenName: string; prefix: string; familyName: string; email: string },
  links: readonly { source: string; externalId: string; record: string }[],
): { nameKey: string; text: string } {
  let text = `${a.givenName} ${a.prefix} ${a.familyName} ${a.givenName} ${a.familyName}${US}${a.email}`;
  for (const l of links) {
    // The record's relations (schools, groups), not its own copy of the name and email.
    const rs = l.record.indexOf(RS);
    text += `${US}${l.source}:${l.externalId}${rs < 0 ? l.record : l.record.slice(rs)}`;
  }
  return { nameKey: fold(a.familyName) + US + fold(a.givenName), text: fold(text) };
}
