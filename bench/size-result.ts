/**
 * What one project size measured, and the goals the issue sets at 5,000 files.
 */
import { median } from "./child-run.js";
import { groundTruthHolds, type GroundTruthCheck } from "./ground-truth.js";
import type { WatchMeasurement } from "./watch-rebuild.js";

/** The project size the speed, memory and watch goals apply to. */
export const GOAL_FILES = 5000;

export interface TimedRuns {
  /** Wall time of every run, in order, from spawn to exit. */
  readonly runsMs: readonly number[];
  /** Exit code of every run; a type-check anchor exits non-zero on type errors. */
  readonly exitCodes: readonly (number | null)[];
}

export interface SizeResult {
  readonly files: number;
  readonly groundTruth: GroundTruthCheck;
  readonly taskgen: TimedRuns & { readonly peakRssKiB: number };
  readonly tsc6: TimedRuns;
  readonly tsc7: TimedRuns;
  readonly watch: WatchMeasurement;
}

export interface Goal {
  readonly name: string;
  readonly measured: string;
  /** Null when the run did not include the size the goal is about. */
  readonly passed: boolean | null;
}

export function medianMs(runs: TimedRuns): number {
  return median(runs.runsMs);
}

/** How many times faster taskgen was than an anchor, by median wall time. */
export function speedup(result: SizeResult, anchor: TimedRuns): number {
  return medianMs(anchor) / medianMs(result.taskgen);
}

export function peakRssMiB(result: SizeResult): number {
  return result.taskgen.peakRssKiB / 1024;
}

export function rebuildMedianMs(watch: WatchMeasurement): number {
  return median(watch.samples.map((sample) => sample.wallMs));
}

export function rebuildMaxMs(watch: WatchMeasurement): number {
  return Math.max(...watch.samples.map((sample) => sample.wallMs));
}

export function evaluateGoals(results: readonly SizeResult[]): Goal[] {
  const groundTruth: Goal = {
    name: "finds exactly the ground truth, at every size",
    measured: results.map((r) => `${r.groundTruth.found}/${r.groundTruth.expected}`).join(", "),
    passed: results.every((result) => groundTruthHolds(result.groundTruth)),
  };
  const atGoalSize = results.find((result) => result.files === GOAL_FILES);

  return [groundTruth, ...speedGoals(atGoalSize)];
}

function speedGoals(result: SizeResult | undefined): Goal[] {
  const measure = (
    value: (r: SizeResult) => number,
    format: (value: number) => string,
    pass: (value: number) => boolean,
  ): Pick<Goal, "measured" | "passed"> => {
    if (!result) return { measured: "not measured", passed: null };
    const measured = value(result);
    return { measured: format(measured), passed: pass(measured) };
  };
  const at = `at ${GOAL_FILES.toLocaleString("en-US")} files`;

  return [
    {
      name: `at least 15x faster than \`tsc --noEmit\` with TypeScript 6 ${at}`,
      ...measure(
        (r) => speedup(r, r.tsc6),
        formatRatio,
        (x) => x >= 15,
      ),
    },
    {
      name: `at least 4x faster than \`tsc --noEmit\` with TypeScript 7 ${at}`,
      ...measure(
        (r) => speedup(r, r.tsc7),
        formatRatio,
        (x) => x >= 4,
      ),
    },
    {
      name: `peak memory under 400 MiB ${at}`,
      ...measure(peakRssMiB, formatMiB, (mib) => mib < 400),
    },
    {
      name: `watch rebuild after editing one file under 100 ms ${at} (slowest edit)`,
      ...measure(
        (r) => rebuildMaxMs(r.watch),
        formatMs,
        (ms) => ms < 100,
      ),
    },
  ];
}

export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(1)}x`;
}

export function formatMiB(mib: number): string {
  return `${mib.toFixed(0)} MiB`;
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
