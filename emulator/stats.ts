/** Counters the tests assert on: requests by route and status, concurrency, polls, callbacks, faults. */
import type { ApiRoute, FaultKind } from './faults';
import { API_ROUTES, FAULT_KINDS } from './faults';

export interface RequestLogEntry {
	route: ApiRoute;
	method: string;
	path: string;
	/** Arrival, ms since the epoch. */
	at: number;
	finishedAt: number;
	/** HTTP status, 'dropped' for an injected drop, 'aborted' when the client left mid-answer. */
	status: string;
	fault?: FaultKind;
}

export interface CallbackCounters {
	attempts: number;
	successes: number;
	failures: number;
	/** Callback URLs not called because they are not loopback. */
	refused: number;
	/** Extra copies sent after a 2xx (option `callbackDuplicates`), also counted in attempts. */
	duplicates: number;
}

type PerRoute<T> = Record<ApiRoute, T>;
/** '*' is all routes together. */
type PerRouteAndAll<T> = Record<ApiRoute | '*', T>;

export interface EmulatorStats {
	/** Finished requests by route, then status: `requests.status['200']`. */
	requests: PerRoute<Record<string, number>>;
	/** Arrived requests by route. */
	totals: PerRoute<number>;
	inFlight: PerRouteAndAll<number>;
	maxInFlight: PerRouteAndAll<number>;
	/** Arrival of the latest request by route, ms since the epoch. */
	lastRequestAt: Partial<PerRoute<number>>;
	tasksCreated: number;
	/** Status queries by task id. */
	polls: Record<string, number>;
	callbacks: CallbackCounters;
	/** Faults applied, by kind. */
	faults: Record<FaultKind, number>;
	/** Recent requests, oldest first (bounded by `requestLogLimit`). */
	log: RequestLogEntry[];
}

function perRoute<T>(make: () => T): PerRoute<T> {
	return Object.fromEntries(API_ROUTES.map((route) => [route, make()])) as PerRoute<T>;
}

function freshStats(inFlight: PerRouteAndAll<number>): EmulatorStats {
	return {
		requests: perRoute(() => ({})),
		totals: perRoute(() => 0),
		inFlight,
		// In-flight requests survive a reset, so the new maximum starts from them.
		maxInFlight: { ...inFlight },
		lastRequestAt: {},
		tasksCreated: 0,
		polls: {},
		callbacks: { attempts: 0, successes: 0, failures: 0, refused: 0, duplicates: 0 },
		faults: Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>,
		log: [],
	};
}

export class StatsRecorder {
	private stats = freshStats({ ...perRoute(() => 0), '*': 0 });

	constructor(private logLimit: () => number) {}

	/** Counts an arriving request; the returned function records how it ended. */
	begin(route: ApiRoute, method: string, path: string): (status: string, fault?: FaultKind) => void {
		const at = Date.now();
		const { stats } = this;
		stats.totals[route] += 1;
		stats.lastRequestAt[route] = at;
		for (const key of [route, '*'] as const) {
			stats.inFlight[key] += 1;
			stats.maxInFlight[key] = Math.max(stats.maxInFlight[key], stats.inFlight[key]);
		}
		// Read this.stats at the end: a reset in between sends the outcome to the new counters.
		return (status, fault) => {
			const current = this.stats;
			for (const key of [route, '*'] as const) current.inFlight[key] -= 1;
			current.requests[route][status] = (current.requests[route][status] ?? 0) + 1;
			current.log.push({ route, method, path, at, finishedAt: Date.now(), status, ...(fault && { fault }) });
			const excess = current.log.length - this.logLimit();
			if (excess > 0) current.log.splice(0, excess);
		};
	}

	faultApplied(kind: FaultKind): void {
		this.stats.faults[kind] += 1;
	}

	taskCreated(): void {
		this.stats.tasksCreated += 1;
	}

	polled(taskId: string): void {
		this.stats.polls[taskId] = (this.stats.polls[taskId] ?? 0) + 1;
	}

	callback(counter: keyof CallbackCounters): void {
		this.stats.callbacks[counter] += 1;
	}

	snapshot(): EmulatorStats {
		return structuredClone(this.stats);
	}

	reset(): void {
		this.stats = freshStats(this.stats.inFlight);
	}
}
