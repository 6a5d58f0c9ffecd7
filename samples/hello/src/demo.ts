/**
 * Runs the sample on the embedded queue, behind a real HTTP server, and drives each kind of
 * task once through it: `npm run demo`. Prints what happened and exits 0, or 1 when something
 * did not happen as it should.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { createNodeHandler, createRuntime, cronRequestHeaders, Key, type Logger } from "taskgen";
import { openEmbeddedQueue } from "taskgen/embedded";

import { dispatchTable } from "./generated/dispatch.js";
import { RebuildSearchIndex } from "./maintenance.js";
import { Orders } from "./orders.js";

const started = performance.now();
const problems: string[] = [];
const report = (line: string) => {
  const ms = (performance.now() - started).toFixed(0).padStart(5);
  process.stdout.write(`${ms} ms  ${line}\n`);
};
const expect = (ok: boolean, what: string) => {
  if (!ok) problems.push(what);
  report(`${ok ? "ok  " : "FAIL"} ${what}`);
};

// Warnings and errors only: the demo prints its own story.
const logger: Logger = {
  error: (message) => report(`log error: ${message}`),
  warn: (message) => report(`log warn: ${message}`),
  info: () => {},
  debug: () => {},
};

const dir = mkdtempSync(path.join(tmpdir(), "taskgen-demo-"));
const secret = randomBytes(32).toString("base64url");
const orders = new Orders();
const queue = openEmbeddedQueue({ path: path.join(dir, "tasks.sqlite"), logger });
const runtime = createRuntime({
  table: dispatchTable,
  instances: { Orders: orders },
  transport: queue,
  secret,
  logger,
  // A stand-in for the app's sign-in: the user named by a header.
  authenticate: async (request) => {
    const role = request.headers["x-demo-role"];
    return role ? { id: `demo-${role}`, role } : undefined;
  },
});
const server = createServer(createNodeHandler(runtime));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_tasks`;

try {
  await runtime.start();
  report(`runtime started on the embedded SQLite queue in ${dir}, handler at ${base}`);

  await until(() => orders.warmedUp);
  expect(orders.warmedUp, "the startup task ran once the runtime started");

  const queuedAt = performance.now();
  await orders.sendConfirmation({
    order: Key.from(["Order", 42n]),
    channel: "mail",
    lines: [{ sku: "tea-1", quantity: 2 }],
  });
  await until(() => orders.sent.length === 1);
  expect(
    orders.sent[0]?.lines[0]?.sku === "tea-1",
    `a deferred call was queued and ran with its arguments ` +
      `(${(performance.now() - queuedAt).toFixed(1)} ms from call to run)`,
  );

  const tick = () =>
    fetch(`${base}/cron/hourly`, { method: "POST", headers: cronRequestHeaders("hourly", secret) });
  await Promise.all([tick(), tick(), tick()]);
  expect(orders.cartExpiries === 1, "three concurrent cron ticks ran the hourly task once");

  const asAdmin = { "x-demo-role": "admin", "content-type": "application/json" };
  const listed = await fetch(`${base}/list`, { headers: asAdmin });
  const names = ((await listed.json()) as { name: string }[]).map((t) => t.name);
  expect(names.includes("Rebuild the search index"), `an admin lists: ${names.join(", ")}`);
  const asGuest = await fetch(`${base}/list`, { headers: { "x-demo-role": "guest" } });
  expect(((await asGuest.json()) as unknown[]).length === 0, "a guest lists no callable task");

  const executed = await fetch(`${base}/execute/rebuild-search-index`, {
    method: "POST",
    headers: asAdmin,
    body: JSON.stringify({ full: true }),
  });
  expect(
    executed.status === 200 && RebuildSearchIndex.runs.length === 1,
    `an admin started "Rebuild the search index": ${executed.status}`,
  );

  const forgedBody = JSON.stringify({ v: 1, task: "Orders.audit", payload: ["1", "now"] });
  const forged = await fetch(`${base}/deferred`, {
    method: "POST",
    headers: { "x-taskgen-signature": "A".repeat(43) },
    body: forgedBody,
  });
  expect(forged.status === 403, `a forged task request was refused: ${forged.status}`);
} finally {
  await runtime.stop({ graceMs: 2_000 });
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
}

report(
  problems.length === 0 ? "demo done: every step behaved" : `demo FAILED: ${problems.join("; ")}`,
);
process.exitCode = problems.length === 0 ? 0 : 1;

/** Waits until `done()` holds, at most five seconds. */
async function until(done: () => boolean): Promise<void> {
  const deadline = performance.now() + 5_000;
  while (!done() && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
