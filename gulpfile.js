const { src, dest } = require('gulp');

// tsc compiles the code; the light and dark icons and the codex files are copied beside it.
function buildIcons() {
	return src(['nodes/**/*.svg', 'nodes/**/*.node.json', 'credentials/**/*.svg'], { base: '.' }).pipe(
		dest('dist'),
	);
}

exports['build:icons'] = buildIcons;
