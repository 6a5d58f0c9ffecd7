import { invalidArgument } from "./rpc-error.js";

/** The character sets Cloud Tasks allows in each segment of a resource name. */
const LOCATION = /^projects\/[A-Za-z0-9\-:.]+\/locations\/[A-Za-z0-9-]+$/;
const QUEUE_ID = /^[A-Za-z0-9-]{1,100}$/;
const TASK_ID = /^[A-Za-z0-9_-]{1,500}$/;

export interface QueueName {
  /** `projects/P/locations/L/queues/Q` */
  readonly name: string;
  /** `projects/P/locations/L` */
  readonly location: string;
  /** `Q` */
  readonly id: string;
}

export interface TaskName {
  /** `projects/P/locations/L/queues/Q/tasks/T` */
  readonly name: string;
  /** The queue's full name. */
  readonly queue: string;
  /** `T` */
  readonly id: string;
}

/** Checks `projects/P/locations/L`; `field` names the request field in the error. */
export function parseLocationName(name: string | undefined, field: string): string {
  if (name && LOCATION.test(name)) return name;

  throw invalidArgument(
    `${field} ${JSON.stringify(name ?? "")} is not a location name; ` +
      `expected projects/PROJECT_ID/locations/LOCATION_ID`,
  );
}

/** Checks `projects/P/locations/L/queues/Q`. */
export function parseQueueName(name: string | undefined, field: string): QueueName {
  const at = name?.lastIndexOf("/queues/") ?? -1;
  const location = name?.slice(0, at) ?? "";
  const id = name?.slice(at + "/queues/".length) ?? "";
  if (name && at > 0 && LOCATION.test(location) && QUEUE_ID.test(id)) {
    return { name, location, id };
  }

  throw invalidArgument(
    `${field} ${JSON.stringify(name ?? "")} is not a queue name; expected ` +
      `projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID, the queue id made of ` +
      `letters, digits and hyphens, at most 100 characters`,
  );
}

/** Checks `projects/P/locations/L/queues/Q/tasks/T`. */
export function parseTaskName(name: string | undefined, field: string): TaskName {
  const at = name?.lastIndexOf("/tasks/") ?? -1;
  const id = name?.slice(at + "/tasks/".length) ?? "";
  if (name && at > 0 && TASK_ID.test(id)) {
    const queue = parseQueueName(name.slice(0, at), field);
    return { name, queue: queue.name, id };
  }

  throw invalidArgument(
    `${field} ${JSON.stringify(name ?? "")} is not a task name; expected ` +
      `projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID/tasks/TASK_ID, the task id ` +
      `made of letters, digits, hyphens and underscores, at most 500 characters`,
  );
}

/** The last segment of a queue or task name. */
export function shortId(name: string): string {
  return name.slice(name.lastIndexOf("/") + 1);
}
