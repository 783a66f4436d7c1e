/**
 * The bench's publish measurements (src/bench/worker.ts): writing a file target from a hub, and
 * publishing to a SCIM service on the loopback address with bounded concurrency, where the service runs
 * in another process so that the client's CPU time can be told from the service's.
 */
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { openStore, systemClock, type AppContext } from '../app/context.js';
import { publish } from '../app/publish.js';
import { addSource } from '../app/sources.js';
import { runSync } from '../app/sync.js';
import { addTarget } from '../app/targets.js';
import { createDatabase } from '../store/db.js';
import { TargetStore } from '../store/targets.js';
import type { PublishCounts } from '../targets/types.js';
import { HR_MAP } from './generate.js';

export interface PublishMeasurement {
  seconds: number;
  cpuSeconds: number;
  counts: PublishCounts;
  requests?: number;
  serverCpuSeconds?: number;
}

const TOKEN = 'bench-token';

function context(db: string): AppContext {
  return {
    store: openStore(db),
    dbPath: db,
    actor: 'bench',
    clock: systemClock(),
    yes: true,
    notify: { warn: () => {}, info: () => {}, progress: () => {}, progressDone: () => {} },
  };
}

async function timed(ctx: AppContext, env: NodeJS.ProcessEnv): Promise<PublishMeasurement> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = (await publish(ctx, { env })).targets[0];
  const cpu = process.cpuUsage(cpu0);
  if (r.status !== 'completed') throw new Error(`publish ${r.status}: ${r.failures[0]?.message ?? r.stopReason}`);
  return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, counts: r.counts, requests: r.requests };
}

/**
 * A publish of the whole hub to an SDS v2.1 folder: the first (the target is added; with `first` it is
 * removed beforehand, outside the time measured), or the next.
 */
export async function publishFiles(db: string, output: string, first = false): Promise<PublishMeasurement> {
  const ctx = context(db);
  try {
    const ts = new TargetStore(ctx.store);
    if (first) ctx.store.transaction(() => ts.remove('bench-sds'));
    if (ts.target('bench-sds') === undefined) addTarget(ctx, 'bench-sds', { kind: 'sds-v2.1', output });
    return await timed(ctx, {});
  } finally {
    ctx.store.db.close();
  }
}

/** A fresh hub from `exportFile`, then (timed) its first publish to a SCIM service in another process. */
export async function publishScim(db: string, exportFile: string, concurrency: number): Promise<PublishMeasurement> {
  createDatabase(db);
  const ctx = context(db);
  const child = fork(new URL('./scim-serve.js', import.meta.url).pathname, [TOKEN], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ask = <T>(message?: string) =>
    new Promise<T>((resolve) => {
      child.once('message', (m) => resolve(m as T));
      if (message) child.send(message);
    });
  try {
    const { url } = await ask<{ url: string }>();
    addSource(ctx, 'hr', { file: exportFile, kind: 'hr', map: HR_MAP });
    await runSync(ctx);
    addTarget(ctx, 'bench-scim', { kind: 'scim', url, tokenEnv: 'BENCH_SCIM_TOKEN', concurrency }, { BENCH_SCIM_TOKEN: TOKEN });
    const before = await ask<{ cpuSeconds: number }>('stats');
    const m = await timed(ctx, { BENCH_SCIM_TOKEN: TOKEN });
    const after = await ask<{ cpuSeconds: number }>('stats');
    return { ...m, serverCpuSeconds: after.cpuSeconds - before.cpuSeconds };
  } finally {
    child.send('stop');
    ctx.store.db.close();
  }
}
