import { decodeValue } from "../codec/decode-value.js";
import { encodeValue } from "../codec/encode-value.js";
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH } from "../codec/envelope.js";
import { queryShapeProblem, type Cursor, type IterQuery } from "./iter-query.js";

/**
 * Where a run of a query iterator stands. The state store holds the authoritative record under
 * `iter:<run>`; each step's payload carries a copy, from which a store that lost the run (one
 * in memory, after a restart) takes it up again.
 */
export interface IterRun {
  readonly run: string;
  /** The iterator's task id. */
  readonly iterator: string;
  readonly query: IterQuery;
  /**
   * `running`: steps remain; `finishing`: the last entry is handled and `handleFinish` is due;
   * `finished`; `stopped`: `handleError` said stop, and `resumeIter` may go on.
   */
  readonly phase: "running" | "finishing" | "finished" | "stopped";
  /** The step to run next; each step is queued under the name `iter-<run>-<step>`. */
  readonly step: number;
  /** After which entry the next step starts; null before the first. */
  readonly cursor: Cursor | null;
  readonly customData: unknown;
  /** Entries handled, including those that failed and `handleError` let pass. */
  readonly totalCount: number;
  /** Entries that failed twice. */
  readonly errors: number;
  readonly startedAt: number;
  readonly updatedAt: number;
  /** The worker running the step now, until `until`. */
  readonly claim?: { readonly token: string; readonly until: number };
  readonly stopReason?: string;
}

/** A run's progress, as `Runtime.iterProgress` reports it. */
export interface IterProgress {
  readonly run: string;
  readonly iterator: string;
  readonly state: IterRun["phase"];
  readonly step: number;
  readonly totalCount: number;
  readonly errors: number;
  /** Entries per second since the run started. */
  readonly ratePerSecond: number;
  readonly cursor: Cursor | null;
  readonly startedAt: Date;
  readonly updatedAt: Date;
  readonly stopReason?: string;
}

const LIMITS = { maxBytes: DEFAULT_MAX_BYTES, maxDepth: DEFAULT_MAX_DEPTH };
const PHASES = new Set(["running", "finishing", "finished", "stopped"]);

export function runKey(run: string): string {
  return `iter:${run}`;
}

/** The dedup name of a step: a retried step can queue its successor only once. */
export function stepName(run: string, step: number): string {
  return `iter-${run}-${step}`;
}

/** The record as stored: the envelope's value encoding, so dates and big integers survive. */
export function encodeRun(run: IterRun): string {
  return JSON.stringify(encodeValue(run, "run", LIMITS));
}

export function decodeRun(text: string): IterRun {
  return decodeValue(JSON.parse(text), "run", LIMITS.maxDepth) as IterRun;
}

/** What is wrong with a step's payload as a run record, or undefined. */
export function runShapeProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return "a step's payload is an object";
  const r = value as Record<string, unknown>;
  if (typeof r["run"] !== "string" || !/^[a-z0-9-]{1,100}$/.test(r["run"])) return "bad run id";
  if (typeof r["iterator"] !== "string") return "it names no iterator";
  if (typeof r["phase"] !== "string" || !PHASES.has(r["phase"])) return "bad phase";
  for (const name of ["step", "totalCount", "errors", "startedAt", "updatedAt"]) {
    const n = r[name];
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) return `bad ${name}`;
  }
  if (r["cursor"] !== null && !Array.isArray(r["cursor"])) return "bad cursor";
  const query = queryShapeProblem(r["query"]);
  if (query) return `its query: ${query}`;
  if (
    Array.isArray(r["cursor"]) &&
    r["cursor"].length !== (r["query"] as IterQuery).orderBy.length
  ) {
    return "its cursor does not match the query's order";
  }
  return undefined;
}

export function progressOf(run: IterRun): IterProgress {
  const seconds = Math.max((run.updatedAt - run.startedAt) / 1000, 0.001);
  return {
    run: run.run,
    iterator: run.iterator,
    state: run.phase,
    step: run.step,
    totalCount: run.totalCount,
    errors: run.errors,
    ratePerSecond: Math.round(run.totalCount / seconds),
    cursor: run.cursor,
    startedAt: new Date(run.startedAt),
    updatedAt: new Date(run.updatedAt),
    ...(run.stopReason !== undefined && { stopReason: run.stopReason }),
  };
}
