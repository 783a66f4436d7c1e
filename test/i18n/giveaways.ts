/**
 * Words that give English away in a Dutch text. What is not language (commands and flags to type, between
 * backticks or after `--`; the codes in brackets; paths) is taken out first.
 */
const GIVEAWAYS = [
  ' the ',
  'account(s)',
  'deleted',
  'Error',
  'Nothing',
  ' is on ',
  ' not ',
  ' with ',
  ' by ',
  ' and ',
  'offered',
  'listed',
  ' entry',
  'entries',
  'Created',
  'Updated',
  'Protected',
  'Sync run',
  'records',
  'unchanged',
  'since ',
  'until ',
  'restored',
  ' owns ',
  'source system',
  'Review',
  'Pass ',
];

export function withoutCode(text: string): string {
  return text
    .replace(/`[^`]*`/g, ' ')
    .replace(/--[a-z-]+( (active|deleted|source|hub|<[^>]+>|"[^"]*"))?/g, ' ')
    .replace(/\[[A-Z_]+\]/g, ' ')
    .replace(/«\w+»/g, ' ')
    .replace(/\/[\w./-]+/g, ' ');
}

export function englishLeft(text: string): string[] {
  const plain = ` ${withoutCode(text).replace(/\s+/g, ' ')} `;
  return GIVEAWAYS.filter((w) => plain.includes(w));
}
