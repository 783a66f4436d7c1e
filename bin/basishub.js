#!/usr/bin/env node
// The start of the binary. The CLI is compiled TypeScript in dist/; `npm run build` also bundles it into one
// script, dist/bundle/basishub.cjs (scripts/bundle.mjs), which this file runs: Node then reads and compiles
// one file instead of resolving and loading some forty modules one by one. This file is CommonJS (see
// bin/package.json): an ES module entry starts Node's ES module loader, a few milliseconds of every start.
//
// V8's compiled code of the bundle is kept on disk, as Node 22's compile cache keeps a module's: in a folder
// of the system's temporary folder that only this user may use, one file per command group (what `users`
// runs is not what `sync` runs), made by the group's first run and again whenever V8 refuses it (another
// Node, another bundle). A later start compiles nothing it has compiled before. Without the bundle (a build
// by tsc alone), the modules of dist/ are loaded as they are.
'use strict';
const fs = require('node:fs');
const module_ = require('node:module');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

// Node 22.1 and later keep the compiled code of the modules that still load one by one (the SQLite binding's).
module_.enableCompileCache?.();

const BUNDLE = path.join(__dirname, '..', 'dist', 'bundle', 'basishub.cjs');
const START = path.join(__dirname, '..', 'dist', 'bundle', 'start.cjs');

/** The folder of the code cache: made by this user, private to them, or none at all. */
function cacheFolder() {
  const uid = process.getuid?.();
  const dir = path.join(os.tmpdir(), `basishub-code-cache-${uid ?? 'user'}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const s = fs.lstatSync(dir);
    // Code read from a folder another user can write would run as ours: use it only if it is our own.
    if (!s.isDirectory() || (uid !== undefined && (s.uid !== uid || (s.mode & 0o077) !== 0))) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/** The cache file of this command line's group, for this bundle and this Node. */
function cacheFile(source, command) {
  const dir = cacheFolder();
  if (dir === undefined) return undefined;
  const group = /^[a-z][a-z-]{0,23}$/.test(command ?? '') ? command : 'basishub';
  const key = `${process.version}-${process.arch}-${source.length}-${Math.trunc(fs.statSync(BUNDLE).mtimeMs)}`;
  return path.join(dir, `${group}-${key}.bin`);
}

/** Runs a script of dist/bundle as CommonJS would (without its loader's lookups); returns it and its exports. */
function run(filename, source, cachedData) {
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __esmImport) {${source}\n})`, { filename, cachedData });
  const mod = { exports: {} };
  // The prompt library is an ES module outside the bundle, imported by this file: code that V8 takes from the
  // cache has lost the import() callback of its script (scripts/bundle.mjs).
  const esmImport = (specifier) => import(specifier);
  script.runInThisContext()(mod.exports, module_.createRequire(filename), mod, filename, path.dirname(filename), esmImport);
  return { script, exports: mod.exports };
}

/** Runs the bundle, with V8's code from the cache when there is one. */
function loadBundle(source, command) {
  const file = cacheFile(source, command);
  let cachedData;
  try {
    if (file !== undefined) cachedData = fs.readFileSync(file);
  } catch {
    // not made yet
  }
  const { script, exports } = run(BUNDLE, source, cachedData);
  /** After the command, so that the cache holds the code it ran (a command that exits early writes none). */
  const keep = () => {
    if (file === undefined || (cachedData !== undefined && !script.cachedDataRejected)) return;
    try {
      const part = `${file}.${process.pid}`;
      fs.writeFileSync(part, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(part, file);
      // The group's cache of an earlier bundle or Node is of no more use.
      const [group] = path.basename(file).split('-v', 1);
      for (const f of fs.readdirSync(path.dirname(file)))
        if (f.startsWith(`${group}-v`) && f !== path.basename(file)) fs.rmSync(path.join(path.dirname(file), f), { force: true });
    } catch {
      // a full or read-only disk: the next start compiles again
    }
  };
  return { cli: exports, keep };
}

async function start() {
  let source;
  let early;
  try {
    // ASCII (scripts/bundle.mjs makes sure): read as latin1, it needs no decoding and stays one byte a character.
    source = fs.readFileSync(BUNDLE, 'latin1');
    // The version and the heap's setting, from src/ by way of a small script of their own.
    early = run(START, fs.readFileSync(START, 'latin1')).exports;
  } catch {
    await (await import('../dist/cli/main.js')).runProcess();
    return;
  }
  const argv = process.argv.slice(2);
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    // What commander prints for --version (as src/cli/main.ts answers it), without loading the CLI.
    (early.plainWriter(1, () => undefined) ?? process.stdout).write(`${early.VERSION}\n`);
    return;
  }
  // Before compiling: V8 refuses code that was cached under other flags, and the CLI sets them at its start
  // (for a long command: a group's command lines all run with the same flags, src/heap.ts).
  if (early.heapTunedFor(argv)) early.tuneHeap();
  const bundle = loadBundle(source, early.commandGroup(argv));
  await bundle.cli.runProcess();
  bundle.keep();
}

// A failure that escapes the CLI (it maps its own to exit codes) ends the process with its stack, as before.
start();
