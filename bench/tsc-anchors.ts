/**
 * The `tsc --noEmit` anchors taskgen is compared with, timed on the self-contained project.
 */
import fs from "node:fs";
import path from "node:path";

import type { BenchContext } from "./bench-context.js";
import { runChild } from "./child-run.js";
import type { TimedRuns } from "./size-result.js";

export interface TscAnchor {
  readonly name: string;
  /** The command and the arguments before `-p`, from the repository root. */
  readonly command: (repoRoot: string) => readonly string[];
  /** The package whose version the report names. */
  readonly packageDir: string;
}

export const TSC6: TscAnchor = {
  name: "tsc 6",
  command: (repoRoot) => [
    process.execPath,
    path.join(repoRoot, "node_modules/typescript6/bin/tsc"),
  ],
  packageDir: "node_modules/typescript6",
};

export const TSC7: TscAnchor = {
  name: "tsc 7",
  command: (repoRoot) => [path.join(repoRoot, "node_modules/.bin/tsc")],
  packageDir: "node_modules/typescript",
};

/**
 * Type-checks `projectDir` `anchorRuns` times. A project with type errors makes `tsc` exit
 * non-zero; the time still counts and the exit code is recorded.
 */
export async function timeAnchor(
  context: BenchContext,
  anchor: TscAnchor,
  projectDir: string,
): Promise<TimedRuns> {
  const [command, ...args] = anchor.command(context.repoRoot);
  const tscArgs = [...args, "-p", path.join(projectDir, "tsconfig.json"), "--noEmit"];
  const runsMs: number[] = [];
  const exitCodes: (number | null)[] = [];

  for (let run = 0; run < context.options.anchorRuns; run++) {
    const result = await runChild(command as string, tscArgs, { cwd: context.repoRoot });
    runsMs.push(result.wallMs);
    exitCodes.push(result.exitCode);
  }
  return { runsMs, exitCodes };
}

export function anchorVersion(context: BenchContext, anchor: TscAnchor): string {
  const manifest = path.join(context.repoRoot, anchor.packageDir, "package.json");
  const parsed = JSON.parse(fs.readFileSync(manifest, "utf8")) as { version?: unknown };
  return typeof parsed.version === "string" ? parsed.version : "unknown";
}
