/**
 * How the binary starts (bin/basishub.js): it runs the CLI bundled into one script (dist/bundle, made by
 * `npm run build`) with V8's compiled code kept per command group in a private folder of the temporary
 * folder. Whatever the start does, a command must answer exactly as the compiled modules do in-process
 * (what every other test drives): help, --version, and the commands that need every group loaded
 * (`completion`, `help <command>`). The cache must be made once, used after, replaced when V8 refuses
 * it, and never read from a folder that another user could have written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { BIN, Hub, ROOT, tempDir } from '../helpers/hub.js';
import { commandGroup, heapTunedFor } from '../../src/heap.js';

/** The binary with nothing but these arguments (no --db), in a temporary folder of its own. */
function bare(args: string[], tmp: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1', LANG: 'C.UTF-8', LC_ALL: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The cache folder of this user under `tmp`, and its files. */
function cacheOf(tmp: string): { dir: string; files: string[] } {
  const dir = path.join(tmp, `basishub-code-cache-${process.getuid?.() ?? 'user'}`);
  return { dir, files: fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [] };
}

describe('the start of the binary', () => {
  const hub = new Hub();
  hub.setupDemoSources();
  hub.night(1);

  it('is the bundle that npm run build makes, in ASCII as the shim reads it', () => {
    const bundle = fs.readFileSync(path.join(ROOT, 'dist', 'bundle', 'basishub.cjs'));
    expect(bundle.length).toBeGreaterThan(100_000);
    expect(bundle.findIndex((b) => b > 0x7f)).toBe(-1);
    // No import() of its own: code that V8 takes from the cache loses the script's import() callback, so the
    // prompt library (an ES module outside the bundle) is imported by the shim (__esmImport).
    expect(bundle.toString('latin1')).not.toMatch(/\bimport\(/);
    expect(bundle.toString('latin1')).toContain('__esmImport("@inquirer/prompts")');
  });

  it('answers --version and -V as commander does in the compiled modules', () => {
    const tmp = tempDir('basishub-start-');
    const inProcess = hub.run(['--version']);
    for (const flag of ['--version', '-V']) {
      const r = bare([flag], tmp);
      expect(r).toEqual({ code: 0, stdout: inProcess.stdout, stderr: '' });
      expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    }
  });

  it.each([
    ['the program help', ['--help']],
    ['no command at all', []],
    ['a group help', ['exceptions', '--help']],
    ['help of a command (every group loaded)', ['help', 'exceptions', 'add']],
    ['bash completion (every group loaded)', ['completion', 'bash']],
    ['zsh completion (every group loaded)', ['completion', 'zsh']],
    ['an unknown command', ['gebruikers']],
  ])('prints %s byte for byte as the compiled modules do, in English and Dutch', (_what, args) => {
    for (const lang of ['en', 'nl']) {
      const spawned = hub.spawn(args, { env: { BASISHUB_LANG: lang } });
      const inProcess = hub.run(args, { env: { BASISHUB_LANG: lang } });
      expect(spawned.code).toBe(inProcess.code);
      expect(spawned.stdout).toBe(inProcess.stdout);
      expect(spawned.stderr).toBe(inProcess.stderr);
      expect(spawned.stdout + spawned.stderr).not.toBe('');
    }
  });

  it('keeps the compiled code of a group once, in a folder and files only this user may read, and uses it after', () => {
    const tmp = tempDir('basishub-start-');
    const first = hub.spawn(['exceptions', 'list', '--json'], { env: { TMPDIR: tmp } });
    expect(first.code).toBe(0);
    const { dir, files } = cacheOf(tmp);
    expect(files).toEqual([expect.stringMatching(/^exceptions-v\d+\.\d+\.\d+-\w+-\d+-\d+\.bin$/)]);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const file = path.join(dir, files[0]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const made = fs.statSync(file);

    // Accepted: not written again, and the answer is the same.
    const second = hub.spawn(['exceptions', 'list', '--json'], { env: { TMPDIR: tmp } });
    expect(second).toEqual(first);
    expect(fs.statSync(file).ino).toBe(made.ino);
    expect(fs.statSync(file).mtimeMs).toBe(made.mtimeMs);

    // Another group has its own file; help and --version alone write none.
    expect(hub.spawn(['users', 'list', '--json'], { env: { TMPDIR: tmp } }).code).toBe(0);
    bare(['--version'], tmp);
    expect(cacheOf(tmp).files.map((f) => f.split('-v')[0])).toEqual(['exceptions', 'users']);
  });

  it("tunes the heap of a long command only: a search or a list keeps V8's own and never loads node:v8", () => {
    expect(commandGroup(['--db', 'users', '--lang', 'nl', 'sync', '--dry-run'])).toBe('sync');
    expect(commandGroup(['--json', '--help'])).toBeUndefined();
    for (const argv of [['users', 'list', '--search', 'jansen'], ['--db', 'sync', 'exceptions', 'list'], ['audit'], ['--help'], []])
      expect(heapTunedFor(argv)).toBe(false);
    for (const argv of [['sync'], ['--db', 'users', 'publish'], ['check'], ['revert', '3'], ['backup', 'x.db']]) expect(heapTunedFor(argv)).toBe(true);

    // In the real process: what the shim and runProcess decide, seen by a preloaded script at the exit.
    const tmp = tempDir('basishub-start-');
    const report = path.join(tmp, 'v8.txt');
    const preload = path.join(tmp, 'preload.cjs');
    fs.writeFileSync(
      preload,
      `process.on('exit', () => require('node:fs').appendFileSync(${JSON.stringify(report)}, process.moduleLoadList.includes('NativeModule v8') + '\\n'));`,
    );
    const env = { TMPDIR: tmp, NODE_OPTIONS: `--require ${preload}` };
    for (const args of [
      ['users', 'list', '--search', 'jansen', '--limit', '3'],
      ['sync', 'history'],
    ])
      expect(hub.spawn(args, { env }).code).toBe(0);
    expect(fs.readFileSync(report, 'utf8')).toBe('false\ntrue\n');
  });

  it('replaces a cache that V8 refuses (damaged, or from another Node), and answers the same meanwhile', () => {
    const tmp = tempDir('basishub-start-');
    const good = hub.spawn(['sync', 'history', '--json'], { env: { TMPDIR: tmp } });
    const { dir, files } = cacheOf(tmp);
    const file = path.join(dir, files[0]);
    const size = fs.statSync(file).size;
    fs.writeFileSync(file, Buffer.alloc(size, 0x5a), { mode: 0o600 });
    const again = hub.spawn(['sync', 'history', '--json'], { env: { TMPDIR: tmp } });
    expect(again).toEqual(good);
    const bytes = fs.readFileSync(file);
    expect(bytes.length).toBeGreaterThan(1000);
    expect(bytes.every((b) => b === 0x5a)).toBe(false);
  });

  it('neither reads nor writes a cache folder that others may write', () => {
    const tmp = tempDir('basishub-start-');
    const { dir } = cacheOf(tmp);
    fs.mkdirSync(dir, { mode: 0o700 });
    fs.chmodSync(dir, 0o777);
    const planted = path.join(dir, 'planted.bin');
    fs.writeFileSync(planted, 'not V8 code');
    const r = hub.spawn(['users', 'list', '--json'], { env: { TMPDIR: tmp } });
    expect(r.code).toBe(0);
    expect(r.json).toEqual(hub.run(['users', 'list', '--json']).json);
    expect(fs.readdirSync(dir)).toEqual(['planted.bin']);
  });

  it('starts without a usable temporary folder', () => {
    const tmp = path.join(tempDir('basishub-start-'), 'missing', 'file');
    fs.mkdirSync(path.dirname(tmp), { recursive: true });
    fs.writeFileSync(tmp, 'a file where the temporary folder should be');
    const r = hub.spawn(['users', 'list', '--json'], { env: { TMPDIR: tmp } });
    expect(r.code).toBe(0);
    expect(r.json).toEqual(hub.run(['users', 'list', '--json']).json);
  });
});
