/**
 * The interactive part of the bench: what a coordinator waits for at a terminal. Each command is a whole
 * process (`node bin/basishub.js …`: start, module loading, opening the hub, the query, the output),
 * run several times in rounds; each round also runs a bare `node -e 0`, the floor that no command can go
 * below. Reported: the median, the spread (fastest–slowest) and the median's ratio to the floor's median.
 *
 * Two hubs: a small one (a fresh `init`) for the start of the tool, and a hub of N people made from the
 * bench's export (a first sync, then the churn export: a run of about 3% of N changes), with
 * min(N / 100, 10 000) accounts on the exception list. The hub of N is kept in the bench folder
 * (`interactive-<N>.db`) and reused.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { GeneratedExports } from './generate.js';
import { median } from './stats.js';

/** Targets: the start of the tool as a ratio to `node -e 0`; the rest in milliseconds, whole process. */
export const INTERACTIVE_TARGETS = { startVsNode: 1.5, searchMs: 100, commandMs: 200 } as const;

export interface InteractiveMeasurement {
  name: string;
  /** The hub it ran on: 'small', or the number of people. */
  hub: string;
  runs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** The median over the floor's median (`node -e 0`, same rounds). */
  ratio: number;
  target: string;
  pass: boolean | undefined;
  /**
   * Where NODE_EXTRA_CA_CERTS is set: the same command's median with it unset, in the same rounds.
   * Node 20 reads and parses that certificate file at every start, before any of basishub runs.
   */
  withoutExtraCaMs?: number;
  passWithoutExtraCa?: boolean;
}

/** The picker's answer to each keystroke, in a process that has the hub open (not a whole process). */
export interface PickerMeasurement {
  term: string;
  runs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  target: string;
  pass: boolean;
}

/** What a person types into the `exceptions add` picker, one keystroke at a time; and a rare trigram ("ozt": Öztürk). */
const PICKER_TERMS = ['ja', 'jan', 'jans', 'jansen', 'ozt'];

const BIN = fileOf('../../bin/basishub.js');
const WORKER = fileOf('./worker.js');
const PICKER = fileOf('./picker.js');

function fileOf(rel: string): string {
  return new URL(rel, import.meta.url).pathname;
}

function worker(args: string[]): void {
  const r = spawnSync(process.execPath, [WORKER, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`worker ${args[0]} failed (${r.status ?? r.signal})`);
}

/** The hub of N people for the interactive measurements, made once and kept in `dir`. */
export function interactiveHub(dir: string, exports: GeneratedExports, progress: (m: string) => void): string {
  const file = path.join(dir, `interactive-${exports.n}.db`);
  const ready = `${file}.ready`;
  if (fs.existsSync(file) && fs.existsSync(ready)) return file;
  for (const f of [file, `${file}-wal`, `${file}-shm`, ready]) fs.rmSync(f, { force: true });
  progress(`  interactive hub of ${exports.n.toLocaleString('en')}: first sync`);
  worker(['init', file, exports.base]);
  progress('  interactive hub: the churn resync (the run that `sync show` shows)');
  worker(['resync', file, exports.churn]);
  const db = new Database(file);
  db.prepare(
    `INSERT OR IGNORE INTO exceptions (account_id, reason, until, created_at, created_by, updated_at, updated_by)
     SELECT id, 'Invalpool: tussen twee contracten', CASE WHEN id % 3 = 0 THEN '2027-06-30' END, '2026-0' || (1 + id % 9) || '-15T10:00:00.000Z',
            'bench', '2026-09-15T10:00:00.000Z', 'bench'
     FROM accounts WHERE status = 'active' AND id % 97 = 0 LIMIT ?`,
  ).run(Math.min(Math.floor(exports.n / 100), 10_000));
  db.close();
  fs.writeFileSync(ready, new Date().toISOString() + '\n');
  return file;
}

/** A listed person's hr reference and the last run, for `users show`, `audit --user` and `sync show`. */
function probe(file: string): { ref: string; run: number } {
  const db = new Database(file, { readonly: true });
  try {
    // The 51st listed account, or the last on a short list (a small hub lists N / 100).
    const listed = (db.prepare('SELECT count(*) AS n FROM exceptions').get() as { n: number }).n;
    const l = db
      .prepare(
        "SELECT source || ':' || external_id AS ref FROM links WHERE account_id = (SELECT account_id FROM exceptions ORDER BY account_id LIMIT 1 OFFSET ?)",
      )
      .get(Math.max(0, Math.min(50, listed - 1))) as { ref: string };
    const r = db.prepare('SELECT max(id) AS run FROM runs').get() as { run: number };
    return { ref: l.ref, run: r.run };
  } finally {
    db.close();
  }
}

interface Cmd {
  name: string;
  args: string[];
  db: string;
  hub: string;
  /** 'info': measured for the record, no target (the whole of a long list, which people page through). */
  target: 'start' | 'search' | 'command' | 'info';
}

function commands(small: string, big: string, n: number): Cmd[] {
  const { ref, run } = probe(big);
  const at = n.toLocaleString('en');
  const s = (name: string, args: string[]): Cmd => ({ name, args, db: small, hub: 'small', target: 'start' });
  const q = (name: string, args: string[]): Cmd => ({ name, args, db: big, hub: at, target: 'search' });
  const c = (name: string, args: string[]): Cmd => ({ name, args, db: big, hub: at, target: 'command' });
  const i = (name: string, args: string[]): Cmd => ({ name, args, db: big, hub: at, target: 'info' });
  return [
    s('basishub --version', ['--version']),
    s('basishub --help', ['--help']),
    s('exceptions list', ['exceptions', 'list']),
    q('users list --search jansen --limit 30', ['users', 'list', '--search', 'jansen', '--limit', '30']),
    q('users list --search ozt --limit 30', ['users', 'list', '--search', 'ozt', '--limit', '30']),
    q('users list --search springplank --limit 30', ['users', 'list', '--search', 'springplank', '--limit', '30']),
    // Common text: a group that most pupils' records name (more candidates than the search index names).
    q('users list --search groep --limit 30', ['users', 'list', '--search', 'groep', '--limit', '30']),
    q(`users list --search ${ref.slice(0, -2)} --limit 30`, ['users', 'list', '--search', ref.slice(0, -2), '--limit', '30']),
    c(`users show ${ref}`, ['users', 'show', ref]),
    c('users list --limit 20', ['users', 'list', '--limit', '20']),
    c('exceptions list (first page)', ['exceptions', 'list']),
    c('exceptions review --no-record', ['exceptions', 'review', '--no-record']),
    c(`audit --user ${ref}`, ['audit', '--user', ref]),
    c('sync history', ['sync', 'history']),
    c(`sync show ${run} (first page)`, ['sync', 'show', String(run)]),
    i('exceptions list --all', ['exceptions', 'list', '--all']),
    i('exceptions list --json', ['exceptions', 'list', '--json']),
    i(`sync show ${run} --all`, ['sync', 'show', String(run), '--all']),
  ];
}

/** The environment of the measured processes: as it is, or without NODE_EXTRA_CA_CERTS. */
type Env = 'as is' | 'without extra CA';

function timeOnce(args: string[], db: string, env: Env = 'as is'): number {
  const vars: NodeJS.ProcessEnv = { ...process.env, BASISHUB_DB: db };
  if (env !== 'as is') delete vars.NODE_EXTRA_CA_CERTS;
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: vars, maxBuffer: 1 << 26 });
  const ms = performance.now() - t;
  if (r.status !== 0 && args[0] !== '-e') throw new Error(`${args.slice(1).join(' ')} exited with ${r.status}: ${String(r.stderr).slice(0, 300)}`);
  return ms;
}

/** A command's target, and whether a median meets it. */
function judge(c: Cmd, medianMs: number, floorMs: number): [string, boolean | undefined] {
  const T = INTERACTIVE_TARGETS;
  if (c.target === 'start') return [`≤ ${T.startVsNode}× node`, medianMs / floorMs <= T.startVsNode];
  if (c.target === 'search') return [`≤ ${T.searchMs} ms`, medianMs <= T.searchMs];
  if (c.target === 'command') return [`≤ ${T.commandMs} ms`, medianMs <= T.commandMs];
  return ['', undefined];
}

/** Runs every command `rounds` times, a `node -e 0` in each round, and compares the medians. */
export function measureInteractive(
  dir: string,
  exports: GeneratedExports,
  rounds: number,
  progress: (m: string) => void,
): { floor: number[]; floorWithoutExtraCa?: number[]; measurements: InteractiveMeasurement[]; picker: PickerMeasurement[] } {
  const small = path.join(dir, 'interactive-small.db');
  if (!fs.existsSync(small)) {
    const r = spawnSync(process.execPath, [BIN, 'init', '--db', small], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error('could not create the small hub');
  }
  const big = interactiveHub(dir, exports, progress);
  const cmds = commands(small, big, exports.n);
  timeOnce([BIN, 'sync', 'history'], big); // opens (and, after an upgrade, migrates) the hub once, unmeasured
  // Node 20 reads the file NODE_EXTRA_CA_CERTS names at every start (this machine's 220 KB bundle: about
  // 40 ms, half of a bare `node -e 0`); where it is set, every command also runs without it.
  const envs: Env[] = process.env.NODE_EXTRA_CA_CERTS ? ['as is', 'without extra CA'] : ['as is'];
  const floor = new Map(envs.map((e) => [e, [] as number[]]));
  const runs = new Map(envs.map((e) => [e, cmds.map(() => [] as number[])]));
  for (let round = 0; round < rounds; round++) {
    progress(`  interactive round ${round + 1} of ${rounds}`);
    for (const e of envs) {
      floor.get(e)!.push(timeOnce(['-e', '0'], small, e));
      cmds.forEach((c, i) => runs.get(e)![i].push(timeOnce([BIN, ...c.args], c.db, e)));
    }
  }
  const floorMs = median(floor.get('as is')!);
  const bare = floor.get('without extra CA');
  const measurements = cmds.map((c, i): InteractiveMeasurement => {
    const r = runs.get('as is')![i];
    const m = median(r);
    const [target, pass] = judge(c, m, floorMs);
    const measured: InteractiveMeasurement = {
      name: c.name,
      hub: c.hub,
      runs: r,
      medianMs: m,
      minMs: Math.min(...r),
      maxMs: Math.max(...r),
      ratio: m / floorMs,
      target,
      pass,
    };
    if (bare === undefined) return measured;
    const without = median(runs.get('without extra CA')![i]);
    return { ...measured, withoutExtraCaMs: without, passWithoutExtraCa: judge(c, without, median(bare))[1] };
  });
  return { floor: floor.get('as is')!, floorWithoutExtraCa: bare, measurements, picker: measurePicker(big) };
}

/** Each picker keystroke's answer, five times each, in one process with the hub open. */
function measurePicker(file: string): PickerMeasurement[] {
  const r = spawnSync(process.execPath, [PICKER, file, ...PICKER_TERMS], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`the picker measurement failed (${r.status ?? r.signal})`);
  const times = JSON.parse(r.stdout) as Record<string, number[]>;
  return PICKER_TERMS.map((term) => {
    const runs = times[term];
    const m = median(runs);
    return {
      term,
      runs,
      medianMs: m,
      minMs: Math.min(...runs),
      maxMs: Math.max(...runs),
      target: `≤ ${INTERACTIVE_TARGETS.searchMs} ms`,
      pass: m <= INTERACTIVE_TARGETS.searchMs,
    };
  });
}
