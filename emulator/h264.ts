/**
 * A still picture as H.264 Baseline: SPS, PPS and one IDR slice of I_PCM macroblocks.
 * I_PCM carries raw samples, so a valid frame needs no transform or entropy coder.
 */

const PROFILE_BASELINE = 66;
const LEVEL_1_0 = 10;
const CONSTRAINT_SET0_AND_1 = 0xc0;
const MB_TYPE_I_PCM = 25;
const SLICE_TYPE_I_ONLY = 7;

class BitWriter {
	private readonly bits: number[] = [];

	u(value: number, width: number): this {
		for (let bit = width - 1; bit >= 0; bit--) this.bits.push((value >> bit) & 1);
		return this;
	}

	/** Unsigned Exp-Golomb. */
	ue(value: number): this {
		const coded = value + 1;
		const width = Math.floor(Math.log2(coded)) + 1;
		return this.u(0, width - 1).u(coded, width);
	}

	/** Signed Exp-Golomb. */
	se(value: number): this {
		return this.ue(value <= 0 ? -2 * value : 2 * value - 1);
	}

	alignWithZeros(): this {
		while (this.bits.length % 8 !== 0) this.bits.push(0);
		return this;
	}

	bytes(values: Uint8Array): this {
		for (const value of values) this.u(value, 8);
		return this;
	}

	/** rbsp_trailing_bits: a stop bit, then zeros to the byte boundary. */
	finish(): Buffer {
		this.u(1, 1).alignWithZeros();
		const out = Buffer.alloc(this.bits.length / 8);
		this.bits.forEach((bit, index) => {
			out[index >> 3] |= bit << (7 - (index & 7));
		});
		return out;
	}
}

/** Inserts emulation-prevention bytes so no 00 00 0x (x ≤ 3) appears inside a NAL unit. */
function toNalPayload(rbsp: Buffer): Buffer {
	const out: number[] = [];
	let zeros = 0;
	for (const byte of rbsp) {
		if (zeros >= 2 && byte <= 3) {
			out.push(3);
			zeros = 0;
		}
		out.push(byte);
		zeros = byte === 0 ? zeros + 1 : 0;
	}
	return Buffer.from(out);
}

function nal(header: number, rbsp: Buffer): Buffer {
	return Buffer.concat([Buffer.from([header]), toNalPayload(rbsp)]);
}

function sequenceParameterSet(widthMbs: number, heightMbs: number): Buffer {
	const rbsp = new BitWriter()
		.u(PROFILE_BASELINE, 8)
		.u(CONSTRAINT_SET0_AND_1, 8)
		.u(LEVEL_1_0, 8)
		.ue(0) // seq_parameter_set_id
		.ue(0) // log2_max_frame_num_minus4
		.ue(2) // pic_order_cnt_type 2: order follows decoding, nothing in the slice header
		.ue(1) // max_num_ref_frames
		.u(0, 1) // gaps_in_frame_num_value_allowed_flag
		.ue(widthMbs - 1)
		.ue(heightMbs - 1)
		.u(1, 1) // frame_mbs_only_flag
		.u(1, 1) // direct_8x8_inference_flag
		.u(0, 1) // frame_cropping_flag
		.u(0, 1) // vui_parameters_present_flag
		.finish();
	return nal(0x67, rbsp);
}

function pictureParameterSet(): Buffer {
	const rbsp = new BitWriter()
		.ue(0) // pic_parameter_set_id
		.ue(0) // seq_parameter_set_id
		.u(0, 1) // entropy_coding_mode_flag: CAVLC
		.u(0, 1) // bottom_field_pic_order_in_frame_present_flag
		.ue(0) // num_slice_groups_minus1
		.ue(0) // num_ref_idx_l0_default_active_minus1
		.ue(0) // num_ref_idx_l1_default_active_minus1
		.u(0, 1) // weighted_pred_flag
		.u(0, 2) // weighted_bipred_idc
		.se(0) // pic_init_qp_minus26
		.se(0) // pic_init_qs_minus26
		.se(0) // chroma_qp_index_offset
		.u(0, 1) // deblocking_filter_control_present_flag
		.u(0, 1) // constrained_intra_pred_flag
		.u(0, 1) // redundant_pic_cnt_present_flag
		.finish();
	return nal(0x68, rbsp);
}

/** Raw 4:2:0 samples of one macroblock: a luma ramp, tinted per macroblock; never 0, so no start-code look-alikes. */
function macroblockSamples(index: number): Uint8Array {
	const samples = new Uint8Array(256 + 64 + 64);
	for (let y = 0; y < 16; y++) {
		for (let x = 0; x < 16; x++) samples[y * 16 + x] = 40 + (x + y) * 5 + index * 8;
	}
	samples.fill(64 + index * 40, 256, 320);
	samples.fill(192 - index * 40, 320, 384);
	return samples;
}

function idrSlice(macroblocks: number): Buffer {
	const bits = new BitWriter()
		.ue(0) // first_mb_in_slice
		.ue(SLICE_TYPE_I_ONLY)
		.ue(0) // pic_parameter_set_id
		.u(0, 4) // frame_num (log2_max_frame_num = 4)
		.ue(0) // idr_pic_id
		.u(0, 1) // no_output_of_prior_pics_flag
		.u(0, 1) // long_term_reference_flag
		.se(0); // slice_qp_delta
	for (let index = 0; index < macroblocks; index++) {
		bits.ue(MB_TYPE_I_PCM).alignWithZeros().bytes(macroblockSamples(index));
	}
	return nal(0x65, bits.finish());
}

export interface StillPicture {
	width: number;
	height: number;
	profile: number;
	compatibility: number;
	level: number;
	sps: Buffer;
	pps: Buffer;
	/** The IDR slice NAL unit, without a length prefix or start code. */
	idr: Buffer;
}

export function encodeStillPicture(widthMbs: number, heightMbs: number): StillPicture {
	return {
		width: widthMbs * 16,
		height: heightMbs * 16,
		profile: PROFILE_BASELINE,
		compatibility: CONSTRAINT_SET0_AND_1,
		level: LEVEL_1_0,
		sps: sequenceParameterSet(widthMbs, heightMbs),
		pps: pictureParameterSet(),
		idr: idrSlice(widthMbs * heightMbs),
	};
}
