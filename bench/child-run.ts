/**
 * Runs benchmark commands as child processes and times them from spawn to exit.
 */
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";

/** Output kept per stream: enough for an error message, not a whole type-check log. */
const OUTPUT_TAIL_CHARS = 4000;

export interface ChildOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface ChildResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly wallMs: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command args` to completion; stdout is kept whole, stderr only its tail. */
export function runChild(
  command: string,
  args: readonly string[],
  options: ChildOptions,
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    let stderr = "";

    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = keepTail(stderr + chunk.toString("utf8"));
    });
    child.on("error", reject);
    child.on("close", (exitCode, signal) => {
      resolve({
        exitCode,
        signal,
        wallMs: performance.now() - started,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr,
      });
    });
  });
}

/** Runs a command and throws, quoting its output, unless it exits with 0. */
export async function runChecked(
  command: string,
  args: readonly string[],
  options: ChildOptions,
): Promise<ChildResult> {
  const result = await runChild(command, args, options);
  if (result.exitCode !== 0) {
    throw new Error(describeFailure(command, args, result));
  }
  return result;
}

export function describeFailure(
  command: string,
  args: readonly string[],
  result: ChildResult,
): string {
  const how = result.signal ? `signal ${result.signal}` : `exit code ${result.exitCode}`;
  const output = [keepTail(result.stdout), result.stderr].filter((s) => s.trim()).join("\n");
  return `Command failed with ${how}: ${[command, ...args].join(" ")}\n${output}`;
}

export function keepTail(text: string): string {
  return text.length > OUTPUT_TAIL_CHARS ? text.slice(-OUTPUT_TAIL_CHARS) : text;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("Cannot take the median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}
