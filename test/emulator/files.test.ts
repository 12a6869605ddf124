/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run on Node, outside n8n */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { client, useEmulator } from './fixtures';
import type { ContentSink, StoredContent } from '../../emulator/multipart';
import { readMultipartFile } from '../../emulator/multipart';

const fixture = useEmulator({ uploadMemoryLimitBytes: 1024 * 1024 });

function form(bytes: Buffer, fileName: string, type: string, field = 'file'): FormData {
	const body = new FormData();
	body.append('purpose', 'reference');
	body.append(field, new Blob([bytes], { type }), fileName);
	return body;
}

interface UploadAnswer {
	code: number;
	msg: string;
	data?: { publicUrl: string };
	field?: string;
}

async function upload(body: FormData): Promise<{ status: number; data: UploadAnswer }> {
	const response = await fetch(`${fixture.emulator.url}/api/v1/files`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${fixture.emulator.apiKey}` },
		body,
	});
	return { status: response.status, data: (await response.json()) as UploadAnswer };
}

test('an upload answers a publicUrl that serves the same bytes and content type, without a key', async () => {
	const png = randomBytes(3000);
	const { status, data } = await upload(form(png, 'frame one.png', 'image/png'));
	expect(status).toBe(200);
	expect(data).toEqual({ code: 200, msg: 'success', data: { publicUrl: expect.stringMatching(/\/frame%20one\.png$/) } });
	const publicUrl = data.data?.publicUrl ?? '';
	expect(publicUrl.startsWith(`${fixture.emulator.url}/files/`)).toBe(true);

	const served = await client(fixture.emulator, null).get(publicUrl, { responseType: 'arraybuffer' });
	expect(served.status).toBe(200);
	expect(served.headers['content-type']).toBe('image/png');
	expect(Number(served.headers['content-length'])).toBe(png.length);
	expect(Buffer.from(served.data).equals(png)).toBe(true);
});

test('an upload larger than the memory limit is spilled to disk and served back intact', async () => {
	const video = randomBytes(12 * 1024 * 1024);
	const { data } = await upload(form(video, 'motion.mp4', 'video/mp4'));
	const served = await fetch(data.data?.publicUrl ?? '');
	expect(served.headers.get('content-type')).toBe('video/mp4');
	const hash = createHash('sha256').update(Buffer.from(await served.arrayBuffer())).digest('hex');
	expect(hash).toBe(createHash('sha256').update(video).digest('hex'));
});

test('a form without a `file` field answers 400 naming file', async () => {
	const { status, data } = await upload(form(Buffer.from('x'), 'a.txt', 'text/plain', 'attachment'));
	expect(status).toBe(400);
	expect(data).toEqual({ code: 400, msg: 'file is required', field: 'file' });
});

test('a body that is not multipart answers 400', async () => {
	const response = await fixture.api.post('/api/v1/files', { file: 'x' });
	expect(response.status).toBe(400);
	expect(response.data.field).toBe('file');
});

test('a multipart body cut before its closing boundary answers 400', async () => {
	const response = await fixture.api.post('/api/v1/files', '--b\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc', {
		headers: { 'Content-Type': 'multipart/form-data; boundary=b' },
	});
	expect(response.status).toBe(400);
});

test('an unknown file id answers 404', async () => {
	expect((await fixture.api.get('/files/0000/missing.png')).status).toBe(404);
});

describe('the multipart reader', () => {
	const memorySink = (): ContentSink => {
		const chunks: Buffer[] = [];
		return {
			write: async (chunk) => void chunks.push(Buffer.from(chunk)),
			end: async (): Promise<StoredContent> => ({ kind: 'memory', bytes: Buffer.concat(chunks), size: Buffer.concat(chunks).length }),
			discard: async () => undefined,
		};
	};

	test('finds the file however the body is chunked, even with partial delimiters inside', async () => {
		const content = Buffer.from('line\r\n--boundar\r\n-\r\n--bound');
		const body = Buffer.concat([
			Buffer.from('preamble\r\n--boundary\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n'),
			Buffer.from('--boundary\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\nContent-Type: application/x-test\r\n\r\n'),
			content,
			Buffer.from('\r\n--boundary--\r\nepilogue'),
		]);
		for (const size of [1, 7, body.length]) {
			const chunks = [];
			for (let at = 0; at < body.length; at += size) chunks.push(body.subarray(at, at + size));
			const file = await readMultipartFile(Readable.from(chunks), 'boundary', 'file', memorySink);
			expect(file).toEqual({ fileName: 'a.bin', contentType: 'application/x-test', content: expect.objectContaining({ bytes: content }) });
		}
	});
});
