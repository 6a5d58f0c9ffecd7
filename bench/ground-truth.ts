/**
 * Compares what `taskgen list --json` found with the generator's `expected-tasks.json`, as sets of
 * (file, symbol, kind, interval) entries.
 */
import { isRecord, type ExpectedKind, type ExpectedTask } from "./synthetic-project.js";

/** One task as both sides can describe it; `intervalSeconds` only for periodic tasks. */
export interface TaskEntry {
  readonly file: string;
  readonly symbol: string;
  readonly kind: string;
  readonly intervalSeconds?: number;
}

export interface GroundTruthCheck {
  readonly expected: number;
  readonly found: number;
  readonly missing: readonly string[];
  readonly extra: readonly string[];
}

const KIND_BY_EXPECTED: Readonly<Record<ExpectedKind, string>> = {
  callDeferred: "deferred",
  PeriodicTask: "periodic",
  CallableTask: "callable",
  QueryIter: "queryIter",
};

export function fromExpected(task: ExpectedTask): TaskEntry {
  const symbol = task.member === null ? task.class : `${task.class}.${task.member}`;
  const entry = { file: task.file, symbol, kind: KIND_BY_EXPECTED[task.kind] };
  return task.interval === undefined ? entry : { ...entry, intervalSeconds: task.interval };
}

/**
 * Reads the JSON array printed by `taskgen list --json`, leaving out tasks under `outDir`
 * (project-relative, POSIX), where taskgen's own output lives.
 */
export function parseListOutput(stdout: string, outDir: string): TaskEntry[] {
  const parsed: unknown = JSON.parse(stdout);
  if (!Array.isArray(parsed)) throw new Error("`taskgen list --json` did not print an array");

  const outPrefix = outDir.replace(/\/*$/, "/");
  return parsed
    .map((task: unknown, index) => fromListed(task, index))
    .filter((task) => !task.file.startsWith(outPrefix));
}

function fromListed(value: unknown, index: number): TaskEntry {
  const where = `\`taskgen list --json\` entry ${index}`;
  if (!isRecord(value)) throw new Error(`Expected an object as ${where}`);
  const { file, symbol, kind, intervalSeconds } = value;

  if (typeof file !== "string" || typeof symbol !== "string" || typeof kind !== "string") {
    throw new Error(`Missing file, symbol or kind in ${where}: ${JSON.stringify(value)}`);
  }
  const entry = { file, symbol, kind };
  if (kind !== "periodic") return entry;
  return typeof intervalSeconds === "number" ? { ...entry, intervalSeconds } : entry;
}

export function checkGroundTruth(
  expected: readonly ExpectedTask[],
  found: readonly TaskEntry[],
): GroundTruthCheck {
  const want = new Set(expected.map((task) => entryKey(fromExpected(task))));
  const have = new Set(found.map(entryKey));

  return {
    expected: want.size,
    found: found.length,
    missing: [...want].filter((key) => !have.has(key)).sort(),
    extra: [...have].filter((key) => !want.has(key)).sort(),
  };
}

/** True when nothing is missing, nothing is extra and no task was listed twice. */
export function groundTruthHolds(check: GroundTruthCheck): boolean {
  const noDuplicates = check.found === check.expected;
  return check.missing.length === 0 && check.extra.length === 0 && noDuplicates;
}

/** A readable, comparable form: `src/m000/file00029.ts Periodic29.run periodic every 5 s`. */
export function entryKey(entry: TaskEntry): string {
  const every = entry.intervalSeconds === undefined ? "" : ` every ${entry.intervalSeconds} s`;
  return `${entry.file} ${entry.symbol} ${entry.kind}${every}`;
}
