/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmarks run on Node, outside n8n */
/**
 * Node resolves `ApiModelsVideo.node` to the codex file `ApiModelsVideo.node.json` before ts-node's
 * `.ts` (jest puts `.ts` first, and `dist/` has the `.js`). Moving `.json` last makes these scripts
 * load the node's TypeScript source. Import this module before any other.
 */
import Module from 'node:module';

const extensions = (Module as unknown as { _extensions: Record<string, unknown> })._extensions;
const json = extensions['.json'];
delete extensions['.json'];
extensions['.json'] = json;
