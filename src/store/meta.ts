/**
 * The `meta` table: the hub's own settings and markers (`basishub config`, the review's last look, the
 * first run with undo snapshots). Not audited here: a use case that changes a setting audits it.
 */
import { Queries } from './rows.js';

export class MetaQueries extends Queries {
  /** A value of the `meta` table (not audited: it does not change the hub's revision). */
  meta(key: string): string | undefined {
    const r = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return r?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  deleteMeta(key: string): void {
    this.db.prepare('DELETE FROM meta WHERE key = ?').run(key);
  }
}
