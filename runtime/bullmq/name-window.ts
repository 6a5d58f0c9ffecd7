/**
 * Keeps a finished task's name taken for the dedup window. BullMQ's deduplication key (simple
 * mode) holds a name while its job waits, is delayed or runs, and BullMQ deletes it when the
 * job finishes, unless the key has a time to live by then. Setting one just before the job
 * finishes therefore keeps the name for the window, and then Redis lets it go.
 */
import { QueueKeys, type RedisClient } from "bullmq";

const HOLD_COMMAND = "taskgenHoldName";

/** KEYS[1] the dedup key; ARGV: the job id, the window. Only the job's own key is touched. */
const HOLD_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

export class NameWindow {
  readonly #client: RedisClient;
  readonly #keys: QueueKeys;
  readonly #windowMs: number;

  constructor(client: RedisClient, prefix: string, windowMs: number) {
    this.#client = client;
    this.#keys = new QueueKeys(prefix);
    this.#windowMs = windowMs;
    client.defineCommand(HOLD_COMMAND, { numberOfKeys: 1, lua: HOLD_SCRIPT });
  }

  /** Keeps `name` of `queue`, held by job `jobId`, taken for the window from now. */
  async hold(queue: string, name: string, jobId: string): Promise<void> {
    if (this.#windowMs === 0) return;

    const key = `${this.#keys.toKey(queue, "de")}:${name}`;
    await this.#client.runCommand(HOLD_COMMAND, [key, jobId, String(this.#windowMs)]);
  }
}
