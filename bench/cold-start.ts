/**
 * Cold start of a handler process: Node starting, importing the taskgen runtime and a generated
 * 100-task dispatch table, and creating the runtime and its HTTP handler, against `node -e 0`
 * in the same run. Also lists what the process loaded: never `typescript` or `ts-morph`, and
 * better-sqlite3 only when the app imports `taskgen/embedded`.
 *
 *   node --import tsx bench/cold-start.ts [--runs 20]
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { median } from "./child-run.js";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const WORK = path.join(REPO, "bench", "work", "cold-start");
const TASKS = 100;
const PER_FILE = 10;

export interface ColdStartResult {
  readonly runs: number;
  readonly nodeMs: number;
  readonly handlerMs: number;
  readonly embeddedMs: number;
  /** Loaded modules of note, per variant. */
  readonly loaded: { readonly handler: readonly string[]; readonly embedded: readonly string[] };
}

export function measureColdStart(runs = 20): ColdStartResult {
  buildProject();
  const handler = path.join(WORK, "dist", "handler.js");
  const embedded = path.join(WORK, "dist", "handler-embedded.js");

  // Round-robin, so drift in the machine's speed touches every variant alike.
  const variants = { node: ["-e", "0"], handler: [handler], embedded: [embedded] };
  const samples = { node: [] as number[], handler: [] as number[], embedded: [] as number[] };
  for (let i = 0; i < runs; i++) {
    for (const [name, args] of Object.entries(variants) as [keyof typeof variants, string[]][]) {
      const start = performance.now();
      const run = spawnSync(process.execPath, args, { cwd: WORK, encoding: "utf8" });
      samples[name].push(performance.now() - start);
      if (run.status !== 0) throw new Error(`${args.join(" ")} failed: ${run.stderr}`);
    }
  }
  const nodeMs = median(samples.node);
  const handlerMs = median(samples.handler);
  const embeddedMs = median(samples.embedded);
  return {
    runs,
    nodeMs,
    handlerMs,
    embeddedMs,
    loaded: { handler: notableModules(handler), embedded: notableModules(embedded) },
  };
}

export function formatColdStart(result: ColdStartResult): string {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const extra = result.handlerMs - result.nodeMs;
  const list = (names: readonly string[]) => (names.length > 0 ? names.join(", ") : "none");
  return [
    "| process | median wall time | more than `node -e 0` |",
    "| --- | --- | --- |",
    `| \`node -e 0\` | ${ms(result.nodeMs)} | — |`,
    `| handler: runtime + ${TASKS}-task table + HTTP handler | ${ms(result.handlerMs)} | ${ms(extra)} |`,
    `| the same with \`taskgen/embedded\` | ${ms(result.embeddedMs)} | ${ms(result.embeddedMs - result.nodeMs)} |`,
    "",
    `Medians of ${result.runs} runs each. Goal: the handler at most 30 ms more than ` +
      `\`node -e 0\`: ${extra <= 30 ? "pass" : "FAIL"}.`,
    "",
    `Notable modules loaded by the handler: ${list(result.loaded.handler)}; with ` +
      `\`taskgen/embedded\`: ${list(result.loaded.embedded)}. Goal: never typescript or ` +
      `ts-morph, better-sqlite3 only with the embedded entry: ` +
      `${coldStartModulesOk(result) ? "pass" : "FAIL"}.`,
  ].join("\n");
}

export function coldStartModulesOk(result: ColdStartResult): boolean {
  const heavy = (names: readonly string[]) =>
    names.some((name) => name === "typescript" || name === "ts-morph");
  return (
    !heavy(result.loaded.handler) &&
    !heavy(result.loaded.embedded) &&
    !result.loaded.handler.includes("better-sqlite3") &&
    result.loaded.embedded.includes("better-sqlite3")
  );
}

/** Packages a process loads, found with a resolve hook that records every module URL. */
function notableModules(script: string): string[] {
  const log = path.join(WORK, "modules.log");
  fs.rmSync(log, { force: true });
  const hook = path.join(WORK, "record-modules.mjs");
  execFileSync(process.execPath, ["--import", hook, script], {
    cwd: WORK,
    env: { ...process.env, RECORD_MODULES: log },
  });
  const urls = fs.readFileSync(log, "utf8").split("\n");
  const names = new Set<string>();
  for (const url of urls) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (match?.[1]) names.add(match[1]);
  }
  return [...names].sort();
}

/** A project of 100 deferred tasks in 10 files, generated and compiled once. */
function buildProject(): void {
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(path.join(WORK, "src"), { recursive: true });
  fs.mkdirSync(path.join(WORK, "node_modules"), { recursive: true });
  fs.symlinkSync(REPO, path.join(WORK, "node_modules", "taskgen"), "dir");
  write("package.json", JSON.stringify({ type: "module" }));
  write(
    "tsconfig.json",
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        skipLibCheck: true,
        outDir: "dist",
        rootDir: "src",
        types: [],
      },
      include: ["src"],
    }),
  );

  for (let file = 0; file < TASKS / PER_FILE; file++) write(`src/tasks${file}.ts`, taskFile(file));
  write("src/handler.ts", handlerSource(false));
  write("src/handler-embedded.ts", handlerSource(true));
  write(
    "record-modules.mjs",
    [
      'import { register } from "node:module";',
      'register("./record-modules-hooks.mjs", import.meta.url);',
    ].join("\n"),
  );
  write(
    "record-modules-hooks.mjs",
    [
      'import fs from "node:fs";',
      "export async function resolve(specifier, context, next) {",
      "  const result = await next(specifier, context);",
      '  fs.appendFileSync(process.env.RECORD_MODULES, result.url + "\\n");',
      "  return result;",
      "}",
    ].join("\n"),
  );

  const cli = path.join(REPO, "dist", "cli", "main.js");
  execFileSync(process.execPath, [cli, "generate"], { cwd: WORK, stdio: "pipe" });
  execFileSync(path.join(REPO, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.json"], {
    cwd: WORK,
    stdio: "pipe",
  });
}

function taskFile(file: number): string {
  const lines = [
    `import { callDeferred } from "taskgen";`,
    `export interface Order${file} { id: string; lines: { sku: string; quantity: number }[]; at: Date }`,
    `export class Tasks${file} {`,
  ];
  for (let task = 0; task < PER_FILE; task++) {
    lines.push(
      `  @callDeferred`,
      `  static async task${task}(order: Order${file}, note?: string): Promise<void> {`,
      `    void order; void note;`,
      `  }`,
    );
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}

/** What an app's handler process does at start: import, create the runtime, mount the handler. */
function handlerSource(embedded: boolean): string {
  return [
    `import { createNodeHandler, createRuntime, type Transport } from "taskgen";`,
    embedded ? `import { openEmbeddedQueue } from "taskgen/embedded";` : "",
    `import { dispatchTable } from "./generated/dispatch.js";`,
    embedded
      ? `const transport: Transport = openEmbeddedQueue({ path: ":memory:" });`
      : `const transport: Transport = { enqueue: async () => ({ queued: true, id: "" }), start: async () => {}, stop: async () => {} };`,
    `const runtime = createRuntime({ table: dispatchTable, instances: {}, transport, secret: "cold start benchmark secret" });`,
    `createNodeHandler(runtime);`,
    embedded ? `await runtime.stop();` : "",
  ].join("\n");
}

function write(relative: string, text: string): void {
  fs.writeFileSync(path.join(WORK, relative), text);
}
