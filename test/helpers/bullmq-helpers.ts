/**
 * Shared pieces of the BullMQ tests: the local Redis, a key prefix of their own per test run,
 * and removing every key under it afterwards.
 */
import { RedisConnection, type RedisClient } from "bullmq";

export const REDIS = { host: "127.0.0.1", port: 6379 } as const;

/** A prefix no other run uses: the tests' keys never meet anyone else's. */
export function testPrefix(label: string): string {
  return `taskgen-test-${label}-${process.pid}-${Date.now().toString(36)}`;
}

/** A plain client on the local Redis, for the tests' own reads and writes. */
export async function openTestClient(): Promise<{
  readonly client: RedisClient;
  readonly close: () => Promise<void>;
}> {
  const connection = new RedisConnection(REDIS, { blocking: false });
  connection.on("error", () => {});
  const client = await connection.client;

  return { client, close: () => connection.close() };
}

/** Every key that starts with `prefix`, following SCAN's cursor over the whole keyspace. */
export async function scanKeys(client: RedisClient, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await client.scan(cursor, { MATCH: `${prefix}*`, COUNT: 1000 });
    keys.push(...found);
    cursor = next;
  } while (cursor !== "0");
  return keys;
}

/** Deletes every key that starts with `prefix`; returns how many. */
export async function deleteKeys(client: RedisClient, prefix: string): Promise<number> {
  const keys = await scanKeys(client, prefix);
  return keys.length > 0 ? client.del(...keys) : 0;
}

/** Resolves once the async `condition` holds, checking every few ms; rejects after `timeoutMs`. */
export async function eventually(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;

  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
