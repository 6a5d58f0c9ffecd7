/**
 * Where the runtime keeps what must outlive a request: when each periodic task last ran, and
 * the progress of query iterators. It matches the transport: SQLite for the embedded queue,
 * Redis for BullMQ, or an implementation of the app's own.
 */
export interface StateStore {
  /**
   * Claims a run of a periodic task: true, and the run recorded at `now`, when its last run is
   * at least `intervalMs` ago or it never ran; false otherwise. Atomic across every process
   * sharing the store, so concurrent cron ticks run a task at most once per interval.
   */
  claimPeriodic(taskId: string, intervalMs: number, now: number): Promise<boolean>;

  /** A stored value, or undefined. */
  get(key: string): Promise<string | undefined>;

  set(key: string, value: string): Promise<void>;

  /**
   * Sets `key` to `value` only while it holds `expected` (undefined: while it is absent), and
   * says whether it did. Atomic across every process sharing the store: query iterators claim
   * and advance their steps with it.
   */
  compareAndSet(key: string, expected: string | undefined, value: string): Promise<boolean>;

  close?(): Promise<void>;
}
