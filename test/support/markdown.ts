/** The anchors GitHub gives a markdown file's headings. */
export function headingAnchors(markdown: string): Set<string> {
	return new Set(
		markdown
			.split('\n')
			.filter((line) => /^#{1,6} /.test(line))
			.map((line) =>
				line
					.replace(/^#+ /, '')
					.toLowerCase()
					.replace(/[^\p{L}\p{N} -]/gu, '')
					.replace(/ /g, '-'),
			),
	);
}

/** The targets of a markdown file's inline links that stay inside the repository. */
export function relativeLinks(markdown: string): string[] {
	return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
		.map((match) => match[1])
		.filter((target) => !/^[a-z]+:/i.test(target));
}
