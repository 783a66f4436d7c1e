/** Jest runs the TypeScript tests as ES modules (see the README, "Libraries, and why"). */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // ts-jest only transpiles (isolatedModules is on in tsconfig.json, which tsconfig.test.json extends):
  // the type check is `npm run typecheck`, which `npm test` runs before jest.
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }] },
  testTimeout: 60000,
  // Three workers on two cores: several files (processes, race, backup, publish) spend much of their
  // time waiting for child processes or a server, and a third worker runs another file meanwhile.
  // Jest's default (cores - 1) would run a 2-core machine's files one at a time.
  maxWorkers: '150%',
};
