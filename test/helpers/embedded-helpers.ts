/**
 * Shared pieces of the embedded queue tests: tasks, a fake clock, temp files and polling.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { QueuedTask } from "../../runtime/transport.js";

/** A task with test defaults; `body` doubles as a label the handler can record. */
export function task(body: string, extra: Partial<QueuedTask> = {}): QueuedTask {
  return { route: "deferred", body, signature: `sig:${body}`, queue: "default", ...extra };
}

/** A clock that moves only when told to. */
export class FakeClock {
  ms = 1_700_000_000_000;

  readonly now = (): number => this.ms;

  advance(ms: number): void {
    this.ms += ms;
  }
}

/** A fresh folder under the OS temp dir, removed by the returned function. */
export function tempDir(): { readonly dir: string; readonly remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "taskgen-embedded-"));

  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Resolves once `condition` holds, checking every few ms; rejects after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  timeoutMs = 2000,
  what = "the condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;

  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Starts a TypeScript file as a child process (`node --import tsx`), collecting its output. */
export function startScript(script: string, args: readonly string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));

  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}
