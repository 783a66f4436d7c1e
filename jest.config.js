/** Jest runs the TypeScript tests as ES modules (see the README, "Libraries, and why"). */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }] },
  testTimeout: 60000,
  // One worker per core. Jest's default (cores - 1) runs a 2-core machine's tests one file at a time,
  // though the slowest file (processes.test.ts) mostly waits for its child processes.
  maxWorkers: '100%',
};
