import path from "node:path";
import { fileURLToPath } from "node:url";

import Database from "better-sqlite3";
import pg from "pg";
import { suite } from "uvu";
import * as assert from "uvu/assert";

import { sleep, startScript, tempDir } from "./helpers/embedded-helpers.js";
import { openRecords, POSTGRES_SERVER, type FinishRecord } from "./helpers/iter-crash-child.js";

const CHILD = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "helpers",
  "iter-crash-child.ts",
);
const ROW_COUNT = 100_000;

/** Where the `rows` table lives: how the test fills it, and how the child is told of it. */
interface RowsDatabase {
  readonly name: string;
  readonly childArg: string;
  /** Creates the table with rows 1..ROW_COUNT. */
  fill(): Promise<void>;
  drop(): Promise<void>;
}

type Child = ReturnType<typeof startChild>;

const Crash = suite("query iterator crash");

function startChild(args: readonly string[]) {
  return startScript(CHILD, args);
}

/**
 * Resolves once `condition` holds; rejects, with the child's stderr, when the child exits
 * first or `timeoutMs` passes. `what` is read at the failure, so it can tell how far things got.
 */
async function waitForChild(
  child: Child,
  condition: () => boolean,
  timeoutMs: number,
  what: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;

  while (!condition()) {
    const failure =
      child.child.exitCode !== null
        ? `the child exited with code ${child.child.exitCode}`
        : Date.now() > deadline
          ? `timed out after ${timeoutMs} ms`
          : undefined;
    if (failure) throw new Error(`Waiting for ${what()}: ${failure}; stderr: ${child.stderr()}`);
    await sleep(10);
  }
}

function handledCount(records: Database.Database, distinct = false): number {
  const counted = distinct ? "count(DISTINCT id)" : "count(*)";
  return (records.prepare(`SELECT ${counted} AS n FROM handled`).get() as { n: number }).n;
}

/** What the records say once the run is over. */
function readOutcome(records: Database.Database) {
  const perRow = records.prepare("SELECT id, count(*) AS n FROM handled GROUP BY id").all() as {
    id: number;
    n: number;
  }[];
  const handled = new Set(perRow.map((row) => row.id));
  const finishes = records
    .prepare("SELECT total_count AS totalCount, counted FROM finishes")
    .all() as FinishRecord[];

  const faults = (kind: string) =>
    (records.prepare("SELECT count(*) AS n FROM faults WHERE kind = ?").get(kind) as { n: number })
      .n;

  return {
    fetchFaults: faults("fetch"),
    entryFaults: faults("entry"),
    skipped: Array.from({ length: ROW_COUNT }, (_, i) => i + 1).filter((id) => !handled.has(id)),
    handledTwice: perRow.filter((row) => row.n > 1).length,
    finishes,
  };
}

/**
 * Starts a run in a child, kills the child with SIGKILL once 30 % of the rows are handled, and
 * lets a second child finish the run from the queue and the state store the first one left.
 */
async function crashAndResume(rowsIn: (dir: string) => RowsDatabase): Promise<void> {
  const temp = tempDir();
  const rows = rowsIn(temp.dir);
  const records = openRecords(temp.dir);
  const children: Child[] = [];
  const start = (...args: string[]) => {
    const child = startChild([temp.dir, rows.childArg, ...args]);
    children.push(child);
    return child;
  };

  try {
    await rows.fill();

    const first = start("start");
    const handled = () => `${handledCount(records, true)} of ${ROW_COUNT} rows handled`;
    await waitForChild(
      first,
      () => /^run \S+$/m.test(first.stdout()),
      20_000,
      () => "the run id",
    );
    const run = /^run (\S+)$/m.exec(first.stdout())![1]!;
    await waitForChild(
      first,
      () => handledCount(records) >= ROW_COUNT * 0.3,
      30_000,
      () => `30 % of the rows to be handled (${handled()})`,
    );
    first.child.kill("SIGKILL");
    await first.exited;
    const beforeKill = handledCount(records, true);
    assert.ok(beforeKill < ROW_COUNT, "the kill came before the last row");

    const second = start("resume", run);
    await waitForChild(
      second,
      () => second.child.exitCode !== null,
      40_000,
      () => `run ${run} to finish after the restart (${handled()})`,
    );
    assert.is(await second.exited, 0, second.stderr());
    assert.match(second.stdout(), "finished");

    const outcome = readOutcome(records);
    process.stdout.write(
      `\n  iterator crash test (${rows.name}): ${beforeKill} of ${ROW_COUNT} handled before ` +
        `SIGKILL; ${outcome.skipped.length} skipped; ${outcome.handledTwice} handled twice; ` +
        `handleFinish ${outcome.finishes.length} time(s)\n`,
    );
    assert.equal(outcome.skipped.slice(0, 20), [], "rows never handled (up to 20 shown)");
    assert.equal(outcome.finishes, [{ totalCount: ROW_COUNT, counted: ROW_COUNT }]);
    // About 100 of the 1001 steps fail their fetch; rows 9973, 19946, ... fail once in each child.
    assert.ok(outcome.fetchFaults > 20, `only ${outcome.fetchFaults} fetches failed`);
    assert.ok(outcome.entryFaults >= 10, `only ${outcome.entryFaults} entries failed`);
  } finally {
    for (const child of children) if (child.child.exitCode === null) child.child.kill("SIGKILL");
    await Promise.all(children.map((child) => child.exited));
    records.close();
    await rows.drop();
    temp.remove();
  }
}

function sqliteRows(dir: string): RowsDatabase {
  return {
    name: "SQLite",
    childArg: "sqlite",
    async fill() {
      const db = new Database(path.join(dir, "rows.sqlite"));
      db.exec("CREATE TABLE rows (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL)");
      const insert = db.prepare<[number, number]>("INSERT INTO rows (id, grp) VALUES (?, ?)");
      db.transaction(() => {
        for (let id = 1; id <= ROW_COUNT; id++) insert.run(id, id % 7);
      })();
      db.close();
    },
    async drop() {},
  };
}

/** The rows in a schema of their own, dropped after the test. */
function postgresRows(): RowsDatabase {
  const schema = `taskgen_crash_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const pool = new pg.Pool({ ...POSTGRES_SERVER, max: 1, options: `-c search_path=${schema}` });

  return {
    name: "PostgreSQL",
    childArg: `postgres:${schema}`,
    async fill() {
      await pool.query(`CREATE SCHEMA ${schema}`);
      // integer, not bigint: pg returns int4 as a JS number.
      await pool.query("CREATE TABLE rows (id integer PRIMARY KEY, grp integer NOT NULL)");
      await pool.query(
        "INSERT INTO rows (id, grp) SELECT g, g % 7 FROM generate_series(1, $1::integer) AS g",
        [ROW_COUNT],
      );
      await pool.query("ANALYZE rows");
    },
    async drop() {
      try {
        await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await pool.end();
      }
    },
  };
}

Crash("SQLite rows: a run killed mid-walk resumes with no row skipped", () =>
  crashAndResume(sqliteRows),
);

Crash("PostgreSQL rows: a run killed mid-walk resumes with no row skipped", () =>
  crashAndResume(postgresRows),
);

Crash.run();
