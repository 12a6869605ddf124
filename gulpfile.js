const { rmSync } = require('fs');
const { src, dest } = require('gulp');

// A clean dist/ so files of removed sources never reach the published package.
function clean(done) {
	rmSync('dist', { recursive: true, force: true });
	done();
}

// tsc compiles the code; the light and dark icons and the codex files are copied beside it.
function buildIcons() {
	return src(['nodes/**/*.svg', 'nodes/**/*.node.json'], { base: '.' }).pipe(dest('dist'));
}

exports.clean = clean;
exports['build:icons'] = buildIcons;
