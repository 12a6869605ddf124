/**
 * APIModels Callback Trigger receiving the emulator's own callbacks: Create Video (through n8n's
 * engine) creates tasks with a Callback URL pointing at n8n's webhook server in miniature
 * (webhookServer.ts: n8n-core's WebhookContext behind a loopback HTTP server, static data
 * saved whole after each call, last write winning). The emulator sends each callback, re-sends
 * it on a non-2xx and then sends extra duplicate copies.
 */
import type { CallbackShape, Spelling } from '../../emulator/options';
import type { EmulatorTask } from '../../emulator/tasks';
import { outputOf, runVideo, useEmulator } from '../support/fixtures';
import type { StartedExecution } from './webhookServer';
import { Database, until, WebhookProcess } from './webhookServer';

const emulator = useEmulator({ callbackBackoffMs: [50, 100, 200], callbackBackgroundRetries: 0 });
const SECRET = 'callback-secret';
const DUPLICATES = 3;

/** Every task's callback and its duplicate copies are answered, and the server is idle. */
function settled(tasks: EmulatorTask[], receiver: WebhookProcess): boolean {
	const byId = new Map(emulator().tasks().map((task) => [task.id, task]));
	return (
		receiver.idle &&
		tasks.every((task) => {
			const attempts = byId.get(task.id)?.callbacks ?? [];
			const duplicates = attempts.filter((attempt) => attempt.kind === 'duplicate');
			return duplicates.length === DUPLICATES && attempts.every((attempt) => attempt.status !== undefined || attempt.error !== undefined);
		})
	);
}

const PROMPTS = ['A red fox', 'A blue whale [fail]', 'A green parrot', 'A snow owl [fail]', 'A grey wolf'];

const cases = (['seed', 'live'] as Spelling[]).flatMap((spelling) =>
	(['wrapped', 'bare'] as CallbackShape[]).flatMap((callbackShape) =>
		[true, false].map((sequential) => ({ spelling, callbackShape, sequential, mode: sequential ? 'one at a time' : 'concurrently' })),
	),
);

describe('APIModels Callback Trigger receiving the emulator\'s callbacks', () => {
	it.each(cases)(
		'$spelling spelling, $callbackShape, handled $mode: exactly one execution per finished task',
		async ({ spelling, callbackShape, sequential }) => {
			emulator().setOptions({ spelling, callbackShape, callbackDuplicates: DUPLICATES, latencyMs: sequential ? 0 : 150 });
			const started: StartedExecution[] = [];
			const receiver = new WebhookProcess(emulator, new Database(), started, { secret: SECRET, sequential });
			await receiver.listen();
			try {
				const created = await runVideo(
					emulator(),
					{
						operation: 'create',
						model: 'grok-video-3',
						prompt: '={{ $json.prompt }}',
						// Create Video adds the token, from the same credential's Callback Secret.
						options: { callbackUrl: receiver.url },
					},
					PROMPTS.map((prompt) => ({ prompt })),
					{ callbackSecret: SECRET },
				);
				const ids = outputOf(created).map((item) => String(item.json.taskId));
				expect(ids).toHaveLength(PROMPTS.length);
				const tasks = emulator().tasks().filter((task) => ids.includes(task.id));
				await until(() => settled(tasks, receiver));

				expect(receiver.errors).toEqual([]);
				const expected = tasks.map((task) => `${task.id}:${task.outcome}`).sort();
				expect(started.map((run) => `${run.taskId}:${run.status}`).sort()).toEqual(expected);
				for (const run of started) {
					const task = tasks.find((candidate) => candidate.id === run.taskId) as EmulatorTask;
					expect(run.json).toMatchObject({
						model: 'grok-video-3',
						videoUrls: task.outcome === 'completed' ? [emulator().videoUrl(task.id)] : [],
						error: task.outcome === 'failed' ? 'Content policy violation' : null,
					});
				}

				// What the emulator saw: each first POST answered 200 once the execution was handed over;
				// the copies the vendor sends after a 2xx answered 200 as duplicates.
				const attempts = emulator().tasks().filter((task) => ids.includes(task.id)).flatMap((task) => task.callbacks);
				expect(attempts.filter((attempt) => attempt.kind === 'first').map((attempt) => attempt.status)).toEqual(
					Array(PROMPTS.length).fill(200),
				);
				expect(receiver.answers.length).toBe(attempts.length);
				expect(attempts.every((attempt) => attempt.status === 200)).toBe(true);
				// The saved static data remembers every ending, whatever order the saves came in.
				expect(receiver.deliveries()).toEqual(expect.arrayContaining(expected));
			} finally {
				await receiver.close();
			}
		},
	);

	it('a callback without the token is refused and re-sent by the vendor, starting nothing', async () => {
		emulator().setOptions({ callbackDuplicates: 0 });
		const started: StartedExecution[] = [];
		const receiver = new WebhookProcess(emulator, new Database(), started, { secret: SECRET });
		await receiver.listen();
		try {
			const created = await runVideo(emulator(), {
				operation: 'create',
				model: 'grok-video-3',
				prompt: 'A tokenless fox',
				options: { callbackUrl: receiver.url },
			});
			const [id] = outputOf(created).map((item) => String(item.json.taskId));
			await until(() => (emulator().tasks().find((task) => task.id === id)?.callbacks.filter((a) => a.status).length ?? 0) === 4);
			await until(() => receiver.idle);
			const attempts = emulator().tasks().find((task) => task.id === id)?.callbacks ?? [];
			expect(attempts.map((attempt) => [attempt.kind, attempt.status])).toEqual([
				['first', 401],
				['retry', 401],
				['retry', 401],
				['retry', 401],
			]);
			expect(started).toEqual([]);
			expect(emulator().stats().totals.status).toBe(0);
		} finally {
			await receiver.close();
		}
	});
});

