import type { IDataObject } from 'n8n-workflow';

/** How many finished deliveries each trigger remembers to recognise re-sent callbacks. */
const REMEMBERED_DELIVERIES = 1000;

/**
 * Verifications one trigger runs at once in this process. Each holds an API request for at most
 * the answer budget; callbacks beyond this are answered at once with a non-2xx and re-sent by the
 * vendor later, so a flood of forgeries costs neither memory nor API requests.
 */
export const MAX_VERIFICATIONS_IN_FLIGHT = 16;

/** How long a task id the API did not know is answered without asking again. */
const UNKNOWN_TASK_MEMORY_MS = 10 * 60_000;

/** `busy`: no verification slot free; `unknownTask`: the API recently said it has no such task. */
export type Claim = 'new' | 'inFlight' | 'done' | 'busy' | 'unknownTask';

interface TriggerDeliveries {
	/** Claimed and being verified; never more than MAX_VERIFICATIONS_IN_FLIGHT, never evicted. */
	inFlight: Set<string>;
	/** Delivered; the oldest are forgotten past REMEMBERED_DELIVERIES (nothing in flight is). */
	done: Set<string>;
	/** Task ids the API answered 404 for, with when to forget them. */
	unknownTasks: Map<string, number>;
}

const triggers = new Map<string, TriggerDeliveries>();

/** The delivery a callback is: a task's ending. Also the trigger output's `deliveryId`. */
export function deliveryKey(taskId: string, status: string): string {
	return `${taskId}:${status}`;
}

function stateOf(triggerKey: string): TriggerDeliveries {
	let state = triggers.get(triggerKey);
	if (!state) {
		state = { inFlight: new Set(), done: new Set(), unknownTasks: new Map() };
		triggers.set(triggerKey, state);
	}
	return state;
}

function storedKeys(staticData: IDataObject): string[] {
	return (staticData.deliveries as string[] | undefined) ?? [];
}

/** Keeps the newest `limit` entries of an insertion-ordered set or map. */
function trim(entries: Set<string> | Map<string, number>, limit: number): void {
	for (const key of entries.keys()) {
		if (entries.size <= limit) return;
		entries.delete(key);
	}
}

export function claimDelivery(triggerKey: string, staticData: IDataObject, taskId: string, status: string): Claim {
	const state = stateOf(triggerKey);
	const key = deliveryKey(taskId, status);
	if (state.done.has(key) || storedKeys(staticData).includes(key)) return 'done';
	if (state.inFlight.has(key)) return 'inFlight';
	const forgetAt = state.unknownTasks.get(taskId);
	if (forgetAt !== undefined) {
		if (forgetAt > Date.now()) return 'unknownTask';
		state.unknownTasks.delete(taskId);
	}
	// Admission, not eviction: a full table refuses the newcomer and keeps every claim in flight.
	if (state.inFlight.size >= MAX_VERIFICATIONS_IN_FLIGHT) return 'busy';
	state.inFlight.add(key);
	return 'new';
}

/** How a claimed delivery ended: started (or filtered out) for good, or left to a re-send. */
export type Settlement = 'delivered' | 'released' | 'unknownTask';

export function settleDelivery(
	triggerKey: string,
	staticData: IDataObject,
	taskId: string,
	status: string,
	settlement: Settlement,
): void {
	const state = stateOf(triggerKey);
	const key = deliveryKey(taskId, status);
	state.inFlight.delete(key);
	if (settlement === 'unknownTask') {
		state.unknownTasks.set(taskId, Date.now() + UNKNOWN_TASK_MEMORY_MS);
		trim(state.unknownTasks, REMEMBERED_DELIVERIES);
	}
	if (settlement !== 'delivered') return;
	state.done.add(key);
	trim(state.done, REMEMBERED_DELIVERIES);
	// n8n loads static data before each webhook call and saves it whole afterwards, so of
	// concurrent calls the last save wins: write every delivery this process has finished,
	// not just this one, or the others' entries are lost.
	staticData.deliveries = [...new Set([...storedKeys(staticData), ...state.done, key])].slice(-REMEMBERED_DELIVERIES);
}
