/**
 * `npm run demo`: starts the shop on the embedded queue in a fresh folder, drives each kind of
 * task once through its real HTTP endpoints, prints what happened, and exits 0; 1 when a step
 * did not do what it should.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { cronRequestHeaders, type Logger } from "taskgen";

import { startShop } from "./server.js";

const started = performance.now();
const failures: string[] = [];

function say(line: string): void {
  const ms = (performance.now() - started).toFixed(0).padStart(5);
  process.stdout.write(`${ms} ms  ${line}\n`);
}

function check(ok: boolean, what: string): void {
  if (!ok) failures.push(what);
  say(`${ok ? "ok  " : "FAIL"} ${what}`);
}

// The shop's own log would drown the story; warnings and errors still show.
const logger: Logger = {
  error: (message) => say(`  log: ${message}`),
  warn: (message) => say(`  log: ${message}`),
  info: () => {},
  debug: () => {},
};

const dataDir = mkdtempSync(path.join(tmpdir(), "taskgen-shop-"));
const secret = randomBytes(32).toString("base64url");
// Carts expire as soon as a cron tick sees them, so the demo need not wait an hour.
const shop = await startShop({ dataDir, secret, logger, cartTtlMs: 0 });
const admin = { authorization: "Bearer admin-token", "content-type": "application/json" };
const customer = { authorization: "Bearer customer-token", "content-type": "application/json" };

/** Resolves once `done()` holds; gives up after ten seconds. */
async function until(done: () => boolean | Promise<boolean>): Promise<boolean> {
  const deadline = performance.now() + 10_000;
  while (performance.now() < deadline) {
    if (await done()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

function count(sql: string, ...params: unknown[]): number {
  return (shop.db.prepare(sql).get(...params) as { n: number }).n;
}

function post(route: string, headers: Record<string, string>, body?: unknown) {
  const init: RequestInit = { method: "POST", headers };
  if (body !== undefined) init.body = JSON.stringify(body);
  return fetch(`${shop.url}${route}`, init);
}

try {
  say(`shop started at ${shop.url}, data in ${dataDir}`);
  check(
    await until(() => count("SELECT count(*) AS n FROM events WHERE kind = 'started'") === 1),
    "startup task: ran once after the start",
  );

  let t = performance.now();
  const placed = await post("/orders", customer, { email: "ana@example.com", productId: 3 });
  const { orderId } = (await placed.json()) as { orderId: number };
  const mailed = await until(() => count("SELECT count(*) AS n FROM outbox") === 1);
  const subject = (shop.db.prepare("SELECT subject FROM outbox").get() as { subject: string })
    ?.subject;
  check(
    placed.status === 201 && mailed && subject === `Your order ${orderId}`,
    `deferred call: order ${orderId} placed (${placed.status}); its confirmation reached the ` +
      `outbox ${(performance.now() - t).toFixed(0)} ms later`,
  );
  const refused = await post("/orders", customer, { email: "bo@example.com", productId: 999 });
  check(
    refused.status === 404 && count("SELECT count(*) AS n FROM outbox") === 1,
    `an order for an unknown product: ${refused.status}, and no mail was queued with it`,
  );

  for (const cart of ["c-1", "c-2", "c-3"]) {
    await fetch(`${shop.url}/carts/${cart}`, { method: "PUT", headers: customer });
  }
  t = performance.now();
  const tick = () => post("/_tasks/cron/carts", cronRequestHeaders("carts", secret));
  const ticks = await Promise.all([tick(), tick(), tick()]);
  const expiries = shop.db
    .prepare("SELECT detail FROM events WHERE kind = 'carts-expired'")
    .all() as { detail: string }[];
  check(
    ticks.every((r) => r.status === 200) &&
      expiries.length === 1 &&
      expiries[0]?.detail === "3" &&
      count("SELECT count(*) AS n FROM carts") === 0,
    `periodic task: 3 concurrent cron ticks of "carts" expired the 3 carts once ` +
      `(${(performance.now() - t).toFixed(0)} ms)`,
  );

  const listed = await fetch(`${shop.url}/_tasks/list`, { headers: admin });
  const names = ((await listed.json()) as { name: string }[]).map((task) => task.name);
  const hidden = await fetch(`${shop.url}/_tasks/list`, { headers: customer });
  check(
    names.includes("Rebuild the search index") && ((await hidden.json()) as []).length === 0,
    `callable task: an admin sees "${names.join('", "')}", a customer sees none`,
  );
  const forbidden = await post("/_tasks/execute/rebuild-search-index", customer, { full: true });
  const invalid = await post("/_tasks/execute/rebuild-search-index", admin, { full: "yes" });
  t = performance.now();
  const rebuilt = await post("/_tasks/execute/rebuild-search-index", admin, { full: true });
  const found = (await (await fetch(`${shop.url}/search?q=tea`)).json()) as number[];
  check(
    forbidden.status === 403 && invalid.status === 400 && rebuilt.status === 200,
    `callable task: refused to a customer (${forbidden.status}), bad input refused ` +
      `(${invalid.status}), run for the admin (${rebuilt.status}) in ` +
      `${(performance.now() - t).toFixed(0)} ms: "tea" finds ${found.length} products`,
  );

  t = performance.now();
  const before = count("SELECT sum(price_cents) AS n FROM products");
  const startedRun = await post("/admin/reprice", admin, { percent: 10 });
  const { run } = (await startedRun.json()) as { run: string };
  let progress: { state: string; step: number; totalCount: number } | undefined;
  await until(async () => {
    const answer = await fetch(`${shop.url}/admin/reprice/${run}`, { headers: admin });
    progress = (await answer.json()) as typeof progress;
    return progress?.state === "finished";
  });
  const after = count("SELECT sum(price_cents) AS n FROM products");
  check(
    startedRun.status === 202 && progress?.state === "finished" && after > before,
    `query iterator: repriced ${progress?.totalCount} products by 10% in ${progress?.step} ` +
      `queued steps of up to 50 (${(performance.now() - t).toFixed(0)} ms)`,
  );

  const forged = await fetch(`${shop.url}/_tasks/deferred`, {
    method: "POST",
    headers: { "x-taskgen-signature": "A".repeat(43) },
    body: JSON.stringify({ v: 1, task: "Orders.sendConfirmation", payload: [orderId] }),
  });
  check(
    forged.status === 403 && count("SELECT count(*) AS n FROM outbox") === 1,
    `a forged task request was refused (${forged.status}) and sent no mail`,
  );
} finally {
  await shop.close();
  rmSync(dataDir, { recursive: true, force: true });
}

say(
  failures.length === 0 ? "demo done: every step behaved" : `demo FAILED: ${failures.join("; ")}`,
);
process.exitCode = failures.length === 0 ? 0 : 1;
