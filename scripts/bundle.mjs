// The CLI as bin/basishub.js runs it: the compiled modules of dist/ (tsc's output) bundled by esbuild into
// one script, dist/bundle/basishub.cjs, so that a start reads and compiles one file instead of resolving and
// loading some forty modules one by one, and so that bin/basishub.js can keep V8's compiled code of it (see
// there). The command groups stay lazily evaluated inside it (each dynamic import() becomes a function that
// runs its module on first use). better-sqlite3's JavaScript is in it too; its native part is loaded from
// node_modules by path (src/store/db.ts). Left out, and loaded from node_modules as before: the prompt
// library (large, and only needed when a prompt is shown).
//
// Each module keeps its own import.meta.url (its file in dist/, from the bundle's location), so that what a
// module finds from where it lies (the demo's fixtures, docs/rules.md, a worker's file) is found from the
// bundle as from dist/.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A CommonJS script has no import.meta: each of our modules gets the URL of its own file in dist/. And an
 * import() of a package left out of the bundle (an ES module: the prompt library) calls `__esmImport`, which
 * bin/basishub.js gives the bundle: V8 drops a script's import() callback when its code comes from the code
 * cache ("A dynamic import callback was not specified"), so the import is made by the shim, a module of its own.
 */
const ESM_EXTERNAL = ['@inquirer/prompts'];
const ourModules = {
  name: 'our-modules',
  setup(b) {
    const ours = new RegExp(`^${path.resolve('dist').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\\\/].*\\.js$`);
    b.onLoad({ filter: ours }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      if (!text.includes('import.meta') && !text.includes('import(')) return undefined;
      const rel = path.relative('dist/bundle', args.path).split(path.sep).join('/');
      let contents = text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, __bundleUrl).href`);
      for (const name of ESM_EXTERNAL) contents = contents.replaceAll(`import('${name}')`, `__esmImport('${name}')`);
      if (contents.includes('import.meta')) throw new Error(`${args.path}: uses import.meta beyond import.meta.url; teach scripts/bundle.mjs`);
      return { contents, loader: 'js' };
    });
  },
};

/**
 * commander requires node:child_process at load, for subcommands that are separate executables, which this
 * CLI has none of; with what it loads in turn (net, streams, dgram) that was a tenth of a short command's
 * start. It is required when first used instead. The build fails if commander no longer has that line.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      const line = "const childProcess = require('node:child_process');";
      if (!text.includes(line)) throw new Error(`${args.path}: no longer requires node:child_process as expected; update scripts/bundle.mjs`);
      return { contents: text.replace(line, "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };"), loader: 'js' };
    });
  },
};

await build({
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/bundle/basishub.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ESM_EXTERNAL,
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'none',
  // Less to read and to scan at each start (a third of the size); names are kept for stack traces.
  minifyWhitespace: true,
  plugins: [ourModules, lazyChildProcess],
  logLevel: 'warning',
});

// What bin/basishub.js needs before the bundle: the version (for --version alone, written as the CLI writes
// to a pipe or file) and the heap's setting (V8 accepts cached code only under the flags it was made with), as
// a script of their own.
await build({
  stdin: { contents: "export { VERSION } from './version.js'; export { commandGroup, heapTunedFor, tuneHeap } from './heap.js'; export { plainWriter } from './cli/stdio.js';", resolveDir: 'dist', loader: 'js' },
  outfile: 'dist/bundle/start.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [ourModules],
  logLevel: 'warning',
});

// The second thread of a large file target's publish (src/app/publish-split.ts) as one script too: it starts
// while the publish's own thread works, and some fifteen modules loaded one by one made it ready only after
// 400–500 ms at a million accounts, against 100–150 ms bundled.
await build({
  entryPoints: ['dist/app/publish-worker.js'],
  outfile: 'dist/bundle/publish-worker.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'none',
  minifyWhitespace: true,
  plugins: [ourModules],
  logLevel: 'warning',
});

// bin/basishub.js reads the bundle as latin1, one byte a character, which V8 keeps as a one-byte string
// (half the memory of a decoded UTF-8 text, and no decoding): esbuild escapes non-ASCII characters in
// strings, but not in a regular expression literal (write \u2192 there, not the arrow itself).
const bytes = fs.readFileSync('dist/bundle/basishub.cjs');
if (/\bimport\(/.test(bytes.toString('latin1')))
  throw new Error('dist/bundle/basishub.cjs has an import() left: add its package to ESM_EXTERNAL in scripts/bundle.mjs');
const at = bytes.findIndex((b) => b > 0x7f);
if (at >= 0) throw new Error(`dist/bundle/basishub.cjs is not ASCII at byte ${at}: …${bytes.subarray(Math.max(0, at - 60), at + 20).toString('utf8')}…`);
