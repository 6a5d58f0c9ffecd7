/**
 * Deferred calls made inside a database transaction run only if that transaction commits: the
 * original system's transactional enqueue, kept without its fixed 90-second delay.
 *
 * The queue and the app's database are two systems, so the call is queued at once and a marker
 * is written inside the transaction. When the task is delivered, the marker tells whether the
 * transaction committed: present, the task runs; absent after the grace period, the
 * transaction was rolled back and the task is dropped; absent before it, the transaction may
 * still be open and the task is retried.
 */

/** The app's transaction, as a deferred call joins it (`withCallOptions({ transaction })`). */
export interface TaskTransaction {
  /**
   * Writes `marker` inside the transaction. Called synchronously when the deferred call is
   * made, so a synchronous transaction (better-sqlite3's) includes it.
   */
  writeMarker(marker: string): void | Promise<void>;
}

/** Reads and removes the markers that transactional calls write. */
export interface TransactionMarkers {
  /** Whether the transaction that wrote `marker` committed. */
  has(marker: string): boolean | Promise<boolean>;
  /** Called once the marker's task ran or failed for good. */
  remove(marker: string): void | Promise<void>;
}

/** The envelope's `meta` members of a transactional call. */
export const MARKER_META = "tx";
export const QUEUED_AT_META = "queuedAt";

/** How long a missing marker may mean an open transaction, unless the runtime says otherwise. */
export const DEFAULT_TRANSACTION_GRACE_SECONDS = 60;

/** What a delivery of a transactional call should do, as its marker tells. */
export type MarkerVerdict = "run" | "wait" | "drop";

export async function readMarker(
  markers: TransactionMarkers,
  marker: string,
  queuedAt: number,
  now: number,
  graceMs: number,
): Promise<MarkerVerdict> {
  if (await markers.has(marker)) return "run";
  return now - queuedAt < graceMs ? "wait" : "drop";
}
