// jest's transformer for the TypeScript tests and the src/ modules they import: esbuild strips the types
// of one file at a time (no type check: `npm run typecheck` does that before jest), in about a
// millisecond a file. ts-jest did the same through TypeScript's own compiler, which each of jest's
// workers had to load, and which cost tens of seconds of CPU on a fresh clone (no jest cache).
import { createHash } from 'node:crypto';
import { transformSync, version } from 'esbuild';

const OPTIONS = { loader: 'ts', format: 'esm', target: 'node20', sourcemap: 'external', sourcesContent: false };
const KEY = `${version}\0${JSON.stringify(OPTIONS)}`;

export default {
  canInstrument: false,
  getCacheKey(source, filename) {
    return createHash('sha1').update(KEY).update('\0').update(filename).update('\0').update(source).digest('hex');
  },
  process(source, filename) {
    const { code, map } = transformSync(source, { ...OPTIONS, sourcefile: filename });
    return { code, map };
  },
};
