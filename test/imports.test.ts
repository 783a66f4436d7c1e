/**
 * The shape of src/ as Node loads it: no import cycle anywhere, and the layers of the README's layout
 * (a command reaches the hub only through a use case in src/app). The graph is the one the compiled
 * program has: it is read from the JavaScript `npm run build` wrote to dist/ for each file of src/ (so
 * imports used only as types are gone), and dynamic `import()` counts as an edge (a lazily loaded module
 * is still a dependency). Reading the build rather than transpiling src/ again saves seconds per run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from '@jest/globals';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');

type Graph = Map<string, string[]>;

function sources(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Relative imports of one file as they remain in its compiled JavaScript, as paths relative to src/. */
function runtimeImports(file: string): string[] {
  const compiled = path.join(DIST, path.relative(SRC, file)).replace(/\.ts$/, '.js');
  if (!fs.existsSync(compiled) || fs.statSync(compiled).mtimeMs < fs.statSync(file).mtimeMs) {
    throw new Error(`${compiled} is missing or older than ${file}: run \`npm run build\` first`);
  }
  const info = ts.preProcessFile(fs.readFileSync(compiled, 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => path.relative(SRC, path.resolve(path.dirname(file), name.replace(/\.js$/, '.ts'))));
}

function importGraph(): Graph {
  return new Map(sources(SRC).map((f) => [path.relative(SRC, f), runtimeImports(f)]));
}

/** Every cycle as its strongly connected component (Tarjan), each listed in a stable order. */
export function cycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

describe('the import graph of src/', () => {
  const graph = importGraph();

  it('is read from the program: a known command imports its use case', () => {
    expect(graph.get(path.join('cli', 'commands', 'users.ts'))).toContain(path.join('app', 'users.ts'));
    expect(graph.size).toBeGreaterThan(80);
  });

  it('has no cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('keeps the command line above the use cases: src/cli never imports the store, the engine or the readers', () => {
    const below = ['store', 'engine', 'sources', 'targets'].map((d) => d + path.sep);
    const crossing = [...graph].flatMap(([file, deps]) =>
      file.startsWith('cli' + path.sep) ? deps.filter((d) => below.some((b) => d.startsWith(b))).map((d) => `${file} → ${d}`) : [],
    );
    expect(crossing).toEqual([]);
  });

  it('finds a cycle where there is one, also through a lazy import', () => {
    const g: Graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    expect(cycles(g)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['e.ts']]);
  });
});
