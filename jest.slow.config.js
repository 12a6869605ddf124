/** `npm run test:slow`: the suites whose volume no clock can shorten, kept out of `npm test`. */
const base = require('./jest.config');

module.exports = { ...base, testMatch: ['**/*.slow.test.ts'], testPathIgnorePatterns: ['/test/e2e/'] };
