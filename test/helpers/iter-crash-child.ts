/**
 * The child process of the query iterator's crash test.
 *
 *   node --import tsx test/helpers/iter-crash-child.ts <dir> <rows> start
 *   node --import tsx test/helpers/iter-crash-child.ts <dir> <rows> resume <run>
 *
 * `<rows>` names where the `rows` table is: `sqlite` for `<dir>/rows.sqlite`, or
 * `postgres:<schema>` for that schema on the test server. The queue and the state store are
 * SQLite files in `<dir>`. `start` starts a run of `CountRows`, prints `run <id>` and walks it
 * until the parent kills the process; `resume` starts no run, lets the queue deliver what is left
 * and exits once the run is finished. Faults are injected all along: a tenth of the fetches
 * throw, and a few entries throw on their first attempt. Each handled row, each `handleFinish`
 * and each injected fault is written to `<dir>/records.sqlite` in its own commit, so it survives
 * SIGKILL.
 */
import path from "node:path";

import Database from "better-sqlite3";

import type { QuerySource } from "../../runtime/query/query-source.js";

/** The PostgreSQL server of the tests: trust auth on localhost. */
export const POSTGRES_SERVER = {
  host: "127.0.0.1",
  port: 5432,
  user: "postgres",
  database: "test",
} as const;

/** What `handleFinish` was called with, as recorded. */
export interface FinishRecord {
  readonly totalCount: number;
  readonly counted: number;
}

const FETCH_FAILURE_RATE = 0.1;
/** Rows whose id is a multiple of this fail their first attempt in each process: ten rows. */
const FLAKY_ROW_EVERY = 9973;
const ROWS_QUERY = { source: "db", table: "rows", orderBy: [{ field: "id" }] } as const;

// uvu's file pattern also matches this helper: run only when started as the child.
if (process.argv[1]?.endsWith("iter-crash-child.ts")) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}

/**
 * Opens the record of what the iterator did, creating its tables. WAL with `synchronous=NORMAL`
 * puts every commit in the WAL before it returns: a killed process loses none.
 */
export function openRecords(dir: string): Database.Database {
  const db = new Database(path.join(dir, "records.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.exec(`
    CREATE TABLE IF NOT EXISTS handled (id INTEGER NOT NULL, pid INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS finishes (total_count INTEGER NOT NULL, counted INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS faults (kind TEXT NOT NULL);
  `);
  return db;
}

async function main(): Promise<void> {
  const [dir, rows, mode, run] = process.argv.slice(2);
  if (dir === undefined || rows === undefined || !(mode === "start" || mode === "resume")) {
    throw new Error("usage: iter-crash-child.ts <dir> sqlite|postgres:<schema> start|resume <run>");
  }
  if (mode === "resume" && run === undefined) throw new Error("resume needs the run id");

  const f = await loadFixture();
  const records = openRecords(dir);
  const fault = records.prepare<[string]>("INSERT INTO faults VALUES (?)");
  recordHooks(f.hooks, records, () => fault.run("entry"));
  const rowsSource = await openRowsSource(dir, rows);

  const runtime = f.createRuntime({
    table: f.dispatchTable,
    instances: {},
    transport: f.openEmbeddedQueue({
      path: path.join(dir, "queue.sqlite"),
      concurrency: 4,
      // Short leases: the restarted child takes over the killed one's steps within a second.
      leaseMs: 1000,
      pollMs: 20,
      backoff: { baseMs: 5, maxMs: 50 },
      maxRetries: 10_000,
    }),
    state: new f.SqliteStateStore(path.join(dir, "state.sqlite")),
    secret: "the iterator crash test secret",
    querySources: { db: faulty(rowsSource.source, () => fault.run("fetch")) },
    iteratorStepLeaseSeconds: 1,
    logger: { error: (m) => process.stderr.write(`${m}\n`), warn() {}, info() {}, debug() {} },
  });
  await runtime.start();

  if (mode === "start") {
    const id = await f.CountRows.startIterOnQuery(ROWS_QUERY, { counted: 0 });
    process.stdout.write(`run ${id}\n`);
    return; // walks the run until the parent kills this process
  }

  await untilFinished(runtime, run!);
  await runtime.stop();
  await rowsSource.close();
  process.stdout.write("finished\n");
}

function loadFixture() {
  return Promise.all([
    import("taskgen"),
    import("taskgen/embedded"),
    import("../fixtures/iter-app/src/app.js"),
    import("../fixtures/iter-app/src/generated/dispatch.js"),
  ]).then(([taskgen, embedded, app, dispatch]) => ({
    ...taskgen,
    ...embedded,
    ...app,
    dispatchTable: dispatch.dispatchTable,
  }));
}

type Hooks = Awaited<ReturnType<typeof loadFixture>>["hooks"];

/** Writes each handled row and each finish to the records; makes a few rows fail once. */
function recordHooks(hooks: Hooks, records: Database.Database, onFault: () => void): void {
  const handled = records.prepare<[number, number]>("INSERT INTO handled VALUES (?, ?)");
  const finished = records.prepare<[number, number]>("INSERT INTO finishes VALUES (?, ?)");
  const failedOnce = new Set<number>();

  hooks.beforeEntry = (id) => {
    if (id % FLAKY_ROW_EVERY === 0 && !failedOnce.has(id)) {
      failedOnce.add(id);
      onFault();
      throw new Error(`row ${id} fails its first attempt`);
    }
  };
  hooks.handled = (id) => void handled.run(id, process.pid);
  hooks.finished = (totalCount, data) => {
    finished.run(totalCount, (data as { counted: number }).counted);
  };
}

/** The source over the `rows` table, and how to close its connection. */
async function openRowsSource(dir: string, rows: string) {
  const { sqliteQuerySource, postgresQuerySource } = await import("taskgen");
  if (rows === "sqlite") {
    const db = new Database(path.join(dir, "rows.sqlite"), { readonly: true });
    return { source: sqliteQuerySource(db), close: async () => db.close() };
  }

  const schema = /^postgres:(\w+)$/.exec(rows)?.[1];
  if (schema === undefined) throw new Error(`Unknown rows database ${JSON.stringify(rows)}`);
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ ...POSTGRES_SERVER, max: 4, options: `-c search_path=${schema}` });
  return { source: postgresQuerySource(pool), close: () => pool.end() };
}

/** The source with a tenth of its fetches failing, so steps are retried all along. */
function faulty(source: QuerySource, onFault: () => void): QuerySource {
  return {
    check: (query) => source.check(query),
    fetch: async (query, cursor, limit) => {
      if (Math.random() < FETCH_FAILURE_RATE) {
        onFault();
        throw new Error("injected fetch failure");
      }
      return source.fetch(query, cursor, limit);
    },
  };
}

async function untilFinished(
  runtime: { iterProgress(run: string): Promise<{ state: string } | undefined> },
  run: string,
): Promise<void> {
  for (;;) {
    const state = (await runtime.iterProgress(run))?.state;
    if (state === "finished") return;
    if (state === undefined || state === "stopped") {
      throw new Error(`Run ${run} cannot finish: it is ${state ?? "unknown"}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
