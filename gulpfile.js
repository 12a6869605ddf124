// tsc compiles; gulp does what n8n's `n8n-node build` does not: `n8n-node build` copies icons and
// hand-written __schema__ files, but not the codex files (*.node.json), and generates no schemas.
const { rmSync } = require('fs');
const { parallel, src, dest } = require('gulp');
const { writeOutputSchemas } = require('./scripts/output-schemas');

// A clean dist/ so files of removed sources never reach the published package.
function clean(done) {
	rmSync('dist', { recursive: true, force: true });
	done();
}

// The light and dark icons and the codex files, beside the compiled nodes.
function buildIcons() {
	return src(['nodes/**/*.svg', 'nodes/**/*.node.json'], { base: '.' }).pipe(dest('dist'));
}

// The editor's output schemas (__schema__/), from the compiled nodes and nodes/shared/task.ts.
function buildSchemas(done) {
	writeOutputSchemas('dist');
	done();
}

exports.clean = clean;
exports['build:icons'] = buildIcons;
exports['build:schemas'] = buildSchemas;
exports['build:assets'] = parallel(buildIcons, buildSchemas);
