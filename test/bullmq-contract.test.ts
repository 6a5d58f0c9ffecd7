import { openBullmqTransport } from "../runtime/bullmq/index.js";
import { deleteKeys, openTestClient, REDIS, testPrefix } from "./helpers/bullmq-helpers.js";
import { transportContract } from "./helpers/transport-contract.js";

const prefixes: string[] = [];

transportContract({
  name: "BullMQ",
  ticksCron: true,
  async create() {
    const prefix = testPrefix(`contract-${prefixes.length}`);
    prefixes.push(prefix);
    // Each test gets fresh keys, so each group's scheduler is new and ticks at once.
    return openBullmqTransport({
      connection: REDIS,
      prefix,
      concurrency: 4,
      backoff: { baseMs: 1, maxMs: 5 },
    });
  },
  async cleanup() {
    const { client, close } = await openTestClient();
    try {
      for (const prefix of prefixes.splice(0)) await deleteKeys(client, prefix);
    } finally {
      await close();
    }
  },
});
