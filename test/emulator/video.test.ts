/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run on Node, outside n8n */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { createTask, GROK_BODY, useEmulator } from './fixtures';
import { videoBytes, videoFormat, videoLength, videoSha256 } from '../../emulator/video';

const fixture = useEmulator({ pendingMs: 0, processingMs: 0 });

interface Box {
	type: string;
	start: number;
	headerSize: number;
	size: number;
}

/** ISO BMFF boxes between `from` and `to`, including the 64-bit size form. */
function boxes(file: Buffer, from = 0, to = file.length): Box[] {
	const found: Box[] = [];
	for (let start = from; start + 8 <= to; ) {
		let size = file.readUInt32BE(start);
		let headerSize = 8;
		if (size === 1) {
			size = Number(file.readBigUInt64BE(start + 8));
			headerSize = 16;
		}
		found.push({ type: file.toString('latin1', start + 4, start + 8), start, headerSize, size });
		start += size;
	}
	return found;
}

function child(file: Buffer, parent: Box, type: string, skip = 0): Box {
	const inside = boxes(file, parent.start + parent.headerSize + skip, parent.start + parent.size);
	const match = inside.find((box) => box.type === type);
	if (!match) throw new Error(`no ${type} in ${parent.type}`);
	return match;
}

function path(file: Buffer, ...types: string[]): Box {
	const root = { type: 'file', start: 0, headerSize: 0, size: file.length };
	// stsd carries a count before its entries; avc1 carries 78 bytes of fields before avcC.
	const skips: Record<string, number> = { stsd: 8, avc1: 78 };
	return types.reduce((parent: Box, type) => child(file, parent, type, skips[parent.type] ?? 0), root);
}

describe('the MP4', () => {
	const file = videoBytes({ label: 'cl_example' });

	test('is ftyp, free (the label), moov, mdat, filling the file exactly', () => {
		const top = boxes(file);
		expect(top.map((box) => box.type)).toEqual(['ftyp', 'free', 'moov', 'mdat']);
		expect(top.reduce((sum, box) => sum + box.size, 0)).toBe(file.length);
		expect(file.toString('latin1', top[1].start + 8, top[1].start + top[1].size)).toContain('cl_example');
	});

	test('declares one H.264 track of the advertised size, with SPS and PPS', () => {
		const tkhd = path(file, 'moov', 'trak', 'tkhd');
		expect(file.readUInt32BE(tkhd.start + tkhd.size - 8) >>> 16).toBe(videoFormat.width);
		expect(file.readUInt32BE(tkhd.start + tkhd.size - 4) >>> 16).toBe(videoFormat.height);
		const avcC = path(file, 'moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd', 'avc1', 'avcC');
		const config = file.subarray(avcC.start + 8, avcC.start + avcC.size);
		expect(config[1]).toBe(66); // Baseline profile
		const spsLength = config.readUInt16BE(6);
		expect(config[8] & 0x1f).toBe(7); // SPS
		expect(config[8 + spsLength + 3] & 0x1f).toBe(8); // PPS
	});

	test('its sample table points at an IDR frame inside mdat', () => {
		const stbl = path(file, 'moov', 'trak', 'mdia', 'minf', 'stbl');
		const stco = child(file, stbl, 'stco');
		const stsz = child(file, stbl, 'stsz');
		const offset = file.readUInt32BE(stco.start + 16);
		const sampleSize = file.readUInt32BE(stsz.start + 20);
		const mdat = boxes(file).find((box) => box.type === 'mdat') as Box;
		expect(offset).toBe(mdat.start + mdat.headerSize);
		expect(file.readUInt32BE(offset) + 4).toBe(sampleSize);
		expect(file[offset + 4] & 0x1f).toBe(5); // IDR slice
	});

	test('pads to an exact size inside mdat', () => {
		const padded = videoBytes({ label: 'x', sizeBytes: 100_003 });
		expect(padded.length).toBe(100_003);
		expect(boxes(padded).map((box) => box.type)).toEqual(['ftyp', 'free', 'moov', 'mdat']);
		expect(videoLength({ label: 'x', sizeBytes: 100_003 })).toBe(100_003);
	});
});

test('a completed task\'s video downloads as video/mp4 with its exact bytes, without a key', async () => {
	const taskId = await createTask(fixture.api);
	const response = await fetch(fixture.emulator.videoUrl(taskId));
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toBe('video/mp4');
	const bytes = Buffer.from(await response.arrayBuffer());
	expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
	expect(bytes.equals(videoBytes(fixture.emulator.videoSpec(taskId)))).toBe(true);
});

test('each task has its own video bytes', async () => {
	const [first, second] = [await createTask(fixture.api), await createTask(fixture.api)];
	const download = async (taskId: string) => Buffer.from(await (await fetch(fixture.emulator.videoUrl(taskId))).arrayBuffer());
	expect((await download(first)).equals(await download(second))).toBe(false);
});

test('HEAD answers the headers only', async () => {
	const taskId = await createTask(fixture.api);
	const response = await fetch(fixture.emulator.videoUrl(taskId), { method: 'HEAD' });
	expect(response.headers.get('content-length')).toBe(String(videoLength(fixture.emulator.videoSpec(taskId))));
	expect((await response.arrayBuffer()).byteLength).toBe(0);
});

test('a video is 404 until its task completes, and for failed or unknown tasks', async () => {
	fixture.emulator.setOptions({ pendingMs: 10_000 });
	const running = await createTask(fixture.api);
	fixture.emulator.setOptions({ pendingMs: 0 });
	const failed = await createTask(fixture.api, { ...GROK_BODY, prompt: '[fail]' });
	for (const taskId of [running, failed, 'cl_unknown']) {
		expect((await fetch(fixture.emulator.videoUrl(taskId))).status).toBe(404);
	}
});

test('videoSizeBytes: a 50 MB video streams with that exact length and the expected hash', async () => {
	const sizeBytes = 50 * 1024 * 1024 + 7;
	fixture.emulator.setOptions({ videoSizeBytes: sizeBytes });
	const taskId = await createTask(fixture.api);
	const response = await fetch(fixture.emulator.videoUrl(taskId));
	expect(Number(response.headers.get('content-length'))).toBe(sizeBytes);
	const hash = createHash('sha256');
	let received = 0;
	for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
		hash.update(chunk);
		received += chunk.length;
	}
	expect(received).toBe(sizeBytes);
	expect(hash.digest('hex')).toBe(videoSha256(fixture.emulator.videoSpec(taskId)));
});

test('a 5 GiB video streams (generated as it is sent: no Buffer holds 5 GiB) and uses the 64-bit mdat size', async () => {
	const sizeBytes = 5 * 1024 ** 3;
	fixture.emulator.setOptions({ videoSizeBytes: sizeBytes });
	const taskId = await createTask(fixture.api);
	const head = await new Promise<{ length: string | undefined; bytes: Buffer }>((resolve, reject) => {
		http.get(fixture.emulator.videoUrl(taskId), (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => {
				chunks.push(chunk);
				if (Buffer.concat(chunks).length < 64 * 1024) return;
				response.destroy();
				resolve({ length: response.headers['content-length'], bytes: Buffer.concat(chunks) });
			});
		}).on('error', reject);
	});
	expect(head.length).toBe(String(sizeBytes));
	const mdat = boxes(head.bytes).find((box) => box.type === 'mdat') as Box;
	expect(mdat.headerSize).toBe(16);
	expect(mdat.start + mdat.size).toBe(sizeBytes);
});
