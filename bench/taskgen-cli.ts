/**
 * Runs the built taskgen CLI on a synthetic project: timed `generate` runs with their peak
 * memory, `list --json` for the ground truth, and the arguments of a watching `generate`.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import type { BenchContext } from "./bench-context.js";
import { runChecked } from "./child-run.js";
import { parseListOutput, type TaskEntry } from "./ground-truth.js";
import type { TimedRuns } from "./size-result.js";

/** Builds `dist/` with `npm run build` and checks that the CLI is there. */
export async function buildTaskgen(context: BenchContext): Promise<void> {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  await runChecked(npm, ["run", "build"], { cwd: context.repoRoot });
  requireCli(context);
}

export function requireCli(context: BenchContext): void {
  if (!fs.existsSync(context.cliPath)) {
    throw new Error(`No taskgen CLI at ${context.cliPath}; \`npm run build\` writes it`);
  }
}

/** The arguments after `node` of `taskgen generate` for `projectDir`. */
export function generateArgs(context: BenchContext, projectDir: string): string[] {
  const outDir = path.join(projectDir, context.outDir);
  return [
    context.cliPath,
    "generate",
    "-p",
    path.join(projectDir, "tsconfig.json"),
    "--out",
    outDir,
  ];
}

/**
 * Runs `generate` `runs` times, each on a project without generated output, and records the
 * largest peak RSS the runs report through the `--import` hook.
 */
export async function timeGenerate(
  context: BenchContext,
  projectDir: string,
): Promise<TimedRuns & { peakRssKiB: number }> {
  const rssFile = path.join(context.workDir, "taskgen-rss.txt");
  const args = [
    "--import",
    pathToFileURL(context.rssHookPath).href,
    ...generateArgs(context, projectDir),
  ];
  const env = { ...process.env, TASKGEN_RSS_FILE: rssFile };
  const runsMs: number[] = [];
  const exitCodes: (number | null)[] = [];
  let peakRssKiB = 0;

  for (let run = 0; run < context.options.runs; run++) {
    fs.rmSync(path.join(projectDir, context.outDir), { recursive: true, force: true });
    fs.rmSync(rssFile, { force: true });

    const result = await runChecked(process.execPath, args, { cwd: context.repoRoot, env });
    runsMs.push(result.wallMs);
    exitCodes.push(result.exitCode);
    peakRssKiB = Math.max(peakRssKiB, readRssKiB(rssFile));
  }
  return { runsMs, exitCodes, peakRssKiB };
}

function readRssKiB(rssFile: string): number {
  if (!fs.existsSync(rssFile)) throw new Error(`The RSS hook wrote no ${rssFile}`);
  const kib = Number(fs.readFileSync(rssFile, "utf8").trim());
  if (!Number.isFinite(kib) || kib <= 0) throw new Error(`Unreadable peak RSS in ${rssFile}`);
  return kib;
}

/** The tasks `taskgen list --json` finds, leaving out any under the output folder. */
export async function listTasks(context: BenchContext, projectDir: string): Promise<TaskEntry[]> {
  const args = [context.cliPath, "list", "--json", "-p", path.join(projectDir, "tsconfig.json")];
  const result = await runChecked(process.execPath, args, { cwd: context.repoRoot });
  return parseListOutput(result.stdout, context.outDir);
}
