/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the API emulator, a Node server, not n8n code */
/** Uploaded files: small ones in memory, larger ones spilled to a temp directory removed on close. */
import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContentSink, MultipartFile, StoredContent } from './multipart';

export interface StoredFile extends MultipartFile {
	id: string;
}

class SpillingSink implements ContentSink {
	private chunks: Buffer[] = [];
	private size = 0;
	private file?: { handle: FileHandle; path: string };

	constructor(
		private readonly memoryLimit: number,
		private readonly tempPath: () => Promise<string>,
	) {}

	async write(chunk: Buffer): Promise<void> {
		this.size += chunk.length;
		if (this.file) {
			await this.file.handle.write(chunk);
			return;
		}
		this.chunks.push(chunk);
		if (this.size <= this.memoryLimit) return;
		const path = await this.tempPath();
		this.file = { handle: await open(path, 'w'), path };
		for (const held of this.chunks) await this.file.handle.write(held);
		this.chunks = [];
	}

	async end(): Promise<StoredContent> {
		if (!this.file) return { kind: 'memory', bytes: Buffer.concat(this.chunks), size: this.size };
		await this.file.handle.close();
		return { kind: 'file', path: this.file.path, size: this.size };
	}

	async discard(): Promise<void> {
		this.chunks = [];
		if (!this.file) return;
		await this.file.handle.close();
		await rm(this.file.path, { force: true });
	}
}

export class UploadStore {
	private readonly files = new Map<string, StoredFile>();
	private tempDir?: Promise<string>;

	sink(memoryLimit: number): ContentSink {
		return new SpillingSink(memoryLimit, async () => join(await this.directory(), randomBytes(8).toString('hex')));
	}

	add(file: MultipartFile): StoredFile {
		const stored = { ...file, id: randomBytes(8).toString('hex') };
		this.files.set(stored.id, stored);
		return stored;
	}

	get(id: string): StoredFile | undefined {
		return this.files.get(id);
	}

	async close(): Promise<void> {
		this.files.clear();
		if (this.tempDir) await rm(await this.tempDir, { recursive: true, force: true });
	}

	private directory(): Promise<string> {
		this.tempDir ??= mkdtemp(join(tmpdir(), 'apimodels-emulator-'));
		return this.tempDir;
	}
}
