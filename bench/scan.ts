/**
 * The scan benchmark: `taskgen generate` on synthetic projects of several sizes, checked against
 * their ground truth and timed against `tsc --noEmit` (TypeScript 6 and 7) in the same run.
 *
 *   node --import tsx bench/scan.ts [--sizes 200,1000,5000] [--runs 3] [--anchor-runs 3]
 *
 * Prints a table, writes `bench/RESULTS.md` and `bench/work/results.json`, and exits with 1 when
 * taskgen's tasks differ from the ground truth at any size.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { createContext, type BenchContext } from "./bench-context.js";
import { checkGroundTruth, groundTruthHolds } from "./ground-truth.js";
import { writeResultsSection } from "./results-file.js";
import {
  renderGoals,
  renderResultsFile,
  renderTable,
  SCAN_HEADING,
  type RunFacts,
} from "./results-report.js";
import { evaluateGoals, plural, type SizeResult } from "./size-result.js";
import { generateProject } from "./synthetic-project.js";
import { buildTaskgen, generateArgs, listTasks, requireCli, timeGenerate } from "./taskgen-cli.js";
import { anchorVersion, timeAnchor, TSC6, TSC7 } from "./tsc-anchors.js";
import { measureWatchRebuilds, planEdits } from "./watch-rebuild.js";

/** Runs the benchmark and returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const context = createContext(argv);
  const facts = collectFacts(context, argv);
  fs.mkdirSync(context.workDir, { recursive: true });

  if (context.options.skipBuild) {
    requireCli(context);
  } else {
    progress("building taskgen (npm run build)");
    await buildTaskgen(context);
  }

  const results: SizeResult[] = [];
  for (const files of context.options.sizes) {
    results.push(await benchmarkSize(context, files));
  }

  report(context, facts, results);
  return results.every((result) => groundTruthHolds(result.groundTruth)) ? 0 : 1;
}

async function benchmarkSize(context: BenchContext, files: number): Promise<SizeResult> {
  progress(`${files} files: generating the projects`);
  const project = await generateProject(context.repoRoot, context.workDir, files);

  const { runs, anchorRuns } = context.options;
  progress(`${files} files: tsc 6 and tsc 7 anchors, ${plural(anchorRuns, "run")} each`);
  const tsc6 = await timeAnchor(context, TSC6, project.plainDir);
  const tsc7 = await timeAnchor(context, TSC7, project.plainDir);

  progress(`${files} files: taskgen generate, ${plural(runs, "run")}`);
  const taskgen = await timeGenerate(context, project.taskgenDir);

  progress(`${files} files: taskgen list against expected-tasks.json`);
  const groundTruth = checkGroundTruth(
    project.expected,
    await listTasks(context, project.taskgenDir),
  );

  progress(`${files} files: watch-mode rebuilds`);
  const watch = await measureWatchRebuilds(
    process.execPath,
    [...generateArgs(context, project.taskgenDir), "--watch"],
    context.repoRoot,
    planEdits(project.taskgenDir, project.expected),
  );

  return { files, groundTruth, taskgen, tsc6, tsc7, watch };
}

function report(context: BenchContext, facts: RunFacts, results: readonly SizeResult[]): void {
  process.stdout.write(`\n${renderTable(results)}\n\n${renderGoals(evaluateGoals(results))}\n`);

  for (const result of results.filter((r) => !groundTruthHolds(r.groundTruth))) {
    const { missing, extra } = result.groundTruth;
    process.stderr.write(
      `\nGROUND TRUTH MISMATCH at ${result.files} files: ` +
        `${missing.length} missing, ${extra.length} extra (see bench/RESULTS.md)\n`,
    );
  }

  const resultsFile = path.join(context.repoRoot, "bench", "RESULTS.md");
  writeResultsSection(resultsFile, SCAN_HEADING, renderResultsFile(facts, results));
  const rawFile = path.join(context.workDir, "results.json");
  fs.writeFileSync(rawFile, `${JSON.stringify({ facts, results }, null, 2)}\n`);
  progress(`wrote ${path.relative(context.repoRoot, resultsFile)} and ${rawFile}`);
}

function collectFacts(context: BenchContext, argv: readonly string[]): RunFacts {
  const script = path.relative(context.repoRoot, process.argv[1] ?? "bench/scan.ts");
  const command = ["node", ...process.execArgv, script, ...argv].join(" ");

  return {
    date: new Date(),
    command,
    runs: context.options.runs,
    anchorRuns: context.options.anchorRuns,
    typescriptVersions: {
      tsc6: anchorVersion(context, TSC6),
      tsc7: anchorVersion(context, TSC7),
    },
  };
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  return script !== undefined && import.meta.url === pathToFileURL(script).href;
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
