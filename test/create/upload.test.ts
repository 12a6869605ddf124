/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
import { readdirSync, readlinkSync } from 'node:fs';
import { outputOf, runVideo, useEmulator } from '../support/fixtures';

const emulator = useEmulator();

/** 1 MiB and a bit, no byte where its neighbour would be: a retry that resumed mid-file would show. */
const video = Buffer.from(Array.from({ length: 1024 * 1024 + 4099 }, (_, index) => (index * 7 + (index >> 11)) % 251));
const image = Buffer.from('a character image');

const input = [
	{
		json: {},
		binary: {
			image: { data: image.toString('base64'), mimeType: 'image/png', fileName: 'hero.png' },
			video: { data: video.toString('base64'), mimeType: 'video/mp4', fileName: 'dance.mp4' },
		},
	},
];

const motionControl = {
	operation: 'create',
	model: 'kling-motion-control',
	mediaSource: 'binary',
	characterImagesBinary: 'image',
	motionVideosBinary: 'video',
};

/** Files this process holds open inside n8n's user folder, where the filesystem binary data mode keeps files. */
function openBinaryFiles(): string[] {
	const folder = process.env.N8N_USER_FOLDER ?? '';
	return readdirSync('/proc/self/fd')
		.map((fd) => {
			try {
				return readlinkSync(`/proc/self/fd/${fd}`);
			} catch {
				return ''; // closed between listing and reading
			}
		})
		.filter((target) => folder !== '' && target.startsWith(folder));
}

/** A destroyed stream closes its file descriptor a moment later. */
async function settledOpenBinaryFiles(): Promise<string[]> {
	for (let tries = 0; tries < 20 && openBinaryFiles().length > 0; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
	return openBinaryFiles();
}

async function served(url: string): Promise<Buffer> {
	return Buffer.from(await (await fetch(url)).arrayBuffer());
}

describe('Binary inputs are uploaded through /api/v1/files', () => {
	it.each(['default', 'filesystem'] as const)(
		'sends every byte of a motion video and a character image (%s binary data mode)',
		async (binaryMode) => {
			const result = await runVideo(emulator(), motionControl, input, { binaryMode });
			expect(result.error).toBeUndefined();
			expect(outputOf(result)).toHaveLength(1);
			const body = emulator().tasks().at(-1)?.body as { input_urls: string[]; video_urls: string[] };
			expect(await served(body.input_urls[0])).toEqual(image);
			expect((await served(body.video_urls[0])).equals(video)).toBe(true);
			expect(emulator().stats().requests.files).toEqual({ '200': 2 });
		},
	);

	it.each(['default', 'filesystem'] as const)(
		'retries an upload whose connection dropped, sending the file again from its first byte (%s binary data mode)',
		async (binaryMode) => {
			const before = openBinaryFiles();
			emulator().inject('files', 'drop', 2);
			const result = await runVideo(emulator(), { ...motionControl, characterImagesBinary: 'video' }, input, { binaryMode });
			expect(result.error).toBeUndefined();
			expect(emulator().stats().requests.files).toEqual({ dropped: 2, '200': 2 });
			const body = emulator().tasks().at(-1)?.body as { input_urls: string[]; video_urls: string[] };
			for (const url of [body.input_urls[0], body.video_urls[0]]) expect((await served(url)).equals(video)).toBe(true);
			// Each dropped attempt left its read of the file unfinished; none may stay open.
			expect(await settledOpenBinaryFiles()).toEqual(before);
		},
	);
});
