import { randomBytes } from "node:crypto";

import type { QueueMessage, TaskMessage } from "./cloud-tasks-messages.js";
import { newQueue, updateQueue, type EmulatedQueue } from "./emulated-queue.js";
import { newTask, type EmulatedTask } from "./emulated-task.js";
import type { EmulatorContext } from "./emulator-options.js";
import {
  parseLocationName,
  parseQueueName,
  parseTaskName,
  type TaskName,
} from "./resource-names.js";
import { alreadyExists, invalidArgument, notFound } from "./rpc-error.js";

/** How often names whose dedup window has passed are forgotten. */
const SWEEP_EVERY_MS = 60_000;

/**
 * The emulator's memory: queues, their tasks, and the names of tasks that ran or were deleted
 * recently, which CreateTask refuses like Cloud Tasks does. Every change calls `onChange`, so
 * the dispatcher can look for due tasks again. Methods throw `RpcError`s for bad requests.
 */
export class EmulatorStore {
  readonly #queues = new Map<string, EmulatedQueue>();
  readonly #tasks = new Map<string, EmulatedTask>();
  /** Task name → the time its name may be used again. */
  readonly #usedNames = new Map<string, number>();
  #nextSweep = 0;

  constructor(
    private readonly context: EmulatorContext,
    private readonly onChange: () => void,
  ) {}

  /** The queue of that name, if there is one; never throws. */
  findQueue(name: string): EmulatedQueue | undefined {
    return this.#queues.get(name);
  }

  /** The queue of that name; `field` names the request field in errors. */
  queue(name: string | undefined, field = "name"): EmulatedQueue {
    const queue = this.#queues.get(parseQueueName(name, field).name);
    if (!queue) throw notFound(`Queue ${JSON.stringify(name)} does not exist`);
    return queue;
  }

  /** The queues of a location, sorted by name; `filter` may select a state (`state: PAUSED`). */
  queues(parent: string | undefined, filter: string | undefined): EmulatedQueue[] {
    const location = parseLocationName(parent, "parent");
    const state = stateFilter(filter);

    return [...this.#queues.values()]
      .filter((queue) => queue.location === location && (!state || queue.state === state))
      .sort((a, b) => compare(a.name, b.name));
  }

  createQueue(parent: string | undefined, message: QueueMessage | undefined): EmulatedQueue {
    const location = parseLocationName(parent, "parent");
    const name = parseQueueName(message?.name, "queue.name");
    if (name.location !== location) {
      throw invalidArgument(`queue.name ${JSON.stringify(name.name)} is not in ${location}`);
    }
    if (this.#queues.has(name.name)) {
      throw alreadyExists(`Queue ${JSON.stringify(name.name)} already exists`);
    }

    const queue = newQueue(name, message);
    this.#queues.set(queue.name, queue);
    return queue;
  }

  /** UpdateQueue: updates the queue, creating it when it does not exist, as Cloud Tasks does. */
  updateQueue(message: QueueMessage | undefined, maskPaths: readonly string[] | undefined) {
    const name = parseQueueName(message?.name, "queue.name");
    const existing = this.#queues.get(name.name);
    if (!existing) {
      const queue = newQueue(name, message);
      this.#queues.set(queue.name, queue);
      return queue;
    }

    updateQueue(existing, message ?? {}, maskPaths);
    this.onChange();
    return existing;
  }

  deleteQueue(name: string | undefined): void {
    const queue = this.queue(name);
    for (const task of this.tasks(queue.name)) this.finishTask(task);
    this.#queues.delete(queue.name);
  }

  /** Deletes every task of the queue; their names stay taken for the dedup window. */
  purgeQueue(name: string | undefined): EmulatedQueue {
    const queue = this.queue(name);
    for (const task of this.tasks(queue.name)) this.finishTask(task);
    queue.purgeTimeMs = this.context.now();
    return queue;
  }

  setQueueState(name: string | undefined, state: "RUNNING" | "PAUSED"): EmulatedQueue {
    const queue = this.queue(name);
    queue.state = state;
    this.onChange();
    return queue;
  }

  /** The queue's tasks, earliest schedule first, then by name. */
  tasks(queueName: string): EmulatedTask[] {
    return [...this.#tasks.values()]
      .filter((task) => task.queue === queueName)
      .sort((a, b) => a.scheduleMs - b.scheduleMs || compare(a.name, b.name));
  }

  /** Every task of every queue, in no particular order. */
  allTasks(): IterableIterator<EmulatedTask> {
    return this.#tasks.values();
  }

  task(name: string | undefined): EmulatedTask {
    const task = this.#tasks.get(parseTaskName(name, "name").name);
    if (!task) throw notFound(`Task ${JSON.stringify(name)} does not exist`);
    return task;
  }

  createTask(parent: string | undefined, message: TaskMessage | undefined): EmulatedTask {
    const queueName = parseQueueName(parent, "parent");
    if (!message) throw invalidArgument("The request has no task");
    const queue = this.#queues.get(queueName.name) ?? this.#autoCreate(queueName.name);

    const name = message.name
      ? parseTaskName(message.name, "task.name")
      : generatedName(queue.name);
    if (name.queue !== queue.name) {
      throw invalidArgument(`task.name ${JSON.stringify(name.name)} is not in ${queue.name}`);
    }
    this.#checkNameFree(name.name);

    const task = newTask(name, message, this.context.now());
    this.#tasks.set(task.name, task);
    this.onChange();
    return task;
  }

  deleteTask(name: string | undefined): void {
    this.finishTask(this.task(name));
  }

  /** Forgets a task (it succeeded, gave up, or was deleted); its name stays taken for a while. */
  finishTask(task: EmulatedTask): void {
    if (this.#tasks.get(task.name) !== task) return;
    this.#tasks.delete(task.name);
    this.#usedNames.set(task.name, this.context.now() + this.context.dedupWindowMs);
    this.onChange();
  }

  /** Whether `task` is still held: one deleted while being dispatched is not. */
  holds(task: EmulatedTask): boolean {
    return this.#tasks.get(task.name) === task;
  }

  #autoCreate(name: string): EmulatedQueue {
    if (!this.context.autoCreateQueues) {
      throw notFound(
        `Queue ${JSON.stringify(name)} does not exist; create it first, ` +
          `or start the emulator with --auto-create-queues`,
      );
    }
    this.context.logger.info(`Created queue ${name} on its first task`);
    return this.createQueue(parseQueueName(name, "parent").location, { name });
  }

  #checkNameFree(name: string): void {
    const now = this.context.now();
    if (now >= this.#nextSweep) {
      for (const [used, until] of this.#usedNames) if (until <= now) this.#usedNames.delete(used);
      this.#nextSweep = now + SWEEP_EVERY_MS;
    }

    if (this.#tasks.has(name)) {
      throw alreadyExists(`Task ${JSON.stringify(name)} already exists`);
    }
    const until = this.#usedNames.get(name);
    if (until !== undefined && until > now) {
      throw alreadyExists(
        `Task ${JSON.stringify(name)} ran or was deleted recently; ` +
          `its name is taken for ${Math.ceil((until - now) / 1000)} more seconds`,
      );
    }
  }
}

/** A task name with an id like the ones Cloud Tasks generates: a long random number. */
function generatedName(queue: string): TaskName {
  const id = BigInt(`0x${randomBytes(8).toString("hex")}`).toString();
  return { name: `${queue}/tasks/${id}`, queue, id };
}

/** `state: PAUSED`, `state = "RUNNING"`; the only filter the emulator understands. */
function stateFilter(filter: string | undefined): EmulatedQueue["state"] | undefined {
  if (!filter?.trim()) return undefined;
  const match = /^\s*state\s*[:=]\s*"?(RUNNING|PAUSED|DISABLED)"?\s*$/.exec(filter);
  if (!match) {
    throw invalidArgument(
      `The emulator understands only a state filter, such as "state: PAUSED", ` +
        `not ${JSON.stringify(filter)}`,
    );
  }
  return match[1] as EmulatedQueue["state"];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
