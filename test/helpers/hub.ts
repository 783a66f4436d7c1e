/**
 * The tests' hubs, all real SQLite hubs in a temporary folder:
 *
 * - `Hub` drives the CLI as a script or cron would, with the clock pinned (BASISHUB_NOW), colour off and
 *   no TTY. `run()` runs the command in-process (`main(argv, io)` of the built CLI, on a worker thread of
 *   this process; see `InProcessCli`) and is what behaviour tests use. `spawn()` and `start()` run the
 *   real binary as a child process, for what only a process shows: its exit status, signals, a lock
 *   held by another process, a closed pipe (EPIPE), a kill in mid-write.
 * - `TestHub` is for the use-case tests (src/app, src/store): the store and an AppContext with a pinned
 *   clock, the demo's sources or an HR source written from `Staff` records, and `ScriptedPrompter`.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterAll } from '@jest/globals';
import { silentNotifier, type AppContext, type Notifier, type Prompter } from '../../src/app/context.js';
import { addDemoSources, DEMO_BASISPOORT_COLUMNS, DEMO_HR_COLUMNS, DEMO_PARNASSYS_COLUMNS } from '../../src/app/demo.js';
import { addSource } from '../../src/app/sources.js';
import { runSync, type SyncOptions, type SyncResult } from '../../src/app/sync.js';
import { createDatabase, openDatabase } from '../../src/store/db.js';
import { Store } from '../../src/store/store.js';
import { tempDir } from './tmp.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'basishub.js');
export const DEMO = path.join(ROOT, 'fixtures', 'demo');

const FILES = { hr: 'hr-afas.csv', parnassys: 'leerlingen-parnassys.json', basispoort: 'basispoort.csv' } as const;

/** How the demo's HR export is registered (after `sources add hr --file <file>`): its Dutch columns, and with its kind. */
export const DEMO_HR_MAP = DEMO_HR_COLUMNS.flatMap((m) => ['--map', m]);
export const DEMO_HR_SOURCE = ['--kind', 'hr', ...DEMO_HR_MAP];
/** How the demo's pupil administration (JSON) is registered: kind, no e-mail matching, Dutch keys. */
export const DEMO_PARNASSYS_SOURCE = ['--kind', 'las', '--match', 'none', ...DEMO_PARNASSYS_COLUMNS.flatMap((m) => ['--map', m])];
/** How the demo's Basispoort export is registered: kind and Dutch columns. */
export const DEMO_BASISPOORT_SOURCE = ['--kind', 'basispoort', ...DEMO_BASISPOORT_COLUMNS.flatMap((m) => ['--map', m])];

/** Night n's export of one of the demo's sources. */
export function night(n: number, source: keyof typeof FILES): string {
  return path.join(DEMO, `night-${n}`, FILES[source]);
}
export const nightFile = night;

/** `--source name=file` for each of the demo's sources, night n. */
export function nightSources(n: number): string[] {
  return (Object.keys(FILES) as (keyof typeof FILES)[]).flatMap((s) => ['--source', `${s}=${night(n, s)}`]);
}

export { tempDir } from './tmp.js';

// ---- the CLI -----------------------------------------------------------------------------------

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (throws when it is not exactly one JSON document). */
  json: any;
  /** The {"error": {...}} document on stderr, under --json. */
  error: any;
}

export interface RunOptions {
  /** What the command reads on stdin (a pipe, never a TTY). */
  input?: string;
  /** Added to the environment, over the hub's defaults. */
  env?: Record<string, string>;
}

function toRun(code: number, stdout: string, stderr: string): Run {
  return {
    code,
    stdout,
    stderr,
    get json() {
      return JSON.parse(stdout);
    },
    get error() {
      const line = stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{"error"'))
        .pop();
      return line ? JSON.parse(line).error : undefined;
    },
  };
}

/** A running child process of the real binary, and what it wrote once it has ended. */
export interface Started {
  proc: ChildProcessWithoutNullStreams;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** The hub file Hub.afterNightOne copies (one per test file: each file has its own module). */
let nightOneTemplate: string | undefined;

export class Hub {
  readonly db: string;
  now = '2026-11-24T02:00:00.000Z';
  actor = 'tester';

  constructor(readonly dir: string = tempDir('basishub-e2e-')) {
    this.db = path.join(dir, 'hub.db');
  }

  /** The environment of a run: the caller's, colour off, English, the hub's clock and actor, no BASISHUB_DB. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    // The language of the tests' own assertions (English) whatever the machine's locale: a test of Dutch says so in `extra`.
    const language = { BASISHUB_LANG: '', LC_ALL: '', LC_MESSAGES: '', LANG: 'C.UTF-8' };
    return {
      ...(process.env as Record<string, string>),
      ...language,
      NO_COLOR: '1',
      BASISHUB_NOW: this.now,
      BASISHUB_ACTOR: this.actor,
      BASISHUB_DB: '',
      ...extra,
    };
  }

  /** `basishub --db <hub> ...args`, in-process; its exit code and output as the binary's would be. */
  run(args: string[], opts: RunOptions = {}): Run {
    const before = openFilesUnder(this.dir);
    const r = inProcess.run(['--db', this.db, ...args], this.env(opts.env), opts.input ?? '');
    const leaked = openedSince(this.dir, before);
    if (leaked.length > 0) throw new Error(`basishub ${args.join(' ')} left files open: ${leaked.join(', ')}`);
    return toRun(r.code, r.stdout, r.stderr);
  }

  /** The same as run(), by the real binary in a child process. */
  spawn(args: string[], opts: RunOptions = {}): Run {
    const r = spawnSync(process.execPath, [BIN, '--db', this.db, ...args], {
      encoding: 'utf8',
      input: opts.input ?? '',
      env: this.env(opts.env),
      maxBuffer: 256 * 1024 * 1024,
    });
    return toRun(r.status ?? -1, r.stdout ?? '', r.stderr ?? '');
  }

  /** Starts the real binary in the background (to kill it, or to hold the lock meanwhile). */
  start(args: string[], opts: { env?: Record<string, string> } = {}): Started {
    const proc = spawn(process.execPath, [BIN, '--db', this.db, ...args], { env: this.env(opts.env) });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    const done = new Promise<Awaited<Started['done']>>((resolve) => proc.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
    return { proc, done };
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

  /**
   * A hub of the demo's sources after night 1, its clock set to `now` (by default the night of night 2).
   * Made once per test file (the init, three sources and a sync), then copied: every hub is the same file.
   */
  static afterNightOne(now = '2026-11-25T02:00:00.000Z'): Hub {
    if (nightOneTemplate === undefined) {
      const built = new Hub();
      built.setupDemoSources();
      built.night(1);
      nightOneTemplate = built.db;
    }
    const hub = new Hub();
    // Every run closes the hub (its WAL checkpointed into the file); a WAL left over is copied along.
    for (const suffix of ['', '-wal']) if (fs.existsSync(nightOneTemplate + suffix)) fs.copyFileSync(nightOneTemplate + suffix, hub.db + suffix);
    hub.now = now;
    return hub;
  }

  /** The demo's three sources, reading night 1. */
  setupDemoSources(): void {
    this.ok(['init']);
    this.ok(['sources', 'add', 'hr', '--file', night(1, 'hr'), ...DEMO_HR_SOURCE]);
    this.ok(['sources', 'add', 'parnassys', '--file', night(1, 'parnassys'), ...DEMO_PARNASSYS_SOURCE]);
    this.ok(['sources', 'add', 'basispoort', '--file', night(1, 'basispoort'), ...DEMO_BASISPOORT_SOURCE]);
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

/**
 * Files under `dir` that this process holds open (Linux: /proc/self/fd), so that a run that leaves a
 * database handle open fails its test. Elsewhere it finds nothing.
 */
export function openFilesUnder(dir: string): string[] {
  const fds = '/proc/self/fd';
  if (!fs.existsSync(fds)) return [];
  const open: string[] = [];
  for (const fd of fs.readdirSync(fds)) {
    try {
      const target = fs.readlinkSync(path.join(fds, fd));
      if (target.startsWith(dir + path.sep)) open.push(target);
    } catch {
      // closed meanwhile (the readdir's own descriptor)
    }
  }
  return open.sort();
}

/**
 * Files under `dir` opened since `before` and still open. A stream that a failed read destroyed closes
 * its file a moment after the command returned, so this waits for that (up to two seconds) before it
 * calls a file left open.
 */
function openedSince(dir: string, before: string[]): string[] {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let tries = 0; ; tries++) {
    const opened = openFilesUnder(dir).filter((f) => !before.includes(f));
    if (opened.length === 0 || tries === 100) return opened;
    Atomics.wait(pause, 0, 0, 20);
  }
}

/**
 * Runs `main(argv, io)` of the built CLI (dist/cli/main.js, what bin/basishub.js runs) on one worker
 * thread, kept for the whole test file so that the CLI's modules load once. The test thread waits for
 * each run (Atomics.wait), which keeps `Hub.run` synchronous. main() reads nothing from the process but
 * its IO, so a run sees exactly the environment, stdin and (non-TTY) streams it is given.
 */
class InProcessCli {
  private static readonly WORKER = path.join(ROOT, 'test', 'helpers', 'cli-worker.mjs');
  private static readonly MAIN = path.join(ROOT, 'dist', 'cli', 'main.js');
  /** A run longer than this is taken to hang (the tests' own timeouts are shorter). */
  private static readonly HANG_MS = 10 * 60 * 1000;
  private thread?: { worker: Worker; port: MessagePort; flag: Int32Array };

  run(argv: string[], env: Record<string, string>, input: string): { code: number; stdout: string; stderr: string } {
    const { worker, port, flag } = (this.thread ??= this.startThread());
    Atomics.store(flag, 0, 0);
    port.postMessage({ argv, env, input });
    if (Atomics.wait(flag, 0, 0, InProcessCli.HANG_MS) === 'timed-out') {
      this.thread = undefined;
      void worker.terminate();
      throw new Error(`basishub ${argv.join(' ')} did not finish in-process`);
    }
    const reply = InProcessCli.reply(port);
    if (reply.crashed) {
      // The thread's state is no longer trusted after a crash: the next run gets a fresh one.
      this.thread = undefined;
      void worker.terminate();
    }
    return reply;
  }

  /**
   * The run's reply. The thread posts it before it wakes this one, but a message can still be on its way
   * between the threads when the wait returns (seen on a loaded machine): wait for it, briefly.
   */
  private static reply(port: MessagePort): { code: number; stdout: string; stderr: string; crashed?: boolean } {
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (let waited = 0; ; waited++) {
      const message = receiveMessageOnPort(port);
      if (message !== undefined) return message.message as { code: number; stdout: string; stderr: string; crashed?: boolean };
      if (waited === 5000) throw new Error('the in-process CLI ended a run without a reply');
      Atomics.wait(pause, 0, 0, 1);
    }
  }

  /** Ends the thread (after a test file): nothing of it outlives the file's tests. */
  async stop(): Promise<void> {
    const thread = this.thread;
    this.thread = undefined;
    if (thread !== undefined) await thread.worker.terminate();
  }

  private startThread() {
    if (!fs.existsSync(InProcessCli.MAIN)) throw new Error(`${InProcessCli.MAIN} is missing: run \`npm run build\` first`);
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(InProcessCli.WORKER, { workerData: { port: port2, flag, mainPath: InProcessCli.MAIN }, transferList: [port2] });
    worker.unref(); // never keeps jest from exiting
    port1.unref();
    return { worker, port: port1, flag };
  }
}

const inProcess = new InProcessCli();
afterAll(() => inProcess.stop());

// ---- use cases on the store ----------------------------------------------------------------------

/** A member of staff in an HR export written by `TestHub.sync`. */
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
export const FATIMA: Staff = {
  id: '10395',
  given: 'Fatima',
  family: 'Amrani',
  email: 'fatima.elamrani@school.nl',
  organisation: 'OBS De Regenboog',
  group: 'Invalpool',
};
export const PETRA: Staff = {
  id: '10263',
  given: 'Petra',
  family: 'Smit',
  email: 'petra.smit@school.nl',
  organisation: 'OBS De Regenboog',
  group: 'Groep 5/6',
};

/** The hub TestHub.afterNightOne copies, and what its night warned about (one per test file). */
let testNightOne: { db: string; warnings: string[] } | undefined;

export class TestHub {
  readonly dir = tempDir();
  readonly dbPath = path.join(this.dir, 'hub.db');
  readonly store: Store;
  now = '2026-11-24T02:00:00.000Z';
  /** What the use cases warned about through ctx()'s notifier. */
  warnings: string[] = [];
  private exportNo = 0;

  /** A new empty hub; or a copy of the (closed) hub file `copyOf`. */
  constructor(copyOf?: string) {
    if (copyOf === undefined) createDatabase(this.dbPath);
    else for (const suffix of ['', '-wal']) if (fs.existsSync(copyOf + suffix)) fs.copyFileSync(copyOf + suffix, this.dbPath + suffix);
    this.store = new Store(openDatabase(this.dbPath));
  }

  /**
   * The demo's sources after night 1 (`demoSources()` and `night(1)`), the clock at that night. Made once
   * per test file, then copied: every hub is the same file, and no test pays for the sync again.
   */
  static async afterNightOne(): Promise<TestHub> {
    if (testNightOne === undefined) {
      const built = new TestHub().demoSources();
      await built.night(1);
      built.close();
      testNightOne = { db: built.dbPath, warnings: built.warnings };
    }
    const hub = new TestHub(testNightOne.db);
    hub.now = '2026-11-24T02:00:00.000Z';
    hub.warnings = [...testNightOne.warnings];
    return hub;
  }

  /** The coordinator's context at `now`: warnings collected, a prompt only when given. */
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

  /** A script's context with the clock at `iso` (UTC; the day is taken from the string): --yes, no prompt. */
  at(iso: string, actor = 'tester'): AppContext {
    return { store: this.store, dbPath: this.dbPath, actor, clock: { now: () => iso, today: () => iso.slice(0, 10) }, yes: true, notify: silentNotifier };
  }

  /** The demo foundation's three sources, reading night 1. */
  demoSources(): this {
    addDemoSources(this.ctx(), (name) => path.join(DEMO, 'night-1', name));
    return this;
  }

  /** Night n's sync of the demo's sources at 02:00 on 2026-11-(23+n). */
  async night(n: number, opts: SyncOptions = {}): Promise<SyncResult> {
    this.now = `2026-11-${String(23 + n).padStart(2, '0')}T02:00:00.000Z`;
    return runSync(this.ctx({ actor: 'cron' }), {
      overrides: { hr: night(n, 'hr'), parnassys: night(n, 'parnassys'), basispoort: night(n, 'basispoort') },
      ...opts,
    });
  }

  dayAfter(n: number): void {
    this.now = `2026-11-${String(23 + n).padStart(2, '0')}T10:00:00.000Z`;
  }

  /** Writes an HR export with these people (canonical column names, no mapping needed). */
  writeHr(people: Staff[]): string {
    const lines = ['externalId,givenName,familyName,email,organisation,group'];
    for (const p of people) lines.push([p.id, p.given, p.family, p.email, p.organisation ?? '', p.group ?? ''].join(','));
    return this.write(`hr-${++this.exportNo}.csv`, lines.join('\n') + '\n');
  }

  /** Registers an HR source (once) and syncs it against an export of `people` at `iso`. */
  async sync(iso: string, people: Staff[]): Promise<SyncResult> {
    const file = this.writeHr(people);
    if (this.store.source('hr') === undefined) addSource(this.at(iso), 'hr', { file, kind: 'hr' });
    return runSync(this.at(iso, 'cron'), { overrides: { hr: file } });
  }

  /** Account id by user reference: `source:externalId`, or an e-mail address that one account has. */
  id(ref: string): number {
    const link = ref.includes(':') ? this.store.link(ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)) : undefined;
    if (link) return link.accountId;
    const byEmail = this.store.accountsByEmail(ref);
    if (byEmail.length !== 1) throw new Error(`no single account for ${ref}`);
    return byEmail[0]!.id;
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

  /** A file in the hub's folder. */
  write(name: string, content: string | Buffer): string {
    const file = path.join(this.dir, name);
    fs.writeFileSync(file, content);
    return file;
  }

  /** Closes the hub's database (again is harmless); the folder stays for a reopen. */
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
