import type Database from "better-sqlite3";

import type { TaskTransaction, TransactionMarkers } from "../transaction.js";

/**
 * Transaction markers in the app's own SQLite database, for deferred calls made inside its
 * transactions: the marker row is written on the app's connection, so it commits or rolls back
 * with the app's own writes.
 *
 * @example
 * const markers = new SqliteTransactionMarkers(db);
 * const runtime = createRuntime({ ..., transactionMarkers: markers });
 * db.transaction(() => {
 *   insertOrder.run(order);
 *   withCallOptions({ transaction: markers.transaction }, () => orders.confirm(order.id));
 * })();
 */
export class SqliteTransactionMarkers implements TransactionMarkers {
  /** Pass as the `transaction` call option inside a transaction of the same database. */
  readonly transaction: TaskTransaction;
  readonly #has: Database.Statement<[string], { found: number }>;
  readonly #remove: Database.Statement<[string]>;
  readonly #purge: Database.Statement<[number]>;

  constructor(db: Database.Database) {
    db.exec(
      "CREATE TABLE IF NOT EXISTS taskgen_tx_markers " +
        "(marker TEXT PRIMARY KEY, written_at INTEGER NOT NULL)",
    );
    const write = db.prepare<[string, number]>(
      "INSERT INTO taskgen_tx_markers (marker, written_at) VALUES (?, ?)",
    );
    this.transaction = { writeMarker: (marker) => void write.run(marker, Date.now()) };
    this.#has = db.prepare("SELECT 1 AS found FROM taskgen_tx_markers WHERE marker = ?");
    this.#remove = db.prepare("DELETE FROM taskgen_tx_markers WHERE marker = ?");
    this.#purge = db.prepare("DELETE FROM taskgen_tx_markers WHERE written_at < ?");
  }

  has(marker: string): boolean {
    return this.#has.get(marker) !== undefined;
  }

  remove(marker: string): void {
    this.#remove.run(marker);
  }

  /**
   * Deletes markers written before `before` (ms since the epoch) whose task never removed
   * them: a call that was refused after its marker was written. Returns how many.
   */
  purge(before: number): number {
    return this.#purge.run(before).changes;
  }
}
