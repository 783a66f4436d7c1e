/**
 * A real hub in a temporary folder, with the demo foundation's sources, for use-case tests that run
 * in-process (faster than spawning the CLI; the e2e tests spawn it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentNotifier, type AppContext, type Notifier, type Prompter } from '../../src/app/context.js';
import { addDemoSources } from '../../src/app/demo.js';
import { runSync, type SyncOptions, type SyncResult } from '../../src/app/sync.js';
import { createDatabase, openDatabase } from '../../src/store/db.js';
import { Store } from '../../src/store/store.js';

export const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/demo');
const FILES = { hr: 'hr-afas.csv', parnassys: 'leerlingen-parnassys.json', basispoort: 'basispoort.csv' } as const;

export function nightFile(n: number, source: keyof typeof FILES): string {
  return path.join(DEMO, `night-${n}`, FILES[source]);
}

export class TestHub {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'basishub-test-'));
  readonly dbPath = path.join(this.dir, 'hub.db');
  readonly store: Store;
  now = '2026-11-24T02:00:00.000Z';
  warnings: string[] = [];

  constructor() {
    createDatabase(this.dbPath);
    this.store = new Store(openDatabase(this.dbPath));
  }

  ctx(opts: { actor?: string; prompt?: Prompter; yes?: boolean } = {}): AppContext {
    const now = this.now;
    const notify: Notifier = { ...silentNotifier, warn: (m) => this.warnings.push(m) };
    return {
      store: this.store,
      dbPath: this.dbPath,
      actor: opts.actor ?? 'coordinator',
      clock: { now: () => now, today: () => now.slice(0, 10) },
      prompt: opts.prompt,
      yes: opts.yes ?? false,
      notify,
    };
  }

  demoSources(): this {
    addDemoSources(this.ctx(), (name) => path.join(DEMO, 'night-1', name));
    return this;
  }

  /** Night n's sync at 02:00 on 2026-11-(23+n). */
  async night(n: number, opts: SyncOptions = {}): Promise<SyncResult> {
    this.now = `2026-11-${String(23 + n).padStart(2, '0')}T02:00:00.000Z`;
    return runSync(this.ctx({ actor: 'cron' }), {
      overrides: { hr: nightFile(n, 'hr'), parnassys: nightFile(n, 'parnassys'), basispoort: nightFile(n, 'basispoort') },
      ...opts,
    });
  }

  dayAfter(n: number): void {
    this.now = `2026-11-${String(23 + n).padStart(2, '0')}T10:00:00.000Z`;
  }

  /** Account id by user reference. */
  id(ref: string): number {
    const link = ref.includes(':') ? this.store.link(ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)) : undefined;
    if (link) return link.accountId;
    const byEmail = this.store.accountsByEmail(ref);
    if (byEmail.length !== 1) throw new Error(`no single account for ${ref}`);
    return byEmail[0]!.id;
  }

  close(): void {
    this.store.db.close();
  }
}

/** A Prompter that answers from a script, and records what it was asked. */
export class ScriptedPrompter implements Prompter {
  asked: string[] = [];
  constructor(private readonly answers: { search?: string; inputs?: string[]; confirm?: boolean[] }) {}

  async confirm(message: string): Promise<boolean> {
    this.asked.push(`confirm: ${message}`);
    const a = this.answers.confirm?.shift();
    if (a === undefined) throw new Error(`unexpected confirm: ${message}`);
    return a;
  }

  async input(message: string, opts: { validate?: (v: string) => true | string } = {}): Promise<string> {
    this.asked.push(`input: ${message}`);
    for (;;) {
      const a = this.answers.inputs?.shift();
      if (a === undefined) throw new Error(`unexpected input: ${message}`);
      const ok = opts.validate ? opts.validate(a) : true;
      if (ok === true) return a;
      this.asked.push(`invalid: ${ok}`);
    }
  }

  async search<T>(message: string, find: (term: string) => Promise<{ name: string; value: T; disabled?: string }[]>): Promise<T> {
    this.asked.push(`search: ${message}`);
    const term = this.answers.search;
    if (term === undefined) throw new Error('unexpected search');
    const choices = (await find(term)).filter((c) => !c.disabled);
    this.asked.push(...choices.map((c) => `choice: ${c.name}`));
    if (choices.length === 0) throw new Error(`no choice for ${term}`);
    return choices[0]!.value;
  }
}
