/**
 * Measures `taskgen generate --watch`: the wall time from writing one source file to the status
 * line (`taskgen: ...`) of the rebuild it causes.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import readline from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";

import { keepTail } from "./child-run.js";
import type { ExpectedTask } from "./synthetic-project.js";

const STATUS_PREFIX = "taskgen: ";
const INITIAL_BUILD_TIMEOUT_MS = 300_000;
const REBUILD_TIMEOUT_MS = 30_000;
/** Quiet time before each edit, so a late duplicate rebuild is not taken for the next one's. */
const SETTLE_MS = 400;

/** One source edit: `change` returns the new text of `file` or throws if it cannot apply. */
export interface SourceEdit {
  readonly label: string;
  readonly file: string;
  readonly change: (text: string) => string;
}

export interface RebuildSample {
  readonly label: string;
  /** From the write to the status line, as the benchmark saw it. */
  readonly wallMs: number;
  /** The time taskgen printed in its status line, when it printed one. */
  readonly reportedMs: number | null;
  readonly status: string;
}

export interface WatchMeasurement {
  /** From spawn to the first status line. */
  readonly initialBuildMs: number;
  readonly samples: readonly RebuildSample[];
  /** Status lines that answered no edit (a rebuild run twice for one write, for example). */
  readonly unexpectedStatusLines: number;
}

interface StatusLine {
  readonly at: number;
  readonly text: string;
}

/**
 * Starts the watcher with `args`, waits for its first build, applies each edit after the previous
 * rebuild has settled, then stops the watcher and puts every edited file back as it was.
 */
export async function measureWatchRebuilds(
  command: string,
  args: readonly string[],
  cwd: string,
  edits: readonly SourceEdit[],
): Promise<WatchMeasurement> {
  const originals = new Map(edits.map((edit) => [edit.file, fs.readFileSync(edit.file, "utf8")]));
  const started = performance.now();
  const watcher = new StatusWatcher(spawn(command, args, { cwd, stdio: "pipe" }));

  try {
    const first = await watcher.lineAt(0, INITIAL_BUILD_TIMEOUT_MS);
    const samples: RebuildSample[] = [];
    for (const edit of edits) {
      await sleep(SETTLE_MS);
      samples.push(await timeOneEdit(watcher, edit));
    }
    await sleep(SETTLE_MS);

    const unexpectedStatusLines = watcher.lines.length - 1 - samples.length;
    return { initialBuildMs: first.at - started, samples, unexpectedStatusLines };
  } finally {
    await watcher.stop();
    for (const [file, text] of originals) fs.writeFileSync(file, text);
  }
}

async function timeOneEdit(watcher: StatusWatcher, edit: SourceEdit): Promise<RebuildSample> {
  const next = watcher.lines.length;
  const text = edit.change(fs.readFileSync(edit.file, "utf8"));

  const written = performance.now();
  fs.writeFileSync(edit.file, text);
  const line = await watcher.lineAt(next, REBUILD_TIMEOUT_MS);

  const wallMs = line.at - written;
  return { label: edit.label, wallMs, reportedMs: reportedMs(line.text), status: line.text };
}

/** Reads `12.5 ms` or `1.2 s` from a status line such as `taskgen: wrote 2 files in 12.5 ms`. */
export function reportedMs(status: string): number | null {
  const match = /\bin\s+(\d+(?:\.\d+)?)\s*(ms|s)\b/.exec(status);
  if (!match) return null;
  const value = Number(match[1]);
  return match[2] === "s" ? value * 1000 : value;
}

/** Collects the watcher's status lines with the time each arrived. */
class StatusWatcher {
  readonly lines: StatusLine[] = [];
  #stderrTail = "";
  #exit: string | null = null;
  #wake: (() => void) | null = null;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.resume();
    readline.createInterface({ input: child.stderr }).on("line", (text) => this.#onLine(text));
    child.on("exit", (code, signal) => {
      this.#exit = signal ? `signal ${signal}` : `exit code ${code}`;
      this.#wake?.();
    });
    child.on("error", (error) => {
      this.#exit = error.message;
      this.#wake?.();
    });
  }

  /** Resolves with the status line at `index`, waiting for it at most `timeoutMs`. */
  async lineAt(index: number, timeoutMs: number): Promise<StatusLine> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const line = this.lines[index];
      if (line) return line;
      if (this.#exit !== null) throw this.#failure(`The watcher stopped (${this.#exit})`);

      const left = deadline - performance.now();
      if (left <= 0) throw this.#failure(`No "${STATUS_PREFIX}" line within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  async stop(): Promise<void> {
    if (this.#exit !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }

  #onLine(text: string): void {
    const at = performance.now();
    this.#stderrTail = keepTail(`${this.#stderrTail}${text}\n`);
    if (!text.startsWith(STATUS_PREFIX)) return;

    this.lines.push({ at, text });
    this.#wake?.();
  }

  #failure(message: string): Error {
    return new Error(`${message}; watcher stderr:\n${this.#stderrTail}`);
  }
}

/**
 * The edits the benchmark makes: comments that change nothing generated, and two changes that
 * do (a periodic interval, a new deferred method), spread over task files and a plain file.
 */
export function planEdits(projectDir: string, expected: readonly ExpectedTask[]): SourceEdit[] {
  const deferred = firstOfKind(expected, "callDeferred");
  const periodic = firstOfKind(expected, "PeriodicTask");
  const iterator = firstOfKind(expected, "QueryIter");
  const inProject = (file: string): string => path.join(projectDir, file);
  const plainFile = inProject(firstFileWithoutTasks(projectDir, expected));

  return [
    { label: "comment, deferred file", file: inProject(deferred.file), change: appendComment },
    { label: "periodic interval", file: inProject(periodic.file), change: changeInterval },
    {
      label: "new deferred method",
      file: inProject(deferred.file),
      change: (text) => addDeferredMethod(text, deferred.class),
    },
    { label: "comment, file without tasks", file: plainFile, change: appendComment },
    {
      label: "comment, query iterator file",
      file: inProject(iterator.file),
      change: appendComment,
    },
  ];
}

function firstOfKind(expected: readonly ExpectedTask[], kind: ExpectedTask["kind"]): ExpectedTask {
  const task = expected.find((candidate) => candidate.kind === kind);
  if (!task) throw new Error(`The project has no ${kind} task to edit`);
  return task;
}

/** The first app file (in `src/m000/`) that declares no task. */
function firstFileWithoutTasks(projectDir: string, expected: readonly ExpectedTask[]): string {
  const taskFiles = new Set(expected.map((task) => task.file));
  const folder = "src/m000";
  const file = fs
    .readdirSync(path.join(projectDir, folder))
    .sort()
    .map((name) => `${folder}/${name}`)
    .find((candidate) => candidate.endsWith(".ts") && !taskFiles.has(candidate));
  if (!file) throw new Error(`No file without tasks in ${folder}`);
  return file;
}

function appendComment(text: string): string {
  return `${text}\n// taskgen bench edit\n`;
}

/** Switches the first periodic interval between two values the generator itself uses. */
function changeInterval(text: string): string {
  const pattern = /@PeriodicTask\(\{ interval: (\d+) \}\)/;
  const match = pattern.exec(text);
  if (!match) throw new Error("No `@PeriodicTask({ interval: N })` to change");
  const interval = Number(match[1]) === 5 ? 10 : 5;
  return text.replace(pattern, `@PeriodicTask({ interval: ${interval} })`);
}

function addDeferredMethod(text: string, className: string): string {
  const opening = `export class ${className} {\n`;
  if (!text.includes(opening)) throw new Error(`No \`${opening.trim()}\` to add a method to`);
  const method = [
    "  @callDeferred",
    "  async benchAddedLater(userId: string, count: number): Promise<void> {",
    "    if (count < 0) throw new Error('negative count for ' + userId);",
    "  }",
    "",
  ].join("\n");
  return text.replace(opening, `${opening}${method}`);
}
