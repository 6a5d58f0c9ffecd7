/**
 * The scan benchmark's resolved options and paths, built once and passed first.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

export interface BenchOptions {
  /** App files per synthetic project, one project per size. */
  readonly sizes: readonly number[];
  /** Timed taskgen runs per size. */
  readonly runs: number;
  /** Timed runs of each `tsc` anchor per size. */
  readonly anchorRuns: number;
  /** Skips `npm run build`, for a `dist/` built already. */
  readonly skipBuild: boolean;
}

export interface BenchContext {
  readonly options: BenchOptions;
  readonly repoRoot: string;
  /** Generated projects and raw results; ignored by git. */
  readonly workDir: string;
  /** The built CLI, `dist/cli/main.js`. */
  readonly cliPath: string;
  /** The `--import` hook that reports a process's peak RSS. */
  readonly rssHookPath: string;
  /** The generated output folder, relative to each project. */
  readonly outDir: string;
}

export const USAGE =
  "usage: node --import tsx bench/scan.ts [--sizes 200,1000,5000] [--runs 3] [--anchor-runs 3]" +
  " [--skip-build]";

const DEFAULT_SIZES = "200,1000,5000";
const DEFAULT_RUNS = "3";

export function createContext(argv: readonly string[]): BenchContext {
  const benchDir = path.dirname(fileURLToPath(import.meta.url));
  const repoRoot = path.dirname(benchDir);

  return {
    options: parseOptions(argv),
    repoRoot,
    workDir: path.join(benchDir, "work"),
    cliPath: path.join(repoRoot, "dist", "cli", "main.js"),
    rssHookPath: path.join(benchDir, "report-rss.mjs"),
    outDir: "src/generated",
  };
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: "string", default: DEFAULT_SIZES },
      runs: { type: "string", default: DEFAULT_RUNS },
      "anchor-runs": { type: "string" },
      "skip-build": { type: "boolean", default: false },
    },
  });
  const runs = positiveInteger("--runs", values.runs);

  return {
    sizes: values.sizes.split(",").map((size) => positiveInteger("--sizes", size.trim())),
    runs,
    anchorRuns: values["anchor-runs"]
      ? positiveInteger("--anchor-runs", values["anchor-runs"])
      : runs,
    skipBuild: values["skip-build"],
  };
}

function positiveInteger(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`Expected a positive integer for ${option}, got "${text}"\n${USAGE}`);
  }
  return value;
}
