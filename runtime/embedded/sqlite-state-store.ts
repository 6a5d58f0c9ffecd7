import Database from "better-sqlite3";

import type { StateStore } from "../state/state-store.js";

/**
 * A state store in a SQLite file, the companion of the embedded queue. Claims are one UPDATE or
 * INSERT under SQLite's write lock, so they are atomic across processes sharing the file.
 */
export class SqliteStateStore implements StateStore {
  readonly #db: Database.Database;
  readonly #claim: Database.Statement<[{ taskId: string; intervalMs: number; now: number }]>;
  readonly #get: Database.Statement<[string], { value: string }>;
  readonly #set: Database.Statement<[string, string]>;
  readonly #insertNew: Database.Statement<[string, string]>;
  readonly #replace: Database.Statement<[string, string, string]>;

  constructor(path: string) {
    this.#db = new Database(path);
    this.#db.pragma("journal_mode = WAL");
    this.#db.pragma("busy_timeout = 5000");
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS taskgen_periodic (task_id TEXT PRIMARY KEY, last_run INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS taskgen_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    // The row is written only when the task never ran or its interval has passed; the number
    // of changed rows says whether this caller won the claim.
    this.#claim = this.#db.prepare(`
      INSERT INTO taskgen_periodic (task_id, last_run) VALUES (@taskId, @now)
      ON CONFLICT (task_id) DO UPDATE SET last_run = @now WHERE @now - last_run >= @intervalMs
    `);
    this.#get = this.#db.prepare("SELECT value FROM taskgen_state WHERE key = ?");
    this.#set = this.#db.prepare(
      "INSERT INTO taskgen_state (key, value) VALUES (?, ?) " +
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    );
    this.#insertNew = this.#db.prepare(
      "INSERT INTO taskgen_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
    );
    this.#replace = this.#db.prepare(
      "UPDATE taskgen_state SET value = ? WHERE key = ? AND value = ?",
    );
  }

  async compareAndSet(key: string, expected: string | undefined, value: string): Promise<boolean> {
    const changes =
      expected === undefined
        ? this.#insertNew.run(key, value).changes
        : this.#replace.run(value, key, expected).changes;
    return changes === 1;
  }

  async claimPeriodic(taskId: string, intervalMs: number, now: number): Promise<boolean> {
    return this.#claim.run({ taskId, intervalMs, now }).changes === 1;
  }

  async get(key: string): Promise<string | undefined> {
    return this.#get.get(key)?.value;
  }

  async set(key: string, value: string): Promise<void> {
    this.#set.run(key, value);
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
