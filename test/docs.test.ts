/**
 * The project documents itself: every rule number it prints is explained in docs/rules.md, which ships
 * with the package, and no file of the project points at files outside it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function files(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', '.git', '.node-versions', '.bench', 'coverage'].includes(e.name)) continue; // not the project's own files
    const p = path.join(dir, e.name);
    if (e.isDirectory()) files(p, out);
    else if (/\.(ts|js|mjs|md|json)$/.test(e.name) && e.name !== 'package-lock.json') out.push(p);
  }
  return out;
}

describe('docs/rules.md', () => {
  const rules = fs.readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf8');

  it('explains every rule number that the program prints', () => {
    const cited = new Set<string>();
    for (const f of files(path.join(ROOT, 'src'))) for (const m of fs.readFileSync(f, 'utf8').matchAll(/\bR(\d{1,2})\b/g)) cited.add(m[1]!);
    expect(cited.size).toBeGreaterThan(10);
    for (const n of cited) expect(rules).toMatch(new RegExp(`\\*\\*R${n} – `));
  });

  it('ships with the package', () => {
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).files).toContain('docs');
  });
});

describe('the project points at nothing outside it', () => {
  it('has no ../shared paths and no issue numbers in its files', () => {
    const bad: string[] = [];
    for (const f of files(ROOT)) {
      if (f.includes(`${path.sep}fixtures${path.sep}`) && !f.endsWith('.md')) continue;
      const text = fs.readFileSync(f, 'utf8');
      if (/\.\.\/shared\b|\bissue \d+\b/i.test(text) && !f.endsWith('docs.test.ts')) bad.push(path.relative(ROOT, f));
    }
    expect(bad).toEqual([]);
  });
});
