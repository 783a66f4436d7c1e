/**
 * Summarises a V8 CPU profile (from `npm run bench -- --profile`, or `node --cpu-prof
 * dist/bench/worker.js …`): the functions with the most self time, and the functions of basishub with
 * the most total time (self plus what they call).
 *
 *   node dist/bench/profile.js <file.cpuprofile> [--top 25]
 */
import fs from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function frameName(f: CallFrame): string {
  const url = f.url.replace(/^file:\/\//, '');
  const dist = url.lastIndexOf('/dist/');
  const modules = url.lastIndexOf('/node_modules/');
  const file = url === '' ? '' : dist >= 0 ? url.slice(dist + 1) : modules >= 0 ? url.slice(modules + 1) : path.basename(url);
  const where = file === '' ? '' : ` ${file}:${f.lineNumber + 1}`;
  return `${f.functionName || '(anonymous)'}${where}`;
}

export function summarise(profile: CpuProfile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = profile.endTime - profile.startTime;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const name = frameName(byId.get(id)!.callFrame);
    self.set(name, (self.get(name) ?? 0) + us);
    // Each frame on the stack once (recursion counted once).
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = frameName(byId.get(cur)!.callFrame);
      if (seen.has(n)) continue;
      seen.add(n);
      inclusive.set(n, (inclusive.get(n) ?? 0) + us);
    }
  }
  const fmt = (us: number) => `${(us / 1e6).toFixed(2).padStart(7)} s ${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const lines = [`profile: ${(total / 1e6).toFixed(2)} s`, '', 'self time:'];
  for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${fmt(us)}  ${name}`);
  lines.push('', 'total time (basishub functions):');
  const ours = [...inclusive].filter(([name]) => name.includes(' dist/'));
  for (const [name, us] of ours.sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${fmt(us)}  ${name}`);
  return lines.join('\n') + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write('usage: node dist/bench/profile.js <file.cpuprofile> [--top 25]\n');
    process.exit(2);
  }
  const i = process.argv.indexOf('--top');
  const top = i > 0 ? Number(process.argv[i + 1]) : 25;
  process.stdout.write(summarise(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile, top));
}
