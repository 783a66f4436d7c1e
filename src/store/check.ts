/**
 * Is the hub whole? SQLite's own integrity check, then the hub's invariants: no account both deleted
 * and listed (R4, R7), every listed account has a source link (R9), every link and list entry points to
 * an account, and the runs' audit id ranges are consistent (a run's entries are the ids from first_audit
 * to last_audit, written in one transaction). Read-only: it never writes to the file it checks.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { retuneHeap } from '../heap.js';
import type { DB } from './db.js';
import { APP_ID } from './db.js';

export interface Problem {
  /** integrity | not-a-hub | deleted-and-listed | listed-without-link | list-entry-without-account | link-without-account | run-range | unreadable */
  kind: string;
  message: string;
  /** The account ids concerned, where there are some (at most 20). */
  accounts?: number[];
}

const MAX_INTEGRITY_LINES = 20;
const MAX_IDS = 20;

function ids(rows: number[]): { accounts: number[]; more: string } {
  return { accounts: rows.slice(0, MAX_IDS), more: rows.length > MAX_IDS ? ` (the first ${MAX_IDS} of ${rows.length})` : '' };
}

/** Runs `fn`; a failure (a malformed page met while reading) becomes a problem of its own. */
function guarded(problems: Problem[], what: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    problems.push({ kind: 'unreadable', message: `${what}: SQLite cannot read it (${(err as Error).message})` });
  }
}

/** SQLite's structural check: `quick` checks pages and records, the full one also every index's content. */
export function integrityProblems(db: DB, quick = false): Problem[] {
  const problems: Problem[] = [];
  guarded(problems, 'the integrity check', () => {
    const rows = db.pragma(`${quick ? 'quick_check' : 'integrity_check'}(${MAX_INTEGRITY_LINES})`, { simple: false }) as Record<string, string>[];
    const lines = rows.map((r) => Object.values(r)[0]).filter((l) => l !== 'ok');
    for (const l of lines) problems.push({ kind: 'integrity', message: l });
  });
  return problems;
}

const INVARIANTS: { kind: string; sql: string; message: (n: string) => string }[] = [
  {
    kind: 'deleted-and-listed',
    sql: "SELECT e.account_id FROM exceptions e JOIN accounts a ON a.id = e.account_id WHERE a.status = 'deleted' ORDER BY 1",
    message: (n) => `accounts both deleted and on the exception list${n}`,
  },
  {
    kind: 'listed-without-link',
    sql: 'SELECT e.account_id FROM exceptions e WHERE NOT EXISTS (SELECT 1 FROM links l WHERE l.account_id = e.account_id) ORDER BY 1',
    message: (n) => `listed accounts without any source link${n}`,
  },
  {
    kind: 'list-entry-without-account',
    sql: 'SELECT e.account_id FROM exceptions e WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = e.account_id) ORDER BY 1',
    message: (n) => `exception list entries for accounts that do not exist${n}`,
  },
  {
    kind: 'link-without-account',
    sql: 'SELECT DISTINCT l.account_id FROM links l WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = l.account_id) ORDER BY 1',
    message: (n) => `source links to accounts that do not exist${n}`,
  },
];

/** The hub's own rules, each as a query that finds the accounts breaking it. */
export function invariantProblems(db: DB): Problem[] {
  const problems: Problem[] = [];
  for (const inv of INVARIANTS) {
    guarded(problems, inv.kind, () => {
      const found = db.prepare(inv.sql).pluck().all() as number[];
      if (found.length === 0) return;
      const { accounts, more } = ids(found);
      problems.push({ kind: inv.kind, message: `${found.length} ${inv.message(more)}: ${accounts.map((id) => `#${id}`).join(', ')}`, accounts });
    });
  }
  guarded(problems, 'the runs and their audit ranges', () => problems.push(...runRangeProblems(db)));
  return problems;
}

/** Each run's audit range lies within the trail, ranges do not overlap, and every entry in one is that run's. */
function runRangeProblems(db: DB): Problem[] {
  const out: Problem[] = [];
  const maxAudit = (db.prepare('SELECT coalesce(max(id), 0) FROM audit').pluck().get() as number) ?? 0;
  const runs = db
    .prepare('SELECT id, first_audit, last_audit FROM runs WHERE first_audit IS NOT NULL OR last_audit IS NOT NULL ORDER BY first_audit, id')
    .raw()
    .all() as [number, number | null, number | null][];
  const foreign = db.prepare('SELECT count(*) FROM audit WHERE id BETWEEN ? AND ? AND run_id IS NOT ?').pluck();
  let previous: { id: number; last: number } | null = null;
  for (const [id, first, last] of runs) {
    if (first === null || last === null || first > last || last > maxAudit) {
      out.push({
        kind: 'run-range',
        message: `run ${id} claims audit entries ${first ?? '?'}–${last ?? '?'}, which the audit trail (up to ${maxAudit}) does not hold`,
      });
      continue;
    }
    if (previous !== null && first <= previous.last) {
      out.push({ kind: 'run-range', message: `runs ${previous.id} and ${id} claim overlapping audit entries (${first}–${previous.last})` });
    }
    const others = foreign.get(first, last, id) as number;
    if (others > 0) out.push({ kind: 'run-range', message: `${others} audit entries within run ${id}'s range (${first}–${last}) belong to something else` });
    previous = { id, last };
  }
  const orphans = db.prepare('SELECT count(*) FROM audit WHERE run_id IS NOT NULL AND run_id NOT IN (SELECT id FROM runs)').pluck().get() as number;
  if (orphans > 0) out.push({ kind: 'run-range', message: `${orphans} audit entries name a sync run that does not exist` });
  return out;
}

/** The full check of `basishub check`: is it a hub, SQLite's integrity check, the invariants. */
export function checkDatabase(db: DB): Problem[] {
  const problems: Problem[] = [];
  let appId: number | null = null;
  try {
    appId = db.pragma('application_id', { simple: true }) as number;
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    // Nothing else can be read: one problem says it all.
    return [
      { kind: 'unreadable', message: `the file is not an SQLite database, or its first page (the header and schema) is damaged (${(err as Error).message})` },
    ];
  }
  if (appId !== null && appId !== APP_ID) {
    problems.push({ kind: 'not-a-hub', message: "the file is an SQLite database but not a basishub hub (its application id is not the hub's)" });
    return problems;
  }
  problems.push(...integrityProblems(db));
  problems.push(...invariantProblems(db));
  return problems;
}

/** A quick check that runs beside the caller, on its own connection; `stop()` ends it early. */
export interface BackgroundCheck {
  /** The problems found; null when the check could not run in the background (the caller runs it itself). */
  result: Promise<Problem[] | null>;
  /**
   * Resolves once the worker runs (or could not start). Making the worker's heap undoes this process's
   * young-generation tuning (src/heap.ts), which is set again by then: a caller that waits for it
   * allocates nothing while the young generation may double.
   */
  started: Promise<void>;
  /** Ends the worker; resolves when it has stopped and its connection to the hub is closed. */
  stop(): Promise<void>;
}

const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.lib);
let db;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  const rows = db.pragma('quick_check(${MAX_INTEGRITY_LINES})');
  parentPort.postMessage({ lines: rows.map((r) => Object.values(r)[0]).filter((l) => l !== 'ok') });
} catch (err) {
  parentPort.postMessage({ failed: String(err && err.message), code: err && err.code });
} finally {
  if (db) db.close();
}
`;

/**
 * SQLite's quick check of the hub at `file`, in a worker thread: a sync starts it before it reads its
 * exports and waits for it before it writes, so the check (every page of the hub) costs a second core's
 * time rather than the night's. The hub must be open in WAL mode by the caller (its -wal and -shm exist),
 * so the read-only connection creates no file.
 */
export function quickCheckInBackground(file: string): BackgroundCheck {
  let worker: Worker | undefined;
  let running = (): void => {};
  const started = new Promise<void>((resolve) => (running = resolve));
  const result = new Promise<Problem[] | null>((resolve) => {
    try {
      const lib = createRequire(import.meta.url).resolve('better-sqlite3');
      worker = new Worker(WORKER_CODE, { eval: true, workerData: { file, lib } });
      worker.once('online', () => {
        retuneHeap();
        running();
      });
    } catch {
      running();
      resolve(null);
      return;
    }
    worker.once('message', (m: { lines?: string[]; failed?: string; code?: string }) => {
      if (m.lines !== undefined) resolve(m.lines.map((l) => ({ kind: 'integrity', message: l })));
      else if (m.code !== undefined && (m.code.startsWith('SQLITE_CORRUPT') || m.code === 'SQLITE_NOTADB'))
        resolve([{ kind: 'unreadable', message: `the quick check: SQLite cannot read it (${m.failed})` }]);
      else resolve(null);
    });
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null));
  });
  void result.then(running); // a worker that failed before it ran
  return { result, started, stop: async () => void (await worker?.terminate()) };
}
