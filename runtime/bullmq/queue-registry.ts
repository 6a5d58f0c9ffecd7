/**
 * The names of the queues tasks were queued to, kept in one Redis set per prefix, so that
 * processes that discover their queues work every queue some process uses.
 */
import type { RedisClient } from "bullmq";

/** A script, not a plain SADD: BullMQ's client interface runs scripts on every Redis driver. */
const RECORD_COMMAND = "taskgenRecordQueue";
const RECORD_SCRIPT = "return redis.call('SADD', KEYS[1], ARGV[1])";

export class QueueRegistry {
  readonly #client: RedisClient;
  readonly #key: string;
  /** Names this process wrote, or is writing: each is written once per process. */
  readonly #written = new Map<string, Promise<void>>();

  constructor(client: RedisClient, prefix: string) {
    this.#client = client;
    this.#key = `${prefix}:taskgen-queues`;
    client.defineCommand(RECORD_COMMAND, { numberOfKeys: 1, lua: RECORD_SCRIPT });
  }

  /** Records `queue`; resolves once it is in Redis, before the first task of it is queued. */
  record(queue: string): Promise<void> {
    let written = this.#written.get(queue);
    if (written === undefined) {
      written = this.#add(queue);
      this.#written.set(queue, written);
      // A failed write is tried again by the next enqueue of the queue.
      written.catch(() => this.#written.delete(queue));
    }
    return written;
  }

  /** Every queue name recorded on this prefix. */
  async list(): Promise<string[]> {
    return (await this.#client.smembers(this.#key)).sort();
  }

  async #add(queue: string): Promise<void> {
    await this.#client.runCommand(RECORD_COMMAND, [this.#key, queue]);
  }
}
