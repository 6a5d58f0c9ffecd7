/**
 * Renders the scan benchmark's results: a Markdown table for the terminal and `bench/RESULTS.md`.
 */
import os from "node:os";

import { groundTruthHolds, type GroundTruthCheck } from "./ground-truth.js";

import {
  evaluateGoals,
  formatMiB,
  formatMs,
  formatRatio,
  medianMs,
  peakRssMiB,
  plural,
  rebuildMaxMs,
  rebuildMedianMs,
  speedup,
  type Goal,
  type SizeResult,
  type TimedRuns,
} from "./size-result.js";
import type { RebuildSample } from "./watch-rebuild.js";

/** Missing or extra tasks listed per size; the rest are counted. */
const LISTED_MISMATCHES = 20;

export interface RunFacts {
  readonly date: Date;
  readonly command: string;
  readonly runs: number;
  readonly anchorRuns: number;
  readonly typescriptVersions: { readonly tsc6: string; readonly tsc7: string };
}

export function renderTable(results: readonly SizeResult[]): string {
  const header = [
    "files",
    "tasks found / expected",
    "taskgen",
    "tsc 6",
    "tsc 7",
    "tsc 6 / taskgen",
    "tsc 7 / taskgen",
    "peak RSS",
    "watch rebuild median / max",
  ];
  const rows = results.map((result) => [
    result.files.toLocaleString("en-US"),
    formatFound(result.groundTruth),
    formatMs(medianMs(result.taskgen)),
    formatMs(medianMs(result.tsc6)),
    formatMs(medianMs(result.tsc7)),
    formatRatio(speedup(result, result.tsc6)),
    formatRatio(speedup(result, result.tsc7)),
    formatMiB(peakRssMiB(result)),
    `${formatMs(rebuildMedianMs(result.watch))} / ${formatMs(rebuildMaxMs(result.watch))}`,
  ]);

  return markdownTable(header, rows);
}

export function renderGoals(goals: readonly Goal[]): string {
  const verdict = (goal: Goal): string => {
    if (goal.passed === null) return "not measured";
    return goal.passed ? "pass" : "FAIL";
  };
  const rows = goals.map((goal) => [goal.name, goal.measured, verdict(goal)]);
  return markdownTable(["goal", "measured", "result"], rows);
}

export const SCAN_HEADING = "## Scan";

export function renderResultsFile(facts: RunFacts, results: readonly SizeResult[]): string {
  const sections = [
    SCAN_HEADING,
    `Measured on ${facts.date.toISOString()} with:\n\n\`\`\`\n${facts.command}\n\`\`\``,
    renderMachine(facts),
    renderTable(results),
    renderMethod(facts),
    "### Goals",
    renderGoals(evaluateGoals(results)),
    "### Details",
    ...results.map(renderDetails),
  ];
  return `${sections.join("\n\n")}\n`;
}

function renderMachine(facts: RunFacts): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? "unknown model";
  const memoryGiB = (os.totalmem() / 1024 ** 3).toFixed(1);
  const system = `${os.type()} ${os.release()} ${os.arch()}`;
  const { tsc6, tsc7 } = facts.typescriptVersions;

  return [
    `Machine: ${cpus.length} CPUs (${model}), ${memoryGiB} GiB memory, ${system}.`,
    `Node ${process.version}; TypeScript ${tsc6} (\`tsc\` 6) and ${tsc7} (\`tsc\` 7).`,
  ].join("\n");
}

function renderMethod(facts: RunFacts): string {
  return [
    `Wall times are medians of ${plural(facts.runs, "taskgen run")} and`,
    `${plural(facts.anchorRuns, "run")} of each \`tsc\` anchor, every run a child process timed`,
    "from spawn to exit, all in this one benchmark run.",
    "taskgen runs `generate` on the `--taskgen` form of the project with its output folder",
    "removed first; the anchors run `tsc -p <plain>/tsconfig.json --noEmit` on the",
    "self-contained form. Peak RSS is the largest `maxRSS` of the taskgen runs. Watch rebuilds",
    "are timed from writing one file to taskgen's next `taskgen: ` status line.",
  ].join("\n");
}

function renderDetails(result: SizeResult): string {
  const { groundTruth, watch } = result;
  const lines = [
    `#### ${result.files.toLocaleString("en-US")} files`,
    "",
    `- taskgen runs: ${formatRuns(result.taskgen)}; peak RSS ${formatMiB(peakRssMiB(result))}`,
    `- tsc 6 runs: ${formatRuns(result.tsc6)}`,
    `- tsc 7 runs: ${formatRuns(result.tsc7)}`,
    `- ground truth: ${groundTruth.found} found, ${groundTruth.expected} expected, ` +
      `${groundTruth.missing.length} missing, ${groundTruth.extra.length} extra`,
    ...listMismatches("missing", groundTruth.missing),
    ...listMismatches("extra", groundTruth.extra),
    `- watch: first build ${formatMs(watch.initialBuildMs)}; ` +
      `${watch.unexpectedStatusLines} status lines that answered no edit`,
    ...watch.samples.map(formatRebuild),
  ];
  return lines.join("\n");
}

function formatRebuild(sample: RebuildSample): string {
  const reported = sample.reportedMs === null ? "no time" : formatMs(sample.reportedMs);
  const status = `\`${sample.status}\``;
  return `  - ${sample.label}: ${formatMs(sample.wallMs)} (taskgen: ${reported}) ${status}`;
}

function formatFound(check: GroundTruthCheck): string {
  const found = `${check.found} / ${check.expected}`;
  if (groundTruthHolds(check)) return found;
  return `${found} (${check.missing.length} missing, ${check.extra.length} extra)`;
}

function formatRuns(runs: TimedRuns): string {
  const times = runs.runsMs.map(formatMs).join(", ");
  const codes = [...new Set(runs.exitCodes)].join(", ");
  return `${times} (exit code ${codes})`;
}

function listMismatches(what: string, keys: readonly string[]): string[] {
  const listed = keys.slice(0, LISTED_MISMATCHES).map((key) => `  - ${what}: \`${key}\``);
  const more = keys.length - listed.length;
  return more > 0 ? [...listed, `  - and ${more} more ${what}`] : listed;
}

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  const rule = header.map(() => "---");
  return [line(header), line(rule), ...rows.map(line)].join("\n");
}
