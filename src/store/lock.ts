/**
 * One sync at a time (the command-line contract, "Safety defaults"). The lock is a row in the hub, taken in
 * a write transaction; a lock whose process is gone (killed, crashed) is taken over at once, so a
 * killed sync never blocks the next night.
 */
import { t } from '../i18n/index.js';
import os from 'node:os';
import { BasishubError } from '../errors.js';
import type { Store } from './store.js';

export interface LockHolder {
  pid: number;
  host: string;
  actor: string;
  since: string;
}

/** A lock held by another host is honoured for this long; its process cannot be checked from here. */
const FOREIGN_LOCK_MAX_AGE_MS = 6 * 60 * 60 * 1000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function holderIsAlive(h: LockHolder, nowMs: number): boolean {
  if (h.host === os.hostname()) return h.pid !== process.pid && alive(h.pid);
  return nowMs - Date.parse(h.since) < FOREIGN_LOCK_MAX_AGE_MS;
}

export function currentLock(store: Store): LockHolder | undefined {
  return store.db.prepare('SELECT pid, host, actor, since FROM sync_lock WHERE id = 1').get() as LockHolder | undefined;
}

/** Takes the lock or throws SYNC_LOCKED naming who holds it since when. Returns the release function. */
export function acquireSyncLock(store: Store, actor: string, now: string): () => void {
  const me: LockHolder = { pid: process.pid, host: os.hostname(), actor, since: now };
  store.transaction(() => {
    const held = currentLock(store);
    if (held !== undefined && holderIsAlive(held, Date.parse(now))) {
      throw new BasishubError('SYNC_LOCKED', t.syncLocked({ actor: held.actor, since: held.since, pid: held.pid, host: held.host }), {
        hint: t.syncLockedHint(),
        details: { holder: held },
      });
    }
    store.db.prepare('INSERT OR REPLACE INTO sync_lock (id, pid, host, actor, since) VALUES (1, @pid, @host, @actor, @since)').run(me);
  });
  return () => {
    store.db.prepare('DELETE FROM sync_lock WHERE id = 1 AND pid = ? AND host = ?').run(me.pid, me.host);
  };
}
