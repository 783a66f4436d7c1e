/**
 * One short week of the exception list, through the command line in-process, in a language of choice:
 * add, protect at the sync, return, remove, delete at the sync, restore; and the common refusals.
 * Every step is recorded as what a person (or a script, with --json) would read.
 */
import { TestHub, nightFile } from './hub.js';
import { cli, type CliRun } from './cli.js';

export interface WeekStep {
  name: string;
  run: CliRun;
}

export interface WeekOptions {
  /** Arguments before the command (`--lang nl`, `--json`). */
  args?: string[];
  env?: Record<string, string>;
  /** A terminal of this many columns; absent: pipes. */
  columns?: number;
  /**
   * Steps (by name) that only read, run again on the same hub at the same moment in other ways; each
   * recorded as a step named `<name> [<i>]`, i the way's index.
   */
  alongside?: { steps: string[]; ways: Omit<WeekOptions, 'alongside'>[] };
}

const FATIMA = 'fatima.elamrani@waterlanden.nl';

function nightArgs(n: number): string[] {
  return [
    'sync',
    'run',
    '--source',
    `hr=${nightFile(n, 'hr')}`,
    '--source',
    `parnassys=${nightFile(n, 'parnassys')}`,
    '--source',
    `basispoort=${nightFile(n, 'basispoort')}`,
  ];
}

export async function playWeek(opts: WeekOptions = {}): Promise<WeekStep[]> {
  const hub = new TestHub().demoSources();
  const steps: WeekStep[] = [];
  const at = (day: number, hour: string) => `2026-11-${String(23 + day).padStart(2, '0')}T${hour}:00:00.000Z`;
  const runAs = (way: WeekOptions, now: string, args: string[], env: Record<string, string>) =>
    cli(['--db', hub.dbPath, ...(way.args ?? []), ...args], {
      columns: way.columns,
      env: { BASISHUB_NOW: now, LANG: 'C.UTF-8', ...way.env, ...env },
    });
  const run = async (name: string, now: string, args: string[], env: Record<string, string> = {}) => {
    const r = await runAs(opts, now, args, env);
    steps.push({ name, run: r });
    if (opts.alongside?.steps.includes(name)) {
      for (const [i, way] of opts.alongside.ways.entries()) steps.push({ name: `${name} [${i}]`, run: await runAs(way, now, args, env) });
    }
    return r;
  };
  try {
    await run('night 1', at(1, '02'), nightArgs(1));
    await run('add', at(1, '10'), ['exceptions', 'add', FATIMA, '--reason', 'Invalpool: tussen twee contracten', '--until', '2027-01-31']);
    await run('add twice', at(1, '10'), ['exceptions', 'add', FATIMA, '--reason', 'nog eens']);
    await run('add without reason', at(1, '10'), ['exceptions', 'add', 'hr:10234']);
    await run('add unknown', at(1, '10'), ['exceptions', 'add', 'nobody@waterlanden.nl', '--reason', 'x']);
    await run('add past date', at(1, '10'), ['exceptions', 'add', 'hr:10234', '--reason', 'x', '--until', '01-01-2020']);
    await run('night 2: protect', at(2, '02'), nightArgs(2));
    await run('list', at(2, '10'), ['exceptions', 'list']);
    await run('edit', at(2, '10'), ['exceptions', 'edit', FATIMA, '--reason', 'Invalpool: nieuw contract in januari', '--until', '31-12-2026']);
    await run('review', at(2, '10'), ['exceptions', 'review', '--older-than', '30']);
    await run('night 4: return', at(4, '02'), nightArgs(4));
    await run('remove', at(4, '10'), ['exceptions', 'remove', FATIMA]);
    await run('remove again', at(4, '10'), ['exceptions', 'remove', FATIMA]);
    await run('night 5: delete', at(5, '02'), nightArgs(5));
    await run('restore', at(5, '10'), ['users', 'restore', FATIMA]);
    await run('add restored', at(5, '10'), ['exceptions', 'add', FATIMA, '--reason', 'x']);
    await run('users list', at(5, '10'), ['users', 'list', '--search', 'el Amrani']);
    await run('users show', at(5, '10'), ['users', 'show', FATIMA]);
    await run('delete without --yes', at(5, '10'), ['users', 'delete', 'hr:10234']);
    await run('history', at(5, '10'), ['sync', 'history']);
  } finally {
    hub.close();
  }
  return steps;
}

/** What a person reads of a step: stdout, then stderr. */
export function said(s: WeekStep): string {
  return s.run.stdout + s.run.stderr;
}
