#!/usr/bin/env node
/**
 * Runs n8n's community package scanner (@n8n/scan-community-package) the way n8n does before it
 * verifies a package, but on this checkout instead of a published version: its source files, then
 * the tarball `npm pack` makes of a fresh build. Exits 1 on any finding.
 * Usage: node scripts/scan-package.mjs [--no-build]   (--no-build packs the dist/ already there)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The patterns n8n's analyzePackageByName gives each leg: sources as n8n-node lint sees them, and
// the shipped artifact's compiled code and manifest.
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

function run(command, args, cwd = root) {
	return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

async function scan(label, dir, patterns) {
	const result = await analyzePackage(dir, patterns);
	if (result.passed) {
		console.log(`scan ${label}: passed (${result.message ?? 'no findings'})`);
	} else {
		console.log(`scan ${label}: FAILED: ${result.message}\n${result.details ?? result.error ?? ''}`);
	}
	return result.passed;
}

const work = mkdtempSync(path.join(tmpdir(), 'apimodels-scan-'));
try {
	const sourcePassed = await scan('source', root, SOURCE_FILE_PATTERNS);

	if (!process.argv.includes('--no-build')) run('npm', ['run', '--silent', 'build']);
	const [{ filename }] = JSON.parse(
		run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work]),
	);
	const unpacked = path.join(work, 'package');
	mkdirSync(unpacked);
	run('tar', ['-xzf', path.join(work, filename), '-C', unpacked, '--strip-components=1']);
	const tarballPassed = await scan(`tarball ${filename}`, unpacked, TARBALL_FILE_PATTERNS);

	process.exitCode = sourcePassed && tarballPassed ? 0 : 1;
} finally {
	rmSync(work, { recursive: true, force: true });
}
