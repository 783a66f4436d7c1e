/**
 * User references (the command-line contract, "User references"): an account id as the tool prints it
 * (`42` or `#42`), an email address, or `<source>:<externalId>`.
 */
import { BasishubError } from '../errors.js';
import { displayName, type Account } from '../model.js';
import type { Store } from '../store/store.js';
import { t } from '../i18n/index.js';

export interface ResolveOptions {
  /** Where several accounts match, the one with this status wins if it is the only one. */
  prefer?: 'active' | 'deleted';
}

export function describeAccount(a: Account): string {
  return `#${a.id} ${displayName(a) || t.noName()}${a.email ? ` <${a.email}>` : ''}${a.status === 'deleted' ? ` ${t.deletedMark()}` : ''}`;
}

export function resolveUser(store: Store, ref: string, opts: ResolveOptions = {}): Account {
  const text = ref.trim();
  if (text === '') throw new BasishubError('USAGE', t.emptyRef(), { hint: t.emptyRefHint() });
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
    throw new BasishubError('NOT_FOUND', t.noSourceNamed({ source: text.slice(0, colon), ref: text }), {
      hint: t.seeSources(),
    });
  } else {
    throw new BasishubError('NOT_FOUND', t.notARef({ ref: text }), {
      hint: t.findAccountHint(),
    });
  }
  if (found.length === 0) {
    throw new BasishubError('NOT_FOUND', t.noMatch({ ref: text }), {
      hint: t.noMatchHint(),
    });
  }
  if (found.length > 1 && opts.prefer) {
    const preferred = found.filter((a) => a.status === opts.prefer);
    if (preferred.length === 1) return preferred[0];
  }
  if (found.length > 1) {
    throw new BasishubError('AMBIGUOUS_USER', t.ambiguous({ ref: text, n: found.length, list: found.map(describeAccount).join('; ') }), {
      hint: t.ambiguousHint(),
      details: { candidates: found.map((a) => ({ id: a.id, email: a.email, displayName: displayName(a), status: a.status })) },
    });
  }
  return found[0];
}
