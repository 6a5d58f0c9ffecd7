/**
 * How a queued task travels as a BullMQ job, and back: the job's name is the task's route, its
 * data the signed body, its options the task's delay, dedup name and retry limit.
 */
import type { Job, JobsOptions } from "bullmq";

import type { Delivery, QueuedTask, TaskRoute } from "../transport.js";

import type { BullmqTransportContext } from "./bullmq-transport-options.js";

/** What a task's job carries. */
export interface TaskJobData {
  readonly body: string;
  readonly signature: string;
  readonly name?: string;
}

export type TaskJob = Job<TaskJobData, unknown, TaskRoute>;

/** The custom backoff type of task jobs, computed by the working process's `backoff`. */
export const BACKOFF_TYPE = "taskgen";

export function jobDataOf(task: QueuedTask): TaskJobData {
  return task.name === undefined
    ? { body: task.body, signature: task.signature }
    : { body: task.body, signature: task.signature, name: task.name };
}

/**
 * The options of a task's job. A named task gets BullMQ's deduplication id and a job id of its
 * own, so that a refused add shows itself: BullMQ then returns the id of the job that holds
 * the name, not the one asked for. Which finished jobs are kept is the workers' option.
 */
export function jobOptionsOf(
  ctx: BullmqTransportContext,
  task: QueuedTask,
  jobId: string | undefined,
  now: number,
): JobsOptions {
  const delay = task.notBefore === undefined ? 0 : Math.max(0, task.notBefore - now);

  return {
    attempts: (task.maxRetries ?? ctx.maxRetries) + 1,
    backoff: { type: BACKOFF_TYPE },
    ...(delay > 0 && { delay }),
    ...(jobId !== undefined && { jobId, deduplication: { id: task.name as string } }),
  };
}

export function deliveryOf(job: TaskJob): Delivery {
  const { body, signature, name } = job.data;

  return {
    id: job.id as string,
    route: job.name,
    body,
    signature,
    queue: job.queueName,
    ...(name !== undefined && { name }),
    attempt: job.attemptsMade,
  };
}
