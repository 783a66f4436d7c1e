/**
 * The `sources` table: each source's settings (SourceConfig) and the settings snapshot its last applied
 * sync used (schema v3).
 */
import type { SourceConfig } from '../model.js';
import { Queries, readAll, readOne, rowCodec } from './rows.js';

export const sourceCodec = rowCodec<SourceConfig>(
  'name kind format file match=match_field map:json priority:int delimiter:? encoding:? date_format:? grace_days:int created_at updated_at',
);

export class SourceQueries extends Queries {
  /** Highest priority first (R11). */
  sources(): SourceConfig[] {
    return readAll(this.db, sourceCodec.read, 'SELECT * FROM sources ORDER BY priority DESC, name');
  }

  source(name: string): SourceConfig | undefined {
    return readOne(this.db, sourceCodec.read, 'SELECT * FROM sources WHERE name = ?', name);
  }

  saveSource(s: SourceConfig): void {
    this.db
      .prepare(
        `INSERT INTO sources (name, kind, format, file, match_field, map, priority, delimiter, encoding, date_format, grace_days, created_at, updated_at)
         VALUES (@name, @kind, @format, @file, @match_field, @map, @priority, @delimiter, @encoding, @date_format, @grace_days, @created_at, @updated_at)
         ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, format = excluded.format, file = excluded.file,
           match_field = excluded.match_field, map = excluded.map, priority = excluded.priority, delimiter = excluded.delimiter,
           encoding = excluded.encoding, date_format = excluded.date_format, grace_days = excluded.grace_days, updated_at = excluded.updated_at`,
      )
      .run(sourceCodec.write(s));
  }

  /** The settings snapshot the last applied sync used (schema v3), or null. */
  syncedSettings(name: string): string | null {
    const r = this.db.prepare('SELECT synced_settings AS s FROM sources WHERE name = ?').get(name) as { s: string | null } | undefined;
    return r?.s ?? null;
  }

  setSyncedSettings(name: string, snapshot: string): void {
    this.db.prepare('UPDATE sources SET synced_settings = ? WHERE name = ?').run(snapshot, name);
  }

  /** Removes a source and its links (the accounts stay). */
  removeSource(name: string): void {
    this.db.prepare('DELETE FROM links WHERE source = ?').run(name);
    this.db.prepare('DELETE FROM sources WHERE name = ?').run(name);
  }
}
