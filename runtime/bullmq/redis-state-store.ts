import { isRedisInstance, RedisConnection, type ConnectionOptions, type RedisClient } from "bullmq";

import { describeError } from "../describe-error.js";
import { SILENT_LOGGER, type Logger } from "../logger.js";
import type { StateStore } from "../state/state-store.js";

/** Options of {@link RedisStateStore}. */
export interface RedisStateStoreOptions {
  /** BullMQ's connection options, or an ioredis instance the caller owns and closes. */
  readonly connection: ConnectionOptions;
  /** The start of every key the store writes. Default `"taskgen-state"`. */
  readonly prefix?: string;
  /** Where connection errors go; calls that fail also reject. Silent by default. */
  readonly logger?: Logger;
}

const CLAIM_COMMAND = "taskgenClaimPeriodic";
const COMPARE_AND_SET_COMMAND = "taskgenCompareAndSet";

/**
 * KEYS[1] the hash of last runs; ARGV: task id, interval, now. The last run is written only
 * when the task never ran or its interval has passed; 1 says this caller won the claim.
 */
const CLAIM_SCRIPT = `
local last = redis.call('HGET', KEYS[1], ARGV[1])
if last and tonumber(ARGV[3]) - tonumber(last) < tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`;

/**
 * KEYS[1] the value's key; ARGV: "absent" or "equal", the expected value, the new value. A
 * missing key reads as false in Lua, which equals no string.
 */
const COMPARE_AND_SET_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == 'absent' then
  if current then return 0 end
elseif current ~= ARGV[2] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[3])
return 1
`;

/**
 * A state store in Redis, the companion of the BullMQ transport. Claims and compare-and-set
 * are Lua scripts, which Redis runs one at a time, so they are atomic across every process
 * sharing the Redis. Periodic last runs live in one hash, `<prefix>:periodic`; other values
 * under `<prefix>:value:<key>`.
 *
 * @example
 * const state = new RedisStateStore({ connection: { host: "redis", port: 6379 } });
 * const runtime = createRuntime({ table, instances, transport, state, secret });
 * // on shutdown, after runtime.stop():
 * await state.close();
 */
export class RedisStateStore implements StateStore {
  readonly #connection: RedisConnection;
  readonly #client: Promise<RedisClient>;
  readonly #periodicKey: string;
  readonly #valuePrefix: string;

  constructor(options: RedisStateStoreOptions) {
    const prefix = options.prefix ?? "taskgen-state";

    this.#periodicKey = `${prefix}:periodic`;
    this.#valuePrefix = `${prefix}:value:`;
    this.#connection = new RedisConnection(options.connection, {
      shared: isRedisInstance(options.connection),
      blocking: false,
    });
    this.#client = this.#connection.client.then((client) => {
      client.defineCommand(CLAIM_COMMAND, { numberOfKeys: 1, lua: CLAIM_SCRIPT });
      client.defineCommand(COMPARE_AND_SET_COMMAND, {
        numberOfKeys: 1,
        lua: COMPARE_AND_SET_SCRIPT,
      });
      return client;
    });
    // Failures surface where the client is awaited; this keeps an early one from going unhandled.
    this.#client.catch(() => {});
    const logger = options.logger ?? SILENT_LOGGER;
    this.#connection.on("error", (error: unknown) => {
      logger.error(`Redis state store: ${describeError(error)}`);
    });
  }

  async claimPeriodic(taskId: string, intervalMs: number, now: number): Promise<boolean> {
    const client = await this.#client;
    const won = await client.runCommand(CLAIM_COMMAND, [
      this.#periodicKey,
      taskId,
      String(intervalMs),
      String(now),
    ]);
    return won === 1;
  }

  async get(key: string): Promise<string | undefined> {
    const value = await (await this.#client).get(this.#valuePrefix + key);
    return value ?? undefined;
  }

  async set(key: string, value: string): Promise<void> {
    await (await this.#client).set(this.#valuePrefix + key, value);
  }

  async compareAndSet(key: string, expected: string | undefined, value: string): Promise<boolean> {
    const client = await this.#client;
    const changed = await client.runCommand(COMPARE_AND_SET_COMMAND, [
      this.#valuePrefix + key,
      expected === undefined ? "absent" : "equal",
      expected ?? "",
      value,
    ]);
    return changed === 1;
  }

  /** Closes the connection, unless it is an instance the caller passed in. */
  async close(): Promise<void> {
    await this.#connection.close();
  }
}
