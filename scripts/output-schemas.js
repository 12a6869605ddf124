/**
 * The output schemas n8n's editor fetches before a node has run, so later nodes can map its fields:
 * `/schemas/<package>.<node>/<version>/<resource>/<operation>.json`, which n8n serves from a
 * `__schema__/v<version>/<resource>/<operation>.json` file beside the node's compiled file (a node
 * without resource and operation: `__schema__/v<version>.json`).
 *
 * They are derived, not written by hand: the fields and their types from the output contract's
 * TypeScript interface (`VideoTask` in nodes/shared/task.ts), the versions, resources and
 * operations from the built nodes' descriptions. Run by `gulp build:schemas` after tsc.
 */
const { mkdirSync, writeFileSync } = require('fs');
const path = require('path');
const ts = require('typescript');

const ROOT = path.join(__dirname, '..');
const CONTRACT = { file: path.join(ROOT, 'nodes/shared/task.ts'), type: 'VideoTask' };

/** The JSON schema of one TypeScript type, as far as the output contract needs. */
function typeSchema(checker, type) {
	if (type.isUnion()) {
		const literals = type.types.filter((member) => member.isStringLiteral()).map((literal) => literal.value);
		const schemas = type.types.filter((member) => !member.isStringLiteral()).map((member) => typeSchema(checker, member));
		if (literals.length) schemas.unshift({ type: 'string', enum: literals });
		// boolean is the union true | false: one schema each
		const distinct = [...new Map(schemas.map((schema) => [JSON.stringify(schema), schema])).values()];
		const nonNull = distinct.filter((schema) => schema.type !== 'null');
		if (distinct.length === 1) return distinct[0];
		// T | null: n8n's editor shows the first type of a list
		if (nonNull.length === 1 && typeof nonNull[0].type === 'string') return { ...nonNull[0], type: [nonNull[0].type, 'null'] };
		return { anyOf: distinct };
	}
	if (type.flags & ts.TypeFlags.StringLike) return type.isStringLiteral() ? { type: 'string', enum: [type.value] } : { type: 'string' };
	if (type.flags & ts.TypeFlags.NumberLike) return { type: 'number' };
	if (type.flags & ts.TypeFlags.BooleanLike) return { type: 'boolean' };
	if (type.flags & ts.TypeFlags.Null) return { type: 'null' };
	if (checker.isArrayType(type)) return { type: 'array', items: typeSchema(checker, checker.getTypeArguments(type)[0]) };
	if (type.flags & ts.TypeFlags.Object) return objectSchema(checker, type);
	throw new Error(`No JSON schema for the type ${checker.typeToString(type)}`);
}

/** Declared properties only: an index signature (IDataObject's) adds no field to map. */
function objectSchema(checker, type) {
	const properties = {};
	const required = [];
	for (const property of checker.getPropertiesOfType(type)) {
		const declaration = property.valueDeclaration ?? property.declarations?.[0];
		const schema = typeSchema(checker, checker.getTypeOfSymbolAtLocation(property, declaration));
		const description = ts.displayPartsToString(property.getDocumentationComment(checker));
		properties[property.name] = description ? { ...schema, description } : schema;
		if (!(property.flags & ts.SymbolFlags.Optional)) required.push(property.name);
	}
	return required.length ? { type: 'object', properties, required } : { type: 'object', properties };
}

/** The JSON schema of the output contract, read from its interface with TypeScript's checker. */
function contractSchema(contract = CONTRACT) {
	const program = ts.createProgram([contract.file], { strict: true, skipLibCheck: true, noEmit: true });
	const checker = program.getTypeChecker();
	const source = program.getSourceFile(contract.file);
	const declaration = source.statements.find(
		(statement) => ts.isInterfaceDeclaration(statement) && statement.name.text === contract.type,
	);
	if (!declaration) throw new Error(`${contract.type} is not declared in ${contract.file}`);
	return {
		$schema: 'http://json-schema.org/draft-07/schema#',
		title: contract.type,
		...objectSchema(checker, checker.getTypeAtLocation(declaration)),
	};
}

function versionsOf(description) {
	const versions = Array.isArray(description.version) ? description.version : [description.version];
	// n8n pads a node version to three parts: 1 -> v1.0.0
	return versions.map((version) => `v${String(version).split('.').concat(['0', '0']).slice(0, 3).join('.')}`);
}

/** The values of a description's options parameter, for the resource it is shown with. */
function optionValues(description, name, resource) {
	return description.properties
		.filter((property) => property.name === name)
		.filter((property) => !resource || (property.displayOptions?.show?.resource ?? [resource]).includes(resource))
		.flatMap((property) => property.options.map((option) => option.value));
}

/**
 * Where n8n looks for each schema of a node, relative to its `__schema__` folder: one file per
 * resource and operation, or one per version for a node without them (the trigger).
 */
function schemaPaths(description) {
	const resources = optionValues(description, 'resource');
	const paths = [];
	for (const version of versionsOf(description)) {
		if (!resources.length) {
			paths.push(`${version}.json`);
			continue;
		}
		for (const resource of resources) {
			for (const operation of optionValues(description, 'operation', resource)) {
				paths.push(`${version}/${resource}/${operation}.json`);
			}
		}
	}
	return paths;
}

/** Writes every built node's schemas beside it; answers the files written. */
function writeOutputSchemas(distDir = path.join(ROOT, 'dist')) {
	const manifest = require(path.join(ROOT, 'package.json'));
	const schema = `${JSON.stringify(contractSchema(), null, '\t')}\n`;
	const written = [];
	for (const nodeFile of manifest.n8n.nodes) {
		const compiled = path.resolve(distDir, path.relative('dist', nodeFile));
		const exports = require(compiled);
		const NodeClass = Object.values(exports).find((value) => typeof value === 'function');
		const { description } = new NodeClass();
		for (const relative of schemaPaths(description)) {
			const file = path.join(path.dirname(compiled), '__schema__', relative);
			mkdirSync(path.dirname(file), { recursive: true });
			writeFileSync(file, schema);
			written.push(file);
		}
	}
	return written;
}

module.exports = { contractSchema, schemaPaths, writeOutputSchemas };
