/**
 * The emulator's result video: a real MP4 (ftyp, free, moov, mdat) holding one H.264 frame.
 * A label (the task id) makes each task's file distinct; `sizeBytes` pads mdat to any size,
 * produced chunk by chunk so a 300 MB video never sits in memory.
 */
import { createHash } from 'node:crypto';
import { encodeStillPicture } from './h264';

export interface VideoSpec {
	/** Written into a `free` box so each task's video has its own bytes. */
	label?: string;
	/** Total file size; 0 or anything below the natural size gives the natural size. */
	sizeBytes?: number;
}

const picture = encodeStillPicture(2, 2);
const TIMESCALE = 1000;

export const videoFormat = {
	width: picture.width,
	height: picture.height,
	durationMs: 1000,
} as const;

const PADDING_CHUNK_BYTES = 64 * 1024;
const MAX_32BIT_BOX = 0xffffffff;

function u8(value: number): Buffer {
	return Buffer.from([value]);
}

function u16(value: number): Buffer {
	const out = Buffer.alloc(2);
	out.writeUInt16BE(value);
	return out;
}

function u32(value: number): Buffer {
	const out = Buffer.alloc(4);
	out.writeUInt32BE(value);
	return out;
}

function box(type: string, ...payload: Buffer[]): Buffer {
	const body = Buffer.concat(payload);
	return Buffer.concat([u32(8 + body.length), Buffer.from(type, 'latin1'), body]);
}

function fullBox(type: string, version: number, flags: number, ...payload: Buffer[]): Buffer {
	return box(type, u32((version << 24) | flags), ...payload);
}

const UNITY_MATRIX = Buffer.concat(
	[0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000].map((value) => u32(value)),
);

function sampleEntry(): Buffer {
	const avcC = box(
		'avcC',
		u8(1), // configurationVersion
		u8(picture.profile),
		u8(picture.compatibility),
		u8(picture.level),
		u8(0xff), // 4-byte NAL length prefixes
		u8(0xe1), // one SPS
		u16(picture.sps.length),
		picture.sps,
		u8(1), // one PPS
		u16(picture.pps.length),
		picture.pps,
	);
	return box(
		'avc1',
		Buffer.alloc(6), // reserved
		u16(1), // data_reference_index
		Buffer.alloc(16), // pre_defined and reserved
		u16(picture.width),
		u16(picture.height),
		u32(0x00480000), // 72 dpi
		u32(0x00480000),
		u32(0), // reserved
		u16(1), // frame_count
		Buffer.alloc(32), // compressorname
		u16(0x18), // depth
		u16(0xffff), // pre_defined = -1
		avcC,
	);
}

function movie(sampleSize: number, sampleOffset: number): Buffer {
	const duration = videoFormat.durationMs;
	const sampleTable = box(
		'stbl',
		fullBox('stsd', 0, 0, u32(1), sampleEntry()),
		fullBox('stts', 0, 0, u32(1), u32(1), u32(duration)),
		fullBox('stsc', 0, 0, u32(1), u32(1), u32(1), u32(1)),
		fullBox('stsz', 0, 0, u32(0), u32(1), u32(sampleSize)),
		fullBox('stco', 0, 0, u32(1), u32(sampleOffset)),
	);
	const media = box(
		'mdia',
		fullBox('mdhd', 0, 0, u32(0), u32(0), u32(TIMESCALE), u32(duration), u16(0x55c4), u16(0)),
		fullBox('hdlr', 0, 0, u32(0), Buffer.from('vide'), Buffer.alloc(12), Buffer.from('VideoHandler\0')),
		box(
			'minf',
			fullBox('vmhd', 0, 1, Buffer.alloc(8)),
			box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1))),
			sampleTable,
		),
	);
	const track = box(
		'trak',
		fullBox('tkhd', 0, 3, u32(0), u32(0), u32(1), u32(0), u32(duration), Buffer.alloc(16), UNITY_MATRIX,
			u32(picture.width << 16), u32(picture.height << 16)),
		media,
	);
	const header = fullBox('mvhd', 0, 0, u32(0), u32(0), u32(TIMESCALE), u32(duration), u32(0x10000),
		u16(0x100), Buffer.alloc(10), UNITY_MATRIX, Buffer.alloc(24), u32(2));
	return box('moov', header, track);
}

interface Layout {
	/** Everything up to and including the mdat header. */
	head: Buffer;
	sample: Buffer;
	paddingBytes: number;
}

function layout(spec: VideoSpec): Layout {
	const sample = Buffer.concat([u32(picture.idr.length), picture.idr]);
	const fileType = box('ftyp', Buffer.from('isom'), u32(0x200), Buffer.from('isomiso2avc1mp41'));
	const label = box('free', Buffer.from(`apimodels-emulator ${spec.label ?? ''}`.trim()));
	const moovBytes = movie(sample.length, 0).length;
	const prefix = fileType.length + label.length + moovBytes;
	const naturalMdat = 8 + sample.length;
	const mdatSize = Math.max(naturalMdat, (spec.sizeBytes ?? 0) - prefix);
	// Past 4 GiB the box needs the 64-bit size form.
	const mdatHeader =
		mdatSize > MAX_32BIT_BOX
			? Buffer.concat([u32(1), Buffer.from('mdat'), u32(Math.floor(mdatSize / 2 ** 32)), u32(mdatSize >>> 0)])
			: Buffer.concat([u32(mdatSize), Buffer.from('mdat')]);
	const moov = movie(sample.length, prefix + mdatHeader.length);
	return {
		head: Buffer.concat([fileType, label, moov, mdatHeader]),
		sample,
		paddingBytes: mdatSize - mdatHeader.length - sample.length,
	};
}

export function videoLength(spec: VideoSpec = {}): number {
	const { head, sample, paddingBytes } = layout(spec);
	return head.length + sample.length + paddingBytes;
}

/** The file in order, padding in 64 KiB chunks that each carry their index (so reordering shows in a hash). */
export function* videoChunks(spec: VideoSpec = {}): Generator<Buffer> {
	const { head, sample, paddingBytes } = layout(spec);
	yield Buffer.concat([head, sample]);
	const template = Buffer.alloc(PADDING_CHUNK_BYTES, 'apimodels-emulator padding ');
	for (let index = 0; index * PADDING_CHUNK_BYTES < paddingBytes; index++) {
		const chunk = Buffer.from(template);
		chunk.writeUInt32BE(index, 0);
		yield chunk.subarray(0, Math.min(PADDING_CHUNK_BYTES, paddingBytes - index * PADDING_CHUNK_BYTES));
	}
}

/** The whole file in memory; for small videos only. */
export function videoBytes(spec: VideoSpec = {}): Buffer {
	return Buffer.concat([...videoChunks(spec)]);
}

export function videoSha256(spec: VideoSpec = {}): string {
	const hash = createHash('sha256');
	for (const chunk of videoChunks(spec)) hash.update(chunk);
	return hash.digest('hex');
}
