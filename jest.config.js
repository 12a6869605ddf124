/**
 * Tests run TypeScript sources directly; the e2e suite (test/e2e) runs separately against a real n8n,
 * and `*.slow.test.ts` (volume that no clock can shorten) in `npm run test:slow`.
 * One suite per core: more at once starves the suites that check overlapping requests and answer budgets.
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/test/e2e/', '\\.slow\\.test\\.ts$'],
	transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
	testTimeout: 60000,
	maxWorkers: '100%',
};
