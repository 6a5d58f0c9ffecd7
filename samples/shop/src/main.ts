/**
 * Runs the shop until it is stopped (Ctrl-C):
 *
 *   TASKGEN_SECRET=... PORT=8080 node --import tsx samples/shop/src/main.ts
 *
 * Data goes to `DATA_DIR` (default `samples/shop/data`); the cron groups tick locally, as App
 * Engine would tick them from the generated `cron.yaml`.
 */
import { mkdirSync } from "node:fs";

import { startCronTicker, type Logger } from "taskgen";

import { startShop } from "./server.js";

const secret = process.env["TASKGEN_SECRET"];
if (!secret || secret.length < 16) {
  process.stderr.write("Set TASKGEN_SECRET to a secret of at least 16 characters\n");
  process.exit(2);
}
const dataDir = process.env["DATA_DIR"] ?? "samples/shop/data";
mkdirSync(dataDir, { recursive: true });

const logger: Logger = {
  error: (message) => console.error(`error ${message}`),
  warn: (message) => console.warn(`warn  ${message}`),
  info: (message) => console.info(`info  ${message}`),
  debug: () => {},
};
const shop = await startShop({
  dataDir,
  secret,
  port: Number(process.env["PORT"] ?? 8080),
  logger,
});
const ticker = startCronTicker(shop.runtime);
logger.info(`the shop listens on ${shop.url}`);

process.once("SIGINT", () => {
  ticker.stop();
  void shop.close().then(() => logger.info("stopped"));
});
