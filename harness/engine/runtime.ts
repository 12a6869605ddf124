/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling that drives n8n from outside */
/**
 * Process-wide set-up every engine run needs: n8n's DI container reads decorator metadata, and
 * n8n-core's InstanceSettings (read by every node context) creates `<N8N_USER_FOLDER>/.n8n` with a
 * generated encryption key, with the filesystem binary store below it. The folder is a throwaway
 * one so tests never touch ~/.n8n. The variables are read lazily, when the DI container first
 * builds those services, so setting them here is early enough even if n8n-core was imported first.
 */
import 'reflect-metadata';

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const userFolder = mkdtempSync(path.join(tmpdir(), 'n8n-harness-'));
process.env.N8N_USER_FOLDER = userFolder;
const removeUserFolder = () => rmSync(userFolder, { recursive: true, force: true });
// Jest workers outlive a test file and never emit 'exit' for it; plain scripts (benchmarks) do.
if (typeof afterAll === 'function') afterAll(removeUserFolder);
else process.once('exit', removeUserFolder);
// n8n logs every node error with its stack (ErrorReporter -> Logger); tests assert on the
// returned errors instead. Set N8N_LOG_LEVEL=debug to see the engine's log while debugging.
process.env.N8N_LOG_LEVEL ??= 'silent';
