/**
 * The synthetic projects of `../shared/bench/gen-project.mjs`: one scanned by taskgen, one
 * self-contained twin for the `tsc` anchors, and the ground truth the generator writes.
 */
import fs from "node:fs";
import path from "node:path";

import { runChecked } from "./child-run.js";

/** The ground truth's task kinds, as `expected-tasks.json` names them. */
export type ExpectedKind = "callDeferred" | "PeriodicTask" | "CallableTask" | "QueryIter";

export interface ExpectedTask {
  readonly file: string;
  readonly class: string;
  readonly member: string | null;
  readonly kind: ExpectedKind;
  readonly interval?: number;
}

export interface SyntheticProject {
  /** App files requested from the generator (the runtime barrel adds 4 more). */
  readonly files: number;
  /** Scanned by taskgen: its runtime barrel re-exports from the package `taskgen`. */
  readonly taskgenDir: string;
  /** Self-contained twin for the `tsc` anchors. */
  readonly plainDir: string;
  readonly expected: readonly ExpectedTask[];
}

const EXPECTED_KINDS: readonly string[] = [
  "callDeferred",
  "PeriodicTask",
  "CallableTask",
  "QueryIter",
];

export function generatorPath(repoRoot: string): string {
  return path.resolve(repoRoot, "../shared/bench/gen-project.mjs");
}

/** Writes both forms of the `files`-file project under `workDir`, replacing earlier ones. */
export async function generateProject(
  repoRoot: string,
  workDir: string,
  files: number,
): Promise<SyntheticProject> {
  const taskgenDir = path.join(workDir, `proj-${files}`);
  const plainDir = path.join(workDir, `plain-${files}`);
  const generator = generatorPath(repoRoot);
  const options = { cwd: repoRoot };

  await runChecked(process.execPath, [generator, taskgenDir, String(files), "--taskgen"], options);
  await runChecked(process.execPath, [generator, plainDir, String(files)], options);
  linkTaskgenPackage(repoRoot, taskgenDir);

  return { files, taskgenDir, plainDir, expected: readExpectedTasks(taskgenDir) };
}

/** Makes the project's `from 'taskgen'` imports resolve to this checkout. */
function linkTaskgenPackage(repoRoot: string, projectDir: string): void {
  const modulesDir = path.join(projectDir, "node_modules");
  fs.mkdirSync(modulesDir, { recursive: true });
  fs.symlinkSync(repoRoot, path.join(modulesDir, "taskgen"), "dir");
}

export function readExpectedTasks(projectDir: string): readonly ExpectedTask[] {
  const file = path.join(projectDir, "expected-tasks.json");
  const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  const tasks = isRecord(parsed) ? parsed["tasks"] : undefined;
  if (!Array.isArray(tasks)) throw new Error(`No "tasks" array in ${file}`);

  return tasks.map((task: unknown, index) => toExpectedTask(task, `${file} tasks[${index}]`));
}

function toExpectedTask(value: unknown, where: string): ExpectedTask {
  if (!isRecord(value)) throw new Error(`Expected an object at ${where}`);
  const { file, member, kind, interval } = value;
  const className = value["class"];

  const valid =
    typeof file === "string" &&
    typeof className === "string" &&
    (member === null || typeof member === "string") &&
    typeof kind === "string" &&
    EXPECTED_KINDS.includes(kind) &&
    (interval === undefined || typeof interval === "number");
  if (!valid) throw new Error(`Unexpected task shape at ${where}: ${JSON.stringify(value)}`);

  const task = { file, class: className, member, kind: kind as ExpectedKind };
  return interval === undefined ? task : { ...task, interval };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
