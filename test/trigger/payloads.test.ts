/**
 * APIModels Callback Trigger accepts both spellings of the API (task_id/status/videos/error and
 * taskId/state/resultUrls/failMsg) in both shapes (wrapped `{code,msg,data}` and bare `data`),
 * whichever spelling the API itself answers verification queries in.
 */
import { randomBytes } from 'node:crypto';
import type { Spelling } from '../../emulator/options';
import { taskData } from '../../emulator/spellings';
import type { EmulatorTask } from '../../emulator/tasks';
import { useEmulator } from '../support/fixtures';
import { triggerFixtures } from './fixtures';

const emulator = useEmulator();
const { endedTask, callbackFor, post } = triggerFixtures(emulator);

const SPELLINGS: Spelling[] = ['seed', 'live'];
const SHAPES = ['wrapped', 'bare'] as const;
const cases = SPELLINGS.flatMap((callback) =>
	SHAPES.flatMap((shape) =>
		SPELLINGS.flatMap((api) => (['completed', 'failed'] as const).map((outcome) => ({ callback, shape, api, outcome }))),
	),
);

describe('APIModels Callback Trigger reads both spellings and shapes', () => {
	it.each(cases)(
		'$outcome callback in $callback spelling, $shape, API answering in $api spelling',
		async ({ callback, shape, api, outcome }) => {
			emulator().setOptions({ spelling: api });
			const task = await endedTask({ fail: outcome === 'failed' });
			const body = callbackFor(task, { spelling: callback, wrapped: shape === 'wrapped' });

			const result = await post(JSON.stringify(body)); // the raw bytes, as the vendor sends them
			expect(result.response.statusCode).toBe(200);
			expect(result.workflowData).toHaveLength(1);
			const [[item]] = result.workflowData ?? [[]];
			expect(item.json).toMatchObject({
				taskId: task.id,
				status: outcome,
				model: 'grok-video-3',
				videoUrls: outcome === 'completed' ? [emulator().videoUrl(task.id)] : [],
				error: outcome === 'failed' ? 'Content policy violation' : null,
				createdAt: new Date(task.createdAt).toISOString(),
				completedAt: new Date(task.finishedAt).toISOString(),
				// Verified: `response` is the API's answer in the API's spelling.
				response: taskData(task, task.outcome, api, emulator().videoUrl(task.id)),
			});
		},
	);

	it.each(SPELLINGS.flatMap((spelling) => SHAPES.map((shape) => ({ spelling, shape }))))(
		'without verification, $spelling spelling, $shape: the body is mapped to the same output',
		async ({ spelling, shape }) => {
			const task: EmulatorTask = {
				id: `cl${randomBytes(12).toString('hex')}`,
				model: 'veo-3.1-fast',
				body: {},
				apiKey: '',
				createdAt: Date.UTC(2025, 0, 2, 3, 4, 5),
				processingAt: Date.UTC(2025, 0, 2, 3, 4, 6),
				finishedAt: Date.UTC(2025, 0, 2, 3, 5, 0),
				outcome: 'failed',
				callbacks: [],
			};
			const data = taskData(task, 'failed', spelling, 'https://cdn.example.com/unused.mp4');
			const result = await post(shape === 'wrapped' ? { code: 200, msg: 'success', data } : data, { parameters: { verifyWithApi: false } });
			expect(emulator().stats().log).toEqual([]);
			expect(result.workflowData?.[0]?.[0]?.json).toEqual({
				deliveryId: `${task.id}:failed`,
				taskId: task.id,
				status: 'failed',
				model: 'veo-3.1-fast',
				videoUrls: [],
				videoUrl: null,
				error: 'Content policy violation',
				createdAt: '2025-01-02T03:04:05.000Z',
				completedAt: '2025-01-02T03:05:00.000Z',
				estimatedCostUsd: 0.06,
				response: data,
			});
		},
	);
});
