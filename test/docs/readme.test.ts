/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
import { readFileSync } from 'fs';
import { join } from 'path';
import { readmeWithTable } from '../../scripts/model-table';

describe('README', () => {
	const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

	it('carries the model table rendered from the catalogue (run `npm run docs` after changing models.ts)', () => {
		expect(readme).toBe(readmeWithTable(readme));
	});

	it('gives the same test command that CI runs', () => {
		const ci = readFileSync(join(__dirname, '..', '..', '.ci', 'run'), 'utf8');
		expect(readme).toContain('npm test');
		expect(ci).toMatch(/^npm test$/m);
	});
});
