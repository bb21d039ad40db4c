// Test files are transpiled one by one (isolatedModules in tsconfig.base.json); `npm run typecheck` checks types.
// One jest run for the whole repository. The API suite runs twice, once per database dialect; the services it
// needs (PostgreSQL) are started by the global setup and stopped by the global teardown.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] };
const moduleNameMapper = {
  // The generated Prisma clients import their siblings as `./x.js`; under ts-jest those are the `.ts` sources.
  '^(\\.{1,2}/.*)\\.js$': '$1',
  '^@auditdrain/schema$': '<rootDir>/schema/src/index.ts',
  '^@auditdrain/control-plane$': '<rootDir>/control-plane/src/index.ts',
  '^@auditdrain/test-services$': '<rootDir>/test/services/src/index.ts',
};
const common = { rootDir: __dirname, transform, moduleNameMapper, testEnvironment: 'node' };

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'schema', testMatch: ['<rootDir>/schema/test/**/*.test.ts'] },
    { ...common, displayName: 'control-plane', testMatch: ['<rootDir>/control-plane/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'test-services', testMatch: ['<rootDir>/test/services/test/**/*.test.ts'] },
    { ...common, displayName: 'provider', testMatch: ['<rootDir>/provider/test/unit/**/*.test.ts'] },
    // The user documentation: quotes of example files current, links leading somewhere.
    { ...common, displayName: 'docs', testMatch: ['<rootDir>/test/docs/**/*.test.ts'] },
    // The real terraform binary drives the built provider (`npm run build` first) against a running control plane.
    {
      ...common,
      displayName: 'terraform',
      testMatch: ['<rootDir>/provider/test/terraform/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/dialect/sqlite.ts'],
    },
    // The web console in Debian's Chromium (playwright-core), against the app on SQLite.
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/control-plane/test/browser/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/dialect/sqlite.ts'],
    },
    // Several built processes on a PostgreSQL server of the suite's own, killed, paused and restarted with it.
    {
      ...common,
      displayName: 'faults',
      testMatch: ['<rootDir>/control-plane/test/faults/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/dialect/postgresql.ts'],
    },
    {
      ...common,
      displayName: 'api:sqlite',
      testMatch: ['<rootDir>/control-plane/test/api/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/dialect/sqlite.ts'],
    },
    {
      ...common,
      displayName: 'api:postgresql',
      testMatch: ['<rootDir>/control-plane/test/api/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/dialect/postgresql.ts'],
    },
  ],
};
