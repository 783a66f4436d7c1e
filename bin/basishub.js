#!/usr/bin/env node
// The start of the binary. The CLI is compiled TypeScript in dist/; `npm run build` also bundles it into one
// script, dist/bundle/basishub.cjs (scripts/bundle.mjs), which this file runs: Node then reads and compiles
// one file instead of resolving and loading some forty modules one by one.
//
// V8's compiled code of that script is kept on disk, as Node 22's compile cache keeps a module's: in a folder
// of the system's temporary folder that only this user may use, one file per command group (what `users`
// runs is not what `sync` runs), made by the group's first run and again whenever V8 refuses it (another
// Node, another bundle). A later start compiles nothing it has compiled before. Without the bundle (a build
// by tsc alone), the modules of dist/ are loaded as they are.
import fs from 'node:fs';
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

// Node 22.1 and later keep the compiled code of the modules that still load one by one (the SQLite binding's).
module.enableCompileCache?.();

const BUNDLE = new URL('../dist/bundle/basishub.cjs', import.meta.url);

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
function cacheFile(source) {
  const dir = cacheFolder();
  if (dir === undefined) return undefined;
  const group = process.argv.slice(2).find((a) => /^[a-z][a-z-]{0,23}$/.test(a)) ?? 'basishub';
  const key = `${process.version}-${process.arch}-${source.length}-${Math.trunc(fs.statSync(BUNDLE).mtimeMs)}`;
  return path.join(dir, `${group}-${key}.bin`);
}

/** Runs the bundle as CommonJS does, with V8's code from the cache when there is one; returns its exports. */
function loadBundle() {
  let source;
  try {
    source = fs.readFileSync(BUNDLE, 'utf8');
  } catch {
    return undefined;
  }
  const file = cacheFile(source);
  let cachedData;
  try {
    if (file !== undefined) cachedData = fs.readFileSync(file);
  } catch {
    // not made yet
  }
  const filename = BUNDLE.pathname;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename,
    cachedData,
    // The prompt library is an ES module outside the bundle: import() it as this file would.
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER ?? ((specifier) => import(specifier)),
  });
  const exports = {};
  const mod = { exports };
  script.runInThisContext()(exports, module.createRequire(filename), mod, filename, path.dirname(filename));
  const keep = () => {
    if (file === undefined || (cachedData !== undefined && !script.cachedDataRejected)) return;
    try {
      const part = `${file}.${process.pid}`;
      fs.writeFileSync(part, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(part, file);
    } catch {
      // a full or read-only disk: the next start compiles again
    }
  };
  return { cli: mod.exports, keep };
}

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // What commander prints for --version (as src/cli/main.ts answers it), without loading the CLI.
  const { VERSION } = await import('../dist/version.js');
  process.stdout.write(`${VERSION}\n`);
} else {
  // Before compiling: V8 refuses code that was cached under other flags, and the CLI sets one at its start.
  (await import('../dist/heap.js')).tuneHeap();
  const bundle = loadBundle();
  const cli = bundle?.cli ?? (await import('../dist/cli/main.js'));
  await cli.runProcess();
  // After the command, so that the cache holds the code it ran (a command that exits early writes none).
  bundle?.keep();
}
