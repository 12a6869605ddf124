import type { IDataObject } from 'n8n-workflow';

/** How many task endings each trigger remembers to recognise re-sent callbacks. */
export const REMEMBERED_DELIVERIES = 1000;

/** `new`: start work; `inFlight`: a copy is being verified now; `done`: already delivered. */
export type Claim = 'new' | 'inFlight' | 'done';

/**
 * Deliveries per trigger node. The process-wide map closes the race between concurrent
 * copies of one callback; the workflow's static data carries finished ones across restarts.
 */
const inProcess = new Map<string, Map<string, 'inFlight' | 'done'>>();

function deliveryKey(taskId: string, status: string): string {
	return `${taskId}:${status}`;
}

function storedKeys(staticData: IDataObject): string[] {
	return (staticData.deliveries as string[] | undefined) ?? [];
}

export function claimDelivery(
	triggerKey: string,
	staticData: IDataObject,
	taskId: string,
	status: string,
): Claim {
	const key = deliveryKey(taskId, status);
	const claims = inProcess.get(triggerKey) ?? new Map<string, 'inFlight' | 'done'>();
	inProcess.set(triggerKey, claims);
	const known = claims.get(key) ?? (storedKeys(staticData).includes(key) ? 'done' : undefined);
	if (known) return known;
	claims.set(key, 'inFlight');
	if (claims.size > REMEMBERED_DELIVERIES) claims.delete(claims.keys().next().value as string);
	return 'new';
}

/** Records the outcome of a claimed delivery: accepted ones are remembered, others forgotten. */
export function settleDelivery(
	triggerKey: string,
	staticData: IDataObject,
	taskId: string,
	status: string,
	accepted: boolean,
): void {
	const key = deliveryKey(taskId, status);
	const claims = inProcess.get(triggerKey);
	if (!accepted) {
		// A forged or unverifiable copy must not block the genuine callback that may follow.
		claims?.delete(key);
		return;
	}
	claims?.set(key, 'done');
	// n8n loads static data before each webhook call and saves it whole afterwards, so of
	// concurrent calls the last save wins: write every delivery this process has finished,
	// not just this one, or the others' entries are lost.
	const done = [...(claims ?? [])].filter(([, state]) => state === 'done').map(([known]) => known);
	const stored = [...new Set([...storedKeys(staticData), ...done, key])].slice(-REMEMBERED_DELIVERIES);
	staticData.deliveries = stored;
}
