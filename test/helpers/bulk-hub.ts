/**
 * A real hub in a temporary folder for the use-case tests: the SQLite store, an AppContext with a pinned
 * clock, and an HR source whose exports are written as CSV and read by the real sync.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentNotifier, type AppContext } from '../../src/app/context.js';
import { addSource } from '../../src/app/sources.js';
import { runSync, type SyncResult } from '../../src/app/sync.js';
import { createDatabase, openDatabase } from '../../src/store/db.js';
import { Store } from '../../src/store/store.js';

export interface Staff {
  id: string;
  given: string;
  family: string;
  email: string;
  /** Without an organisation the record is not offered (R2). */
  organisation?: string;
  group?: string;
}

export const JAN: Staff = { id: '10234', given: 'Jan', family: 'Vries', email: 'jan.devries@school.nl', organisation: 'OBS De Regenboog', group: 'Directie' };
export const ZOE: Staff = { id: '10241', given: 'Zoë', family: 'Dijk', email: 'zoe.vandijk@school.nl', organisation: 'OBS De Regenboog', group: 'Groep 1/2' };
export const FATIMA: Staff = { id: '10395', given: 'Fatima', family: 'Amrani', email: 'fatima.elamrani@school.nl', organisation: 'OBS De Regenboog', group: 'Invalpool' };
export const PETRA: Staff = { id: '10263', given: 'Petra', family: 'Smit', email: 'petra.smit@school.nl', organisation: 'OBS De Regenboog', group: 'Groep 5/6' };

export class SyncHub {
  readonly dir: string;
  readonly dbPath: string;
  readonly store: Store;
  private exportNo = 0;

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'basishub-test-'));
    this.dbPath = path.join(this.dir, 'hub.db');
    createDatabase(this.dbPath);
    this.store = new Store(openDatabase(this.dbPath));
  }

  /** A context whose clock stands at `iso` (UTC; the day is taken from the ISO string). */
  ctx(iso: string, actor = 'tester'): AppContext {
    return { store: this.store, dbPath: this.dbPath, actor, clock: { now: () => iso, today: () => iso.slice(0, 10) }, yes: true, notify: silentNotifier };
  }

  /** Writes an HR export with these people (canonical column names, no mapping needed). */
  writeHr(people: Staff[]): string {
    const file = path.join(this.dir, `hr-${++this.exportNo}.csv`);
    const lines = ['externalId,givenName,familyName,email,organisation,group'];
    for (const p of people) lines.push([p.id, p.given, p.family, p.email, p.organisation ?? '', p.group ?? ''].join(','));
    fs.writeFileSync(file, lines.join('\n') + '\n');
    return file;
  }

  /** Registers the HR source (once) and syncs it against an export of `people` at `iso`. */
  async sync(iso: string, people: Staff[]): Promise<SyncResult> {
    const file = this.writeHr(people);
    if (this.store.source('hr') === undefined) addSource(this.ctx(iso), 'hr', { file, kind: 'hr' });
    return runSync(this.ctx(iso, 'cron'), { overrides: { hr: file } });
  }

  id(email: string): number {
    const [a] = this.store.accountsByEmail(email);
    if (a === undefined) throw new Error(`no account ${email}`);
    return a.id;
  }

  /** An account made by hand: no source link (R9 refuses it on the list). */
  insertHubAccount(email: string, given = 'Hand', family = 'Made'): number {
    const now = '2026-01-01T00:00:00.000Z';
    return Number(
      this.store.db
        .prepare(
          `INSERT INTO accounts (given_name, prefix, family_name, email, role, status, owner, created_at, updated_at)
           VALUES (?, '', ?, ?, 'staff', 'active', 'hub', ?, ?)`,
        )
        .run(given, family, email, now, now).lastInsertRowid,
    );
  }

  write(name: string, content: string | Buffer): string {
    const file = path.join(this.dir, name);
    fs.writeFileSync(file, content);
    return file;
  }

  close(): void {
    this.store.db.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
