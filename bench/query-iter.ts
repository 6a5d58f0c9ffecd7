/**
 * The query iterator benchmark: rows per second a query iterator walks through the embedded
 * queue, durably (the queue, the state store and the rows each in a SQLite file), at chunk
 * sizes 100 and 1,000, against a plain keyset loop over the same table in one process, in the
 * same run.
 *
 *   node --import tsx bench/query-iter.ts [--iter-rows 200000] [--iter-rounds 7]
 *
 * Needs `npm run build` first: the fixture app imports `taskgen`, which is `dist/`. Prints a
 * table and writes the `## Query iterator` section of `bench/RESULTS.md`. Exits with 1 when the
 * iterator at chunk size 1,000 walks fewer than half the plain loop's rows per second.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import Database from "better-sqlite3";

import type { Row } from "../test/fixtures/iter-bench/src/app.js";
import { median } from "./child-run.js";
import { writeResultsSection } from "./results-file.js";

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const WORK_DIR = path.join(BENCH_DIR, "work", "query-iter");
const RESULTS = path.join(BENCH_DIR, "RESULTS.md");
const HEADING = "## Query iterator";
const USAGE = "usage: node --import tsx bench/query-iter.ts [--iter-rows 200000] [--iter-rounds 7]";

/** The plain loop's page size, as in the iterator the goal is judged on. */
const PAGE = 1000;
const GOAL_CHUNK_SIZE = 1000;
const GOAL_RATIO = 0.5;

/** The fixture's iterators by chunk size. */
const ITERATORS = [
  { id: "TouchRowsBy100", chunkSize: 100 },
  { id: "TouchRowsBy1000", chunkSize: 1000 },
] as const;

const QUERY = { source: "bench", table: "rows", orderBy: [{ field: "id" }] } as const;

export interface QueryIterOptions {
  readonly rows: number;
  readonly rounds: number;
}

export interface IteratorFigures {
  readonly chunkSize: number;
  /** Steps of one run: one per chunk, and the one that calls `handleFinish`. */
  readonly steps: number;
  readonly rowsPerSecond: number;
  /** The median of each round's rows/s over the plain loop's rows/s. */
  readonly ratio: number;
}

export interface QueryIterResult extends QueryIterOptions {
  readonly loopRowsPerSecond: number;
  readonly iterators: readonly IteratorFigures[];
}

type Modules = Awaited<ReturnType<typeof loadModules>>;
type Walk = () => Promise<number>;

async function loadModules() {
  const [taskgen, embedded, app, dispatch] = await Promise.all([
    import("taskgen"),
    import("taskgen/embedded"),
    import("../test/fixtures/iter-bench/src/app.js"),
    import("../test/fixtures/iter-bench/src/generated/dispatch.js"),
  ]);
  return { ...taskgen, ...embedded, app, dispatchTable: dispatch.dispatchTable };
}

/**
 * Fills a rows file, then walks it once with each contender to warm up and `rounds` times to
 * measure, each round in another order so drift in the machine hits every contender alike.
 */
export async function measureQueryIter(options: QueryIterOptions): Promise<QueryIterResult> {
  const modules = await loadModules();
  fs.mkdirSync(WORK_DIR, { recursive: true });
  const rowsPath = path.join(WORK_DIR, "rows.sqlite");
  fillRows(rowsPath, options.rows);
  const rowsDb = new Database(rowsPath, { readonly: true });

  try {
    // Each walk returns its time in milliseconds; the plain loop comes first.
    const walkIterator = (id: string) => iteratorWalk(modules, rowsDb, id, options.rows);
    const walks: Walk[] = [async () => plainLoop(modules, rowsDb, options.rows)];
    for (const { id } of ITERATORS) walks.push(() => walkIterator(id));
    for (const walk of walks) await walk();

    const samples: number[][] = walks.map(() => []);
    for (let round = 0; round < options.rounds; round++) {
      for (let i = 0; i < walks.length; i++) {
        const index = (round + i) % walks.length;
        samples[index]!.push(options.rows / ((await walks[index]!()) / 1000));
      }
    }

    const [loop, ...iterators] = samples as [number[], ...number[][]];
    return {
      ...options,
      loopRowsPerSecond: median(loop),
      iterators: ITERATORS.map(({ chunkSize }, i) => ({
        chunkSize,
        steps: Math.ceil(options.rows / chunkSize) + 1,
        rowsPerSecond: median(iterators[i]!),
        ratio: median(iterators[i]!.map((rate, round) => rate / loop[round]!)),
      })),
    };
  } finally {
    rowsDb.close();
    removeDatabase(rowsPath);
  }
}

/** The anchor: a keyset loop over the table with better-sqlite3, doing the same work per row. */
function plainLoop(modules: Modules, db: Database.Database, rows: number): number {
  const { tally, touchRow } = modules.app;
  tally.entries = 0;

  const start = performance.now();
  const select = db.prepare<[number], Row>(
    `SELECT * FROM rows WHERE id > ? ORDER BY id LIMIT ${PAGE}`,
  );
  let cursor = 0;
  for (;;) {
    const page = select.all(cursor);
    for (const row of page) touchRow(row);
    if (page.length < PAGE) break;
    cursor = page[page.length - 1]!.id;
  }
  const ms = performance.now() - start;

  checkCount("the plain loop", tally.entries, rows);
  return ms;
}

/**
 * One run of an iterator on a fresh embedded queue and state store, each in its own file, timed
 * from `startIter` until the state store says the run is finished.
 */
async function iteratorWalk(
  modules: Modules,
  rowsDb: Database.Database,
  id: string,
  rows: number,
): Promise<number> {
  const queuePath = path.join(WORK_DIR, "queue.sqlite");
  const statePath = path.join(WORK_DIR, "state.sqlite");
  removeDatabase(queuePath);
  removeDatabase(statePath);
  const state = new modules.SqliteStateStore(statePath);
  const runtime = modules.createRuntime({
    table: modules.dispatchTable,
    instances: {},
    transport: modules.openEmbeddedQueue({ path: queuePath }),
    secret: "the query iterator benchmark's secret",
    state,
    querySources: { bench: modules.sqliteQuerySource(rowsDb) },
  });
  modules.app.tally.entries = 0;

  try {
    await runtime.start();
    const finished = new Promise<number>((resolve) => {
      modules.app.finishHook.finished = resolve;
    });
    const start = performance.now();
    const run = await runtime.startIter(id, QUERY);
    const totalCount = await finished;
    // handleFinish runs just before the step's record is written: wait for that write too.
    while ((await runtime.iterProgress(run))?.state !== "finished") await nextTurn();
    const ms = performance.now() - start;

    checkCount(id, totalCount, rows);
    checkCount(id, modules.app.tally.entries, rows);
    return ms;
  } finally {
    await runtime.stop();
    await state.close();
    removeDatabase(queuePath);
    removeDatabase(statePath);
  }
}

function fillRows(file: string, rows: number): void {
  removeDatabase(file);
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec(
    "CREATE TABLE rows (id INTEGER PRIMARY KEY, name TEXT NOT NULL, amount INTEGER NOT NULL)",
  );
  const insert = db.prepare("INSERT INTO rows (id, name, amount) VALUES (?, ?, ?)");
  db.transaction(() => {
    for (let id = 1; id <= rows; id++) insert.run(id, `row ${id}`, (id * 7919) % 10_000);
  })();
  db.close();
}

export function formatQueryIter(result: QueryIterResult): string {
  const count = (n: number) => Math.round(n).toLocaleString("en-US");
  const goal = result.iterators.find((figures) => figures.chunkSize === GOAL_CHUNK_SIZE);
  const holds = goal !== undefined && goal.ratio >= GOAL_RATIO;
  const msPerStep = (figures: IteratorFigures) =>
    ((result.rows / figures.rowsPerSecond) * 1000) / figures.steps;

  return [
    "| walk | rows/s | ratio to the plain loop | per step |",
    "| --- | --- | --- | --- |",
    `| plain keyset loop, one process, ${count(PAGE)} rows a query | ${count(result.loopRowsPerSecond)} | 1.00x | — |`,
    ...result.iterators.map(
      (figures) =>
        `| query iterator, chunk size ${count(figures.chunkSize)} (${count(figures.steps)} steps) ` +
        `| ${count(figures.rowsPerSecond)} | ${figures.ratio.toFixed(2)}x ` +
        `| ${msPerStep(figures).toFixed(2)} ms |`,
    ),
    "",
    `Each walk touches all ${count(result.rows)} rows of a SQLite file (\`id INTEGER PRIMARY KEY\`, ` +
      "a text and an integer column) with the same light work per row. An iterator runs on the " +
      "embedded queue in a fresh SQLite file (WAL, `synchronous=normal`) with `SqliteStateStore` " +
      "in another and `sqliteQuerySource` over the rows, timed from `startIter` until " +
      "`iterProgress` says finished; the plain loop runs " +
      `\`SELECT * FROM rows WHERE id > ? ORDER BY id LIMIT ${PAGE}\` with better-sqlite3. ` +
      `Medians of ${result.rounds} rounds after one warm-up walk each, the contenders in another ` +
      "order each round; a ratio is the median of the rounds' ratios, and the time per step is " +
      "a run's time at the median rate over its steps.",
    "",
    `Goal: at least ${GOAL_RATIO}x the plain loop at chunk size ${count(GOAL_CHUNK_SIZE)}: ` +
      `${holds ? "pass" : "FAIL"}.`,
  ].join("\n");
}

/** Runs the benchmark and returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const options = parseOptions(argv);
  const command = ["node --import tsx bench/query-iter.ts", ...argv].join(" ");

  progress(`query iterator, ${options.rounds} rounds over ${options.rows} rows`);
  const result = await measureQueryIter(options);
  const text = formatQueryIter(result);
  process.stdout.write(`${text}\n`);

  const cpus = os.cpus();
  const facts = [
    `Measured on ${new Date().toISOString()} with \`${command}\` (also run by \`npm run bench\`).`,
    `Machine: ${cpus.length} CPUs (${cpus[0]?.model ?? "unknown"}), ${os.type()} ${os.release()}; ` +
      `Node ${process.version}.`,
  ].join("\n\n");
  writeResultsSection(RESULTS, HEADING, `${HEADING}\n\n${facts}\n\n${text}`);
  progress(`wrote the Query iterator section of ${path.relative(process.cwd(), RESULTS)}`);

  const goal = result.iterators.find((figures) => figures.chunkSize === GOAL_CHUNK_SIZE);
  return goal !== undefined && goal.ratio >= GOAL_RATIO ? 0 : 1;
}

function parseOptions(argv: readonly string[]): QueryIterOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      "iter-rows": { type: "string", default: "200000" },
      "iter-rounds": { type: "string", default: "7" },
    },
  });
  return {
    rows: positiveInteger("--iter-rows", values["iter-rows"]),
    rounds: positiveInteger("--iter-rounds", values["iter-rounds"]),
  };
}

function positiveInteger(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`Expected a positive integer for ${option}, got "${text}"\n${USAGE}`);
  }
  return value;
}

function checkCount(walk: string, counted: number, rows: number): void {
  if (counted !== rows) throw new Error(`${walk} handled ${counted} rows, not ${rows}`);
}

function removeDatabase(file: string): void {
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      progress(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
