/**
 * Real syncs against real commands, each in its own process, as cron and a coordinator would run them
 * at the same time: `exceptions add`, `exceptions remove`, `users edit` and `users delete` start at
 * several moments of a sync of a few thousand accounts (while it reads, plans, writes, or just after).
 * Whatever the timing: no account ends both deleted and listed, and every command that said it did
 * something did it.
 */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { FAMILY_NAMES, GIVEN_NAMES } from '../../src/bench/names.js';
import { BIN, DEMO_HR_SOURCE, Hub } from './cli.js';

const PEOPLE = 4000;
/**
 * Accounts per kind of command and round: one. Each round still races all four kinds against the sync at
 * its moment; three of each (52 processes in all, at some 0.15 s of CPU each) only started more processes
 * at the same moment.
 */
const PER_GROUP = 1;
/** When the commands start, in ms after the sync was started. */
const DELAYS = [0, 120, 300, 600];

interface Done {
  code: number;
  json: any;
  error: any;
}

/** Runs the CLI in its own process without waiting for it. */
function start(hub: Hub, args: string[], actor: string): Promise<Done> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--db', hub.db, ...args, '--json'], {
      env: { ...process.env, NO_COLOR: '1', BASISHUB_NOW: hub.now, BASISHUB_ACTOR: actor, BASISHUB_DB: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{"error"'))
        .pop();
      resolve({ code: code ?? -1, json: code === 0 ? JSON.parse(stdout) : undefined, error: line ? JSON.parse(line).error : undefined });
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An AFAS-like HR export (semicolon CSV with BOM), without the people whose numbers are in `gone`. */
function hrExport(dir: string, name: string, gone: Set<number>): string {
  const lines = ['Personeelsnummer;Voornaam;Tussenvoegsel;Achternaam;E-mailadres;School;Team'];
  for (let i = 0; i < PEOPLE; i++) {
    if (gone.has(i)) continue;
    const given = GIVEN_NAMES[i % GIVEN_NAMES.length]!;
    const [prefix, family] = FAMILY_NAMES[(i * 7) % FAMILY_NAMES.length]!;
    lines.push([`P${100000 + i}`, given, prefix, family, `p${100000 + i}@waterlanden.nl`, `School ${i % 40}`, `Groep ${1 + (i % 8)}`].join(';'));
  }
  const file = path.join(dir, name);
  fs.writeFileSync(file, '\uFEFF' + lines.join('\r\n') + '\r\n');
  return file;
}

interface Row {
  status: string;
  family: string;
  listed: number;
}

function state(hub: Hub, refs: string[]): Map<string, Row> {
  const db = new Database(hub.db, { readonly: true });
  try {
    const q = db.prepare(
      `SELECT a.status, a.family_name AS family, (SELECT count(*) FROM exceptions e WHERE e.account_id = a.id) AS listed
       FROM links l JOIN accounts a ON a.id = l.account_id WHERE l.source = 'hr' AND l.external_id = ?`,
    );
    return new Map(refs.map((r) => [r, q.get(r.slice(3)) as Row]));
  } finally {
    db.close();
  }
}

function deletedAndListed(hub: Hub): number {
  const db = new Database(hub.db, { readonly: true });
  try {
    return db.prepare("SELECT count(*) FROM exceptions e JOIN accounts a ON a.id = e.account_id WHERE a.status = 'deleted'").pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('syncs racing exceptions add/remove and users edit/delete, in separate processes', () => {
  it('never ends with an account both deleted and listed, and every command that succeeded did what it said', async () => {
    const hub = new Hub();
    hub.ok(['init']);
    const gone = new Set<number>();
    const base = hrExport(hub.dir, 'hr-0.csv', gone);
    hub.ok(['sources', 'add', 'hr', '--file', base, ...DEMO_HR_SOURCE]);
    expect(hub.ok(['sync', 'run']).counts.created).toBe(PEOPLE);

    let next = 0;
    const take = () => Array.from({ length: PER_GROUP }, () => next++);
    const ref = (i: number) => `hr:P${100000 + i}`;

    for (const [round, delay] of DELAYS.entries()) {
      hub.now = `2026-11-${25 + round}T02:00:00.000Z`;
      // Each round drops four groups from the export, and races one command per account against the sync.
      const adds = take(); // unlisted, dropped: the sync deletes them unless the add comes first
      const removes = take(); // listed, dropped: protected unless the remove comes first
      const edits = take(); // unlisted, dropped: edited by hand while the sync deletes them
      const deletes = take(); // listed, dropped: deleted by hand while the sync keeps them
      const listFile = path.join(hub.dir, `list-${round}.csv`);
      fs.writeFileSync(listFile, 'user;reason\n' + [...removes, ...deletes].map((i) => `${ref(i)};Invalpool ronde ${round}`).join('\n') + '\n');
      hub.ok(['exceptions', 'import', listFile]);
      for (const i of [...adds, ...removes, ...edits, ...deletes]) gone.add(i);
      const exportFile = hrExport(hub.dir, `hr-${round + 1}.csv`, gone);

      const sync = start(hub, ['sync', 'run', '--source', `hr=${exportFile}`, '--max-deletes', '1000'], 'cron');
      await sleep(delay);
      const commands = [
        ...adds.map((i) => ({ kind: 'add', i, run: start(hub, ['exceptions', 'add', ref(i), '--reason', 'Zwangerschapsverlof, komt terug'], 'coordinator') })),
        ...removes.map((i) => ({ kind: 'remove', i, run: start(hub, ['exceptions', 'remove', ref(i), '--yes'], 'coordinator') })),
        ...edits.map((i) => ({ kind: 'edit', i, run: start(hub, ['users', 'edit', ref(i), '--family-name', `Jansen-ronde${round}`, '--force'], 'ib-er') })),
        ...deletes.map((i) => ({ kind: 'delete', i, run: start(hub, ['users', 'delete', ref(i), '--yes', '--reason', 'uit dienst'], 'ib-er') })),
      ];
      const s = await sync;
      expect(s.error).toBeUndefined();
      expect(s.code).toBe(0);
      const done = await Promise.all(commands.map(async (c) => ({ ...c, r: await c.run })));
      const end = state(
        hub,
        done.map((c) => ref(c.i)),
      );

      for (const c of done) {
        const row = end.get(ref(c.i))!;
        const what = `round ${round} (+${delay} ms): ${c.kind} ${ref(c.i)} exited ${c.r.code} ${c.r.error?.code ?? ''}; now ${JSON.stringify(row)}`;
        const ok = (() => {
          switch (c.kind) {
            // "a sync will not delete it": listed and active; or refused because the sync deleted it first.
            case 'add':
              return c.r.code === 0
                ? row.listed === 1 && row.status === 'active'
                : c.r.error?.code === 'USER_DELETED' && row.status === 'deleted' && row.listed === 0;
            // Off the list; the sync deleted it only if the remove came first.
            case 'remove':
              return c.r.code === 0 && row.listed === 0;
            // The new name, whether the sync deleted the account after it or not; or refused on a deleted account.
            case 'edit':
              return c.r.code === 0
                ? row.family === `Jansen-ronde${round}`
                : c.r.error?.code === 'USER_DELETED' && row.status === 'deleted' && row.family !== `Jansen-ronde${round}`;
            // Deleted and off the list: the sync neither brought it back nor kept its entry.
            case 'delete':
              return c.r.code === 0 && row.status === 'deleted' && row.listed === 0;
          }
          return false;
        })();
        if (!ok) throw new Error(`claim broken: ${what}`);
      }
      expect(deletedAndListed(hub)).toBe(0);
    }

    // A last quiet sync: what was taken off the list and is offered by no source goes now; nothing listed is deleted.
    hub.now = '2026-12-01T02:00:00.000Z';
    const last = hub.ok(['sync', 'run', '--source', `hr=${hrExport(hub.dir, 'hr-last.csv', gone)}`, '--max-deletes', '1000']);
    expect(last.replanned).toBe(0);
    expect(deletedAndListed(hub)).toBe(0);
    const check = hub.run(['check', '--json']);
    expect(check.code).toBe(0);
    expect(check.json).toMatchObject({ ok: true, problems: [] });
  }, 240_000);
});
