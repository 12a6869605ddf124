import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { API_PATHS } from './constants';
import { apiRequest } from './transport';

/** Opens the file's bytes from the first one; called once per attempt to send them. */
type OpenBytes = () => Promise<AsyncIterable<Uint8Array>>;

/**
 * A file part whose bytes are read while it is sent, never held in it. Whoever encodes a
 * FormData for the wire (axios, under n8n's request helpers, and Node's own fetch alike) takes a
 * file's length from `size` and its bytes from `stream()`, and FormData keeps a File appended
 * without a new name as it is. Each attempt calls `stream()` again, so a retry sends the file
 * from its first byte. Node's `fs.openAsBlob` makes such a Blob, but community nodes may not
 * import node:fs, hence the subclass.
 */
class StreamedFile extends File {
	private readonly sources: Array<Promise<AsyncIterator<Uint8Array>>> = [];

	constructor(
		name: string,
		type: string,
		size: number | undefined,
		private readonly open: OpenBytes,
	) {
		super([], name, { type });
		// Blob's `size` is a getter on its prototype (0 here): an own property takes its place.
		Object.defineProperty(this, 'size', { value: size, enumerable: true });
	}

	override stream(): ReadableStream<Uint8Array> {
		let source: Promise<AsyncIterator<Uint8Array>> | undefined;
		const opened = () => {
			if (!source) {
				source = this.open().then((bytes) => bytes[Symbol.asyncIterator]());
				this.sources.push(source);
			}
			return source;
		};
		return new ReadableStream<Uint8Array>({
			async pull(controller) {
				const next = await (await opened()).next();
				if (next.done) controller.close();
				else controller.enqueue(next.value);
			},
			async cancel() {
				await (await source)?.return?.();
			},
		});
	}

	/**
	 * Ends every read of this file: an attempt cut off mid-body is abandoned by the HTTP client
	 * without being cancelled, and would keep its file handle open.
	 */
	async close(): Promise<void> {
		const sources = this.sources.splice(0);
		await Promise.allSettled(sources.map(async (source) => await (await source).return?.()));
	}
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
	yield bytes;
}

/** A binary input as a file part, its bytes left where n8n's binary data mode keeps them. */
async function fileOf(ctx: IExecuteFunctions, itemIndex: number, property: string): Promise<StreamedFile> {
	const binary = ctx.helpers.assertBinaryData(itemIndex, property);
	const name = binary.fileName ?? `${property}.${binary.fileExtension ?? 'bin'}`;
	const { id } = binary;
	if (id) {
		// Filesystem, database or S3 mode: each attempt opens a fresh stream from the store.
		const { fileSize } = await ctx.helpers.getBinaryMetadata(id);
		const size = Number.isSafeInteger(fileSize) ? fileSize : undefined; // unknown: sent chunked
		return new StreamedFile(name, binary.mimeType, size, async () => await ctx.helpers.getBinaryStream(id));
	}
	// In-memory mode holds the bytes base64-encoded in the item: decoded once, and not copied again.
	const bytes = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	return new StreamedFile(name, binary.mimeType, bytes.length, async () => once(bytes));
}

/** Uploads a binary property through `POST /api/v1/files` and answers its public URL. */
export async function uploadBinary(ctx: IExecuteFunctions, itemIndex: number, property: string): Promise<string> {
	const file = await fileOf(ctx, itemIndex, property);
	const form = new FormData();
	form.append('file', file); // no name argument: FormData would wrap the file in a copy of its (empty) bytes
	let body: IDataObject;
	try {
		body = await apiRequest(ctx, {
			method: 'POST',
			path: API_PATHS.files,
			repeatable: true, // an upload costs nothing, so repeating it is harmless
			body: form,
			itemIndex,
		});
	} finally {
		await file.close();
	}
	const data = (body.data ?? body) as IDataObject;
	const url = data.publicUrl ?? data.url ?? data.fileUrl;
	if (typeof url !== 'string') {
		throw new NodeOperationError(ctx.getNode(), 'The file upload answered without a public URL', { itemIndex });
	}
	return url;
}
