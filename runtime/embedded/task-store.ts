/**
 * The embedded queue's reads and writes, each a prepared statement inside short transactions.
 * Claims take SQLite's write lock up front (`BEGIN IMMEDIATE`), so two workers, in one process or
 * in two on the same file, never claim the same task: the second waits and then sees the lease.
 */
import type { DeliveryOutcome, EnqueueResult, QueuedTask, TaskRoute } from "../transport.js";

import type { EmbeddedQueueContext } from "./embedded-queue-options.js";
import { retryDelayMs } from "./retry-backoff.js";
import type { TaskDatabase } from "./task-database.js";

/** A task this process holds a lease on. */
export interface ClaimedTask {
  readonly id: number;
  readonly route: TaskRoute;
  readonly queue: string;
  readonly name: string | null;
  readonly body: string;
  readonly signature: string;
  readonly attempt: number;
  readonly maxRetries: number | null;
  /** Proves the lease is still ours when the outcome is written. */
  readonly token: string;
}

/** A delivery's outcome, waiting to be written. */
export interface Settlement {
  readonly task: ClaimedTask;
  readonly outcome: DeliveryOutcome;
}

export interface ClaimRequest {
  /** Most tasks to claim. */
  readonly count: number;
  /** Queues to leave alone because their own limit is reached. */
  readonly skipQueues: readonly string[];
  /** Whether one more task of `queue` may start; called in order as tasks are claimed. */
  readonly admit: (queue: string) => boolean;
}

/** Tasks by state. `leased` are queued tasks a worker holds right now. */
export interface TaskCounts {
  readonly queued: number;
  readonly leased: number;
  readonly failed: number;
  /** Finished tasks whose name is still kept for the dedup window. */
  readonly tombstones: number;
}

/** A permanently failed task, as kept for inspection. */
export interface FailedTask {
  readonly id: string;
  readonly route: TaskRoute;
  readonly queue: string;
  readonly name?: string;
  readonly body: string;
  readonly attempt: number;
  readonly reason: string;
}

interface TaskRow {
  id: number;
  route: TaskRoute;
  queue: string;
  name: string | null;
  body: string;
  signature: string;
  attempt: number;
  max_retries: number | null;
  last_error: string | null;
}

const TASK_COLUMNS = "id, route, queue, name, body, signature, attempt, max_retries, last_error";

export class TaskStore {
  readonly #context: EmbeddedQueueContext;
  readonly #db: TaskDatabase;
  #leases = 0;

  readonly #insert;
  readonly #dropExpiredName;
  readonly #selectDue;
  readonly #selectDueSkipping;
  readonly #lease;
  readonly #delete;
  readonly #tombstone;
  readonly #fail;
  readonly #retry;
  readonly #release;
  readonly #renew;
  readonly #count;
  readonly #listFailed;
  readonly #purgeTombstones;
  readonly #purgeFailed;
  readonly #insertTransaction;
  readonly #settleAndClaimTransaction;
  readonly #renewTransaction;

  constructor(context: EmbeddedQueueContext, db: TaskDatabase) {
    this.#context = context;
    this.#db = db;

    this.#insert = db.prepare<
      [string, string, string | null, string, string, number, number | null]
    >(
      `INSERT INTO taskgen_tasks (route, queue, name, body, signature, not_before, max_retries)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id`,
    );
    this.#dropExpiredName = db.prepare<[string, number]>(
      `DELETE FROM taskgen_tasks WHERE name = ? AND state = 'done' AND not_before <= ?`,
    );
    this.#selectDue = db.prepare<[number, number]>(
      `SELECT id, queue FROM taskgen_tasks WHERE state = 'queued' AND not_before <= ?
       ORDER BY not_before, id LIMIT ?`,
    );
    this.#selectDueSkipping = db.prepare<[number, string, number]>(
      `SELECT id, queue FROM taskgen_tasks
       WHERE state = 'queued' AND not_before <= ? AND queue NOT IN (SELECT value FROM json_each(?))
       ORDER BY not_before, id LIMIT ?`,
    );
    // An expired lease means a worker died holding the task: like Cloud Tasks, count it as an
    // attempt, so a task that kills its worker every time still runs out of retries.
    this.#lease = db.prepare<[number, number, string, number]>(
      `UPDATE taskgen_tasks
       SET attempt = attempt + (lease_until IS NOT NULL), lease_until = ?, not_before = ?,
           lease_token = ?
       WHERE id = ? RETURNING ${TASK_COLUMNS}`,
    );
    this.#delete = db.prepare<[number, string]>(
      `DELETE FROM taskgen_tasks WHERE id = ? AND lease_token = ?`,
    );
    this.#tombstone = db.prepare<[number, number, string]>(
      `UPDATE taskgen_tasks
       SET state = 'done', body = '', signature = '', not_before = ?, lease_until = NULL,
           lease_token = NULL, last_error = NULL
       WHERE id = ? AND lease_token = ?`,
    );
    this.#fail = db.prepare<[number, string, number, string]>(
      `UPDATE taskgen_tasks
       SET state = 'failed', attempt = ?, last_error = ?, lease_until = NULL, lease_token = NULL
       WHERE id = ? AND lease_token = ?`,
    );
    this.#retry = db.prepare<[number, number, string, number, string]>(
      `UPDATE taskgen_tasks
       SET attempt = ?, not_before = ?, last_error = ?, lease_until = NULL, lease_token = NULL
       WHERE id = ? AND lease_token = ?`,
    );
    this.#release = db.prepare<[number, number, string]>(
      `UPDATE taskgen_tasks SET not_before = ?, lease_until = NULL, lease_token = NULL
       WHERE id = ? AND lease_token = ?`,
    );
    this.#renew = db.prepare<[number, number, number, string]>(
      `UPDATE taskgen_tasks SET lease_until = ?, not_before = ?
       WHERE id = ? AND lease_token = ? AND state = 'queued'`,
    );
    this.#count = db.prepare<[number]>(
      `SELECT state, lease_until > ? AS leased, count(*) AS n FROM taskgen_tasks
       GROUP BY state, leased`,
    );
    this.#listFailed = db.prepare<[number]>(
      `SELECT ${TASK_COLUMNS} FROM taskgen_tasks WHERE state = 'failed' ORDER BY id LIMIT ?`,
    );
    this.#purgeTombstones = db.prepare<[number]>(
      `DELETE FROM taskgen_tasks WHERE state = 'done' AND not_before <= ?`,
    );
    this.#purgeFailed = db.prepare(`DELETE FROM taskgen_tasks WHERE state = 'failed'`);

    // Built once: wrapping a function in a transaction per call costs more than a small insert.
    this.#insertTransaction = db.transaction((tasks: readonly QueuedTask[]) => {
      const now = this.#context.now();
      return tasks.map((task) => this.#insertOne(task, now));
    });
    this.#settleAndClaimTransaction = db.transaction(
      (settlements: readonly Settlement[], request: ClaimRequest) => {
        const now = this.#context.now();

        for (const settlement of settlements) this.#settle(settlement, now);
        return request.count > 0 ? this.#claim(request, now) : [];
      },
    );
    this.#renewTransaction = db.transaction((tasks: readonly ClaimedTask[]) => {
      const leaseUntil = this.#context.now() + this.#context.leaseMs;
      return tasks.filter(
        (task) => this.#renew.run(leaseUntil, leaseUntil, task.id, task.token).changes === 0,
      );
    });
  }

  /** Stores tasks in one transaction; a name that is taken makes that task a duplicate. */
  insert(tasks: readonly QueuedTask[]): EnqueueResult[] {
    return this.#insertTransaction.immediate(tasks);
  }

  /**
   * Writes the outcomes of finished deliveries, then claims up to `request.count` due tasks, in
   * one transaction: with one worker that is one commit per task.
   */
  settleAndClaim(settlements: readonly Settlement[], request: ClaimRequest): ClaimedTask[] {
    return this.#settleAndClaimTransaction.immediate(settlements, request);
  }

  /**
   * Gives the tasks a full lease again from now, in one transaction. Returns those whose lease
   * is no longer this worker's: it ran out and another worker claimed the task.
   */
  renewLeases(tasks: readonly ClaimedTask[]): ClaimedTask[] {
    return this.#renewTransaction.immediate(tasks);
  }

  /** Writes outcomes and gives back the leases of unfinished tasks, so they run again soon. */
  settleAndRelease(settlements: readonly Settlement[], unfinished: readonly ClaimedTask[]): void {
    this.#db
      .transaction(() => {
        const now = this.#context.now();

        for (const settlement of settlements) this.#settle(settlement, now);
        for (const task of unfinished) this.#release.run(now, task.id, task.token);
      })
      .immediate();
  }

  counts(): TaskCounts {
    const counts = { queued: 0, leased: 0, failed: 0, tombstones: 0 };
    const rows = this.#count.all(this.#context.now()) as {
      state: string;
      leased: number | null;
      n: number;
    }[];

    for (const row of rows) {
      if (row.state === "queued") {
        counts.queued += row.n;
        if (row.leased === 1) counts.leased += row.n;
      } else if (row.state === "failed") {
        counts.failed += row.n;
      } else {
        counts.tombstones += row.n;
      }
    }
    return counts;
  }

  listFailed(limit: number): FailedTask[] {
    return (this.#listFailed.all(limit) as TaskRow[]).map((row) => ({
      id: String(row.id),
      route: row.route,
      queue: row.queue,
      ...(row.name === null ? {} : { name: row.name }),
      body: row.body,
      attempt: row.attempt,
      reason: row.last_error ?? "",
    }));
  }

  /** Deletes the tombstones whose dedup window has passed; returns how many. */
  purgeTombstones(): number {
    return this.#purgeTombstones.run(this.#context.now()).changes;
  }

  /** Deletes every permanently failed task, freeing their names; returns how many. */
  purgeFailed(): number {
    return this.#purgeFailed.run().changes;
  }

  #insertOne(task: QueuedTask, now: number): EnqueueResult {
    // A finished task's name is free again once its window has passed; drop the tombstone here
    // rather than wait for the periodic purge, so the new task is not refused by a stale row.
    if (task.name !== undefined) this.#dropExpiredName.run(task.name, now);

    const row = this.#insert.get(
      task.route,
      task.queue,
      task.name ?? null,
      task.body,
      task.signature,
      task.notBefore ?? now,
      task.maxRetries ?? null,
    ) as { id: number } | undefined;

    return row === undefined
      ? { queued: false, reason: "duplicate" }
      : { queued: true, id: String(row.id) };
  }

  #claim(request: ClaimRequest, now: number): ClaimedTask[] {
    const token = `${this.#context.instanceId}:${++this.#leases}`;
    const leaseUntil = now + this.#context.leaseMs;
    const skip = request.skipQueues;
    const due = (
      skip.length === 0
        ? this.#selectDue.all(now, request.count)
        : this.#selectDueSkipping.all(now, JSON.stringify(skip), request.count)
    ) as { id: number; queue: string }[];
    const claimed: ClaimedTask[] = [];

    for (const { id, queue } of due) {
      if (!request.admit(queue)) continue;

      const row = this.#lease.get(leaseUntil, leaseUntil, token, id) as TaskRow;
      const task = toClaimedTask(row, token);
      if (task.attempt > this.#maxRetries(task)) {
        this.#fail.run(task.attempt, leaseExpiredReason(row), id, token);
        continue;
      }
      claimed.push(task);
    }
    return claimed;
  }

  #settle({ task, outcome }: Settlement, now: number): void {
    const { id, token } = task;

    switch (outcome.status) {
      case "done":
      case "dropped":
        if (task.name === null || this.#context.dedupWindowMs === 0) this.#delete.run(id, token);
        else this.#tombstone.run(now + this.#context.dedupWindowMs, id, token);
        return;
      case "failed":
        this.#fail.run(task.attempt, outcome.reason, id, token);
        return;
      case "retry": {
        const attempt = task.attempt + 1;
        if (attempt > this.#maxRetries(task)) {
          const reason = `Gave up after ${attempt} failed deliveries: ${outcome.reason}`;
          this.#fail.run(attempt, reason, id, token);
          return;
        }

        const delay = retryDelayMs(this.#context.backoff, task.attempt, this.#context.random);
        this.#retry.run(attempt, now + delay, outcome.reason, id, token);
        return;
      }
    }
  }

  #maxRetries(task: ClaimedTask): number {
    return task.maxRetries ?? this.#context.maxRetries;
  }
}

function toClaimedTask(row: TaskRow, token: string): ClaimedTask {
  return {
    id: row.id,
    route: row.route,
    queue: row.queue,
    name: row.name,
    body: row.body,
    signature: row.signature,
    attempt: row.attempt,
    maxRetries: row.max_retries,
    token,
  };
}

function leaseExpiredReason(row: TaskRow): string {
  const last = row.last_error === null ? "" : `; the last error was: ${row.last_error}`;
  return (
    `Gave up after ${row.attempt} failed deliveries: ` +
    `the lease expired before the worker reported an outcome${last}`
  );
}
