/** SQLite's page cache, made small for a pass that reads pages once. */
import type Database from 'better-sqlite3';

/**
 * Runs `fn` with SQLite's page cache at 2 MiB instead of 16: for a pass that reads (or rewrites) pages
 * once, in order, whose pages the cache would only hold at the cost of as much memory (a sync's stream
 * of a million links, the search index's fold at a sync's end). Dirty pages beyond it go to the WAL.
 */
export function withStreamingCache<T>(db: Database.Database, fn: () => T): T {
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('cache_size = -2048');
  try {
    return fn();
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
  }
}
