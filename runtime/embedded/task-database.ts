/**
 * Opens the SQLite file behind the embedded queue and creates its two tables. This is the only
 * place that loads better-sqlite3, and only `runtime/embedded` imports it, so an application that
 * uses another transport never loads the native module.
 */
import Database from "better-sqlite3";

import type { EmbeddedQueueContext } from "./embedded-queue-options.js";

/** Bumped when the tables change shape; a file of another version is refused, not guessed at. */
const SCHEMA_VERSION = "1";

/**
 * One row per task. `state` is `queued` (waiting, or leased while `lease_until` is set),
 * `failed` (permanently, kept for inspection with `last_error`) or `done` (a tombstone that keeps
 * the name taken until `not_before`, the end of the dedup window; body and signature are emptied).
 * A claim moves `not_before` to the end of the lease as well, so "due" is one indexed comparison
 * and an expired lease makes the task due again without anyone releasing it.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS taskgen_tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    route TEXT NOT NULL,
    queue TEXT NOT NULL,
    name TEXT UNIQUE,
    body TEXT NOT NULL,
    signature TEXT NOT NULL,
    not_before INTEGER NOT NULL,
    attempt INTEGER NOT NULL DEFAULT 0,
    max_retries INTEGER,
    lease_until INTEGER,
    lease_token TEXT,
    last_error TEXT,
    state TEXT NOT NULL DEFAULT 'queued'
  );
  -- Serves claims (due queued tasks, oldest first: entries end in the rowid), the purge of
  -- expired tombstones and the counts; one index keeps each write cheap.
  CREATE INDEX IF NOT EXISTS taskgen_tasks_state ON taskgen_tasks (state, not_before);
  CREATE TABLE IF NOT EXISTS taskgen_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

export type TaskDatabase = Database.Database;

export function openTaskDatabase(context: EmbeddedQueueContext): TaskDatabase {
  const db = new Database(context.path);

  try {
    db.pragma(`busy_timeout = ${context.busyTimeoutMs}`);
    // WAL lets the workers' reads run beside another process's write, and commits append to
    // one file instead of rewriting pages twice. An in-memory database stays in "memory" mode.
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${context.synchronous === "full" ? "FULL" : "NORMAL"}`);
    db.transaction(() => createSchema(db)).immediate();
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function createSchema(db: TaskDatabase): void {
  db.exec(SCHEMA);

  const row = db.prepare("SELECT value FROM taskgen_meta WHERE key = 'schema'").get() as
    { value: string } | undefined;
  if (row === undefined) {
    db.prepare("INSERT INTO taskgen_meta (key, value) VALUES ('schema', ?)").run(SCHEMA_VERSION);
  } else if (row.value !== SCHEMA_VERSION) {
    throw new Error(
      `The task database has schema version "${row.value}", but this taskgen reads version ` +
        `"${SCHEMA_VERSION}"`,
    );
  }
}
