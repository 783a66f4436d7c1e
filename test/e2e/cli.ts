/**
 * Runs the built CLI (bin/basishub.js → dist/) as cron or a script would: a child process without a
 * TTY, colour off, the clock pinned with BASISHUB_NOW.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'basishub.js');
export const DEMO = path.join(ROOT, 'fixtures', 'demo');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (throws when it is not exactly one JSON document). */
  json: any;
  /** The {"error": {...}} document on stderr, under --json. */
  error: any;
}

export function tempDir(prefix = 'basishub-e2e-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export class Hub {
  readonly db: string;
  now = '2026-11-24T02:00:00.000Z';
  actor = 'tester';

  constructor(readonly dir: string = tempDir()) {
    this.db = path.join(dir, 'hub.db');
  }

  run(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Run {
    const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, '--db', this.db, ...args], {
      encoding: 'utf8',
      input: opts.input ?? '',
      env: { ...process.env, NO_COLOR: '1', BASISHUB_NOW: this.now, BASISHUB_ACTOR: this.actor, BASISHUB_DB: '', ...opts.env },
      maxBuffer: 256 * 1024 * 1024,
    });
    const stdout = r.stdout ?? '';
    const stderr = r.stderr ?? '';
    return {
      code: r.status ?? -1,
      stdout,
      stderr,
      get json() {
        return JSON.parse(stdout);
      },
      get error() {
        const line = stderr.trim().split('\n').filter((l) => l.startsWith('{"error"')).pop();
        return line ? JSON.parse(line).error : undefined;
      },
    };
  }

  /** Runs with --json and expects exit 0. */
  ok(args: string[], env?: Record<string, string>): any {
    const r = this.run([...args, '--json'], { env });
    if (r.code !== 0) throw new Error(`basishub ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.json;
  }

  /** Runs with --json and expects a failure with this exit code; returns the error object. */
  fails(args: string[], code: number): any {
    const r = this.run([...args, '--json']);
    if (r.code !== code) throw new Error(`basishub ${args.join(' ')} exited ${r.code}, expected ${code}: ${r.stderr}${r.stdout}`);
    expectNothingOnStdout(r);
    expectOneJsonDocument(r.stderr);
    return r.error;
  }

  /**
   * The hub's data, read straight from the file: accounts, links, the list, the audit trail, sources,
   * and (unless left out) the run history. Two equal states mean that nothing changed.
   */
  dbState(opts: { runs?: boolean } = {}): string {
    const db = new Database(this.db, { readonly: true });
    try {
      const tables = ['accounts', 'links', 'exceptions', 'audit', 'sources', ...(opts.runs === false ? [] : ['runs', 'planned_changes'])];
      return JSON.stringify(Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()])));
    } finally {
      db.close();
    }
  }

  /** Everything that a change would touch: accounts, the list, the audit trail, runs. */
  snapshot(): string {
    return JSON.stringify({
      users: this.ok(['users', 'list', '--all']),
      exceptions: this.ok(['exceptions', 'list']),
      audit: this.ok(['audit', '--limit', '100000']),
      runs: this.ok(['sync', 'history', '--limit', '1000']),
    });
  }

  /** The demo's three sources, reading night 1. */
  setupDemoSources(): void {
    this.ok(['init']);
    this.ok(['sources', 'add', 'hr', '--file', night(1, 'hr'), '--kind', 'hr',
      '--map', 'externalId=Personeelsnummer', '--map', 'givenName=Voornaam', '--map', 'prefix=Tussenvoegsel',
      '--map', 'familyName=Achternaam', '--map', 'email=E-mailadres', '--map', 'organisation=School', '--map', 'group=Team']);
    this.ok(['sources', 'add', 'parnassys', '--file', night(1, 'parnassys'), '--kind', 'las', '--match', 'none',
      '--map', 'externalId=leerlingnummer', '--map', 'givenName=roepnaam', '--map', 'prefix=tussenvoegsel', '--map', 'familyName=achternaam']);
    this.ok(['sources', 'add', 'basispoort', '--file', night(1, 'basispoort'), '--kind', 'basispoort',
      '--map', 'externalId=eckid', '--map', 'givenName=voornaam', '--map', 'prefix=tussenvoegsel', '--map', 'familyName=achternaam',
      '--map', 'role=rol', '--map', 'organisation=school', '--map', 'group=groep']);
  }

  /** `sync run` on night n's exports, at 02:00 of that night. */
  night(n: number, extra: string[] = []): any {
    this.now = `2026-11-${String(23 + n).padStart(2, '0')}T02:00:00.000Z`;
    return this.ok(['sync', 'run', ...nightSources(n), ...extra]);
  }

  /** The day after night n, at 10:00: when the coordinator works. */
  dayAfter(n: number): void {
    this.now = `2026-11-${String(23 + n).padStart(2, '0')}T10:00:00.000Z`;
  }
}

const FILES = { hr: 'hr-afas.csv', parnassys: 'leerlingen-parnassys.json', basispoort: 'basispoort.csv' } as const;

export function night(n: number, source: keyof typeof FILES): string {
  return path.join(DEMO, `night-${n}`, FILES[source]);
}

export function nightSources(n: number): string[] {
  return (Object.keys(FILES) as (keyof typeof FILES)[]).flatMap((s) => ['--source', `${s}=${night(n, s)}`]);
}

/** Under --json, a failure's stderr is exactly one JSON document: no warning or message beside it. */
export function expectOneJsonDocument(stderr: string): void {
  const text = stderr.trim();
  try {
    JSON.parse(text);
  } catch {
    throw new Error(`expected exactly one JSON document on stderr, got: ${text.slice(0, 500)}`);
  }
}

export function expectNothingOnStdout(r: Run): void {
  if (r.stdout.trim() !== '') throw new Error(`expected nothing on stdout, got: ${r.stdout.slice(0, 500)}`);
}
