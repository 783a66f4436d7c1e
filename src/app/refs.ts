/**
 * User references (the command-line contract, "User references"): an account id as the tool prints it
 * (`42` or `#42`), an email address, or `<source>:<externalId>`.
 */
import { BasishubError } from '../errors.js';
import { displayName, type Account } from '../model.js';
import type { Store } from '../store/store.js';

export interface ResolveOptions {
  /** Where several accounts match, the one with this status wins if it is the only one. */
  prefer?: 'active' | 'deleted';
}

export function describeAccount(a: Account): string {
  return `#${a.id} ${displayName(a) || '(no name)'}${a.email ? ` <${a.email}>` : ''}${a.status === 'deleted' ? ' [deleted]' : ''}`;
}

export function resolveUser(store: Store, ref: string, opts: ResolveOptions = {}): Account {
  const text = ref.trim();
  if (text === '') throw new BasishubError('USAGE', 'An empty user reference was given.', { hint: 'Pass an account id, an email address or source:externalId.' });
  let found: Account[];
  const id = /^#?(\d+)$/.exec(text);
  const colon = text.indexOf(':');
  if (id) {
    const a = store.account(Number(id[1]));
    found = a ? [a] : [];
  } else if (colon > 0 && store.source(text.slice(0, colon)) !== undefined) {
    const link = store.link(text.slice(0, colon), text.slice(colon + 1));
    const a = link ? store.account(link.accountId) : undefined;
    found = a ? [a] : [];
  } else if (text.includes('@')) {
    found = store.accountsByEmail(text);
  } else if (colon > 0) {
    throw new BasishubError('NOT_FOUND', `No source named "${text.slice(0, colon)}" (in the reference "${text}").`, {
      hint: 'See the sources with `basishub sources list`.',
    });
  } else {
    throw new BasishubError('NOT_FOUND', `"${text}" is not an account id, an email address or source:externalId.`, {
      hint: 'Find the account with `basishub users list --search <name>`.',
    });
  }
  if (found.length === 0) {
    throw new BasishubError('NOT_FOUND', `No account matches "${text}".`, {
      hint: 'Find the account with `basishub users list --search <name>` (deleted ones: --status deleted).',
    });
  }
  if (found.length > 1 && opts.prefer) {
    const preferred = found.filter((a) => a.status === opts.prefer);
    if (preferred.length === 1) return preferred[0];
  }
  if (found.length > 1) {
    throw new BasishubError('AMBIGUOUS_USER', `"${text}" matches ${found.length} accounts: ${found.map(describeAccount).join('; ')}.`, {
      hint: 'Pass the account id (#…) instead.',
      details: { candidates: found.map((a) => ({ id: a.id, email: a.email, displayName: displayName(a), status: a.status })) },
    });
  }
  return found[0];
}
