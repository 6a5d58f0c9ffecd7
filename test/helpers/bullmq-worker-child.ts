/**
 * A worker process of the BullMQ scale-out test: the fixture app's runtime on the BullMQ
 * transport and the Redis state store, ticking the "hourly" cron group every 25 ms on a clock
 * that runs an hour every 200 ms.
 *
 *   node --import tsx test/helpers/bullmq-worker-child.ts <prefix> <clock start>
 *
 * Prints `ready` once started; stops on SIGTERM. Every task it runs with a name is recorded in
 * the list `<prefix>:runs` as `<name> <pid>`, before the job completes; every periodic claim it
 * wins in `<prefix>:claims` as `<task id> <clock> <pid>`; at stop, how often `Mailer.hourly`
 * ran here is added to `<prefix>:hourly-runs`.
 */
import type { StateStore } from "../../runtime/state/state-store.js";
import type { Transport } from "../../runtime/transport.js";
import { openBullmqTransport, RedisStateStore } from "../../runtime/bullmq/index.js";
import { openTestClient, REDIS } from "./bullmq-helpers.js";
import { runtimeFixture, SECRET } from "./runtime-fixture.js";

/** Real milliseconds per hour of the children's clock. */
export const MS_PER_HOUR = 200;

const PUSH = "taskgenTestPush";
const ADD = "taskgenTestAdd";

// uvu's runner never loads helpers, but a test may: run only when started as the child.
if (process.argv[1]?.endsWith("bullmq-worker-child.ts")) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}

async function main(): Promise<void> {
  const [prefix, clockStartText] = process.argv.slice(2);
  if (prefix === undefined || clockStartText === undefined) {
    throw new Error("usage: bullmq-worker-child.ts <prefix> <clock start>");
  }
  const clockStart = Number(clockStartText);
  const now = () => clockStart + (Date.now() - clockStart) * (3_600_000 / MS_PER_HOUR);

  const redis = await openTestClient();
  redis.client.defineCommand(PUSH, {
    numberOfKeys: 1,
    lua: "return redis.call('RPUSH', KEYS[1], ARGV[1])",
  });
  redis.client.defineCommand(ADD, {
    numberOfKeys: 1,
    lua: "return redis.call('INCRBY', KEYS[1], ARGV[1])",
  });
  const push = (key: string, value: string) => redis.client.runCommand(PUSH, [key, value]);

  const bullmq = openBullmqTransport({
    connection: REDIS,
    prefix,
    queues: ["default"],
    concurrency: 20,
    backoff: { baseMs: 1, maxMs: 5 },
  });
  const transport: Transport = {
    enqueue: (task) => bullmq.enqueue(task),
    start: (handler, hooks) =>
      bullmq.start(async (delivery) => {
        const outcome = await handler(delivery);
        if (outcome.status === "done" && delivery.name?.startsWith("t")) {
          await push(`${prefix}:runs`, `${delivery.name} ${process.pid}`);
        }
        return outcome;
      }, hooks),
    stop: (options) => bullmq.stop(options),
  };

  const store = new RedisStateStore({ connection: REDIS, prefix: `${prefix}-state` });
  const state: StateStore = {
    async claimPeriodic(taskId, intervalMs, at) {
      const won = await store.claimPeriodic(taskId, intervalMs, at);
      if (won && intervalMs > 0) await push(`${prefix}:claims`, `${taskId} ${at} ${process.pid}`);
      return won;
    },
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    compareAndSet: (key, expected, value) => store.compareAndSet(key, expected, value),
  };

  const f = await runtimeFixture;
  const runtime = f.createRuntime({
    table: f.dispatchTable,
    instances: { Mailer: new f.Mailer() },
    transport,
    state,
    secret: SECRET,
    now,
  });
  await runtime.start();
  const ticker = f.startCronTicker(runtime, { tickMs: 25 });
  process.stdout.write("ready\n");

  process.once("SIGTERM", () => {
    void (async () => {
      ticker.stop();
      await runtime.stop({ graceMs: 2_000 });
      const hourly = f.log.filter((line) => line === "hourly").length;
      await redis.client.runCommand(ADD, [`${prefix}:hourly-runs`, String(hourly)]);
      await store.close();
      await redis.close();
    })();
  });
}
