import { transportContract } from "./helpers/transport-contract.js";

transportContract({
  name: "embedded SQLite queue",
  async create() {
    const { openEmbeddedQueue } = await import("taskgen/embedded");
    return openEmbeddedQueue({
      path: ":memory:",
      concurrency: 4,
      pollMs: 10,
      backoff: { baseMs: 1, maxMs: 5 },
    });
  },
});

transportContract({
  name: "inline transport",
  async create() {
    const { InlineTransport } = await import("taskgen");
    return new InlineTransport();
  },
});
