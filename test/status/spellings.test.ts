import { normalizeTask } from '../../nodes/shared/task';
import { startEmulator } from '../../emulator/server';
import { grok, outputOf, runVideo } from '../support/fixtures';

describe('both response spellings map to one output contract', () => {
	it.each(['seed', 'live'] as const)('Get Status with the %s spelling', async (spelling) => {
		const emulator = await startEmulator({ spelling, pendingMs: 0, processingMs: 0 });
		try {
			const created = outputOf(await runVideo(emulator, grok()))[0].json;
			const [item] = outputOf(await runVideo(emulator, { operation: 'getStatus', taskId: created.taskId }));
			expect(item.json).toMatchObject({
				taskId: created.taskId,
				status: 'completed',
				model: 'grok-video-3',
				videoUrl: emulator.videoUrl(created.taskId as string),
				videoUrls: [emulator.videoUrl(created.taskId as string)],
				error: null,
				estimatedCostUsd: 0.028,
			});
			expect(item.json.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
			expect(item.json.completedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
			expect(item.json.response).toHaveProperty(spelling === 'seed' ? 'task_id' : 'taskId');
		} finally {
			await emulator.close();
		}
	});

	it('maps the documented examples field by field', () => {
		const seed = normalizeTask({
			code: 200,
			msg: 'success',
			data: {
				task_id: 'clx1',
				status: 'failed',
				model: 'cloud-video/veo-3.1',
				error: 'Content policy violation',
				created_at: 1705123450000,
			},
		});
		expect(seed).toMatchObject({
			taskId: 'clx1',
			status: 'failed',
			model: 'veo-3.1',
			error: 'Content policy violation',
			createdAt: '2024-01-13T05:24:10.000Z',
			completedAt: null,
			estimatedCostUsd: 0.12,
		});
		const live = normalizeTask({
			data: {
				taskId: 'clx2',
				state: 'completed',
				resultUrls: ['https://cdn.example.com/video.mp4'],
				createTime: 1705123450000,
				completeTime: 1705123500000,
			},
		});
		expect(live).toMatchObject({
			taskId: 'clx2',
			status: 'completed',
			model: null,
			videoUrl: 'https://cdn.example.com/video.mp4',
			completedAt: '2024-01-13T05:25:00.000Z',
			estimatedCostUsd: null,
		});
		expect(normalizeTask({ taskId: 'clx3', state: 'failed', failMsg: 'No credits' }).error).toBe('No credits');
	});
});
