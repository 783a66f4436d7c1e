import { availableParallelism } from 'node:os';

/** Jest runs the TypeScript tests as ES modules (see the README, "Libraries, and why"). */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // esbuild strips the types, file by file (scripts/jest-esbuild.mjs; isolatedModules in tsconfig.json keeps
  // every file translatable alone): the type check is `npm run typecheck`, which `npm test` runs before jest.
  transform: { '^.+\\.ts$': '<rootDir>/scripts/jest-esbuild.mjs' },
  testTimeout: 60000,
  // Three workers on two cores (one and a half a core): several files (processes, race, backup, publish)
  // spend much of their time waiting for child processes or a server, and a third worker runs another file
  // meanwhile. jest's default (cores - 1) would run a 2-core machine's files one at a time. A number, not
  // '150%': jest reads a percentage over 100 as a count (150 workers, one process each, and as many again to
  // index the files when its cache is cold), which cost more CPU than the tests themselves.
  maxWorkers: Math.max(2, Math.ceil(availableParallelism() * 1.5)),
};
