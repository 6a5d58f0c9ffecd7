import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

import {
  createNodeHandler,
  createRuntime,
  sqliteQuerySource,
  type Logger,
  type TaskUser,
} from "taskgen";
import { openEmbeddedQueue, SqliteStateStore, SqliteTransactionMarkers } from "taskgen/embedded";

import { Carts } from "./carts.js";
import { useShopDatabase } from "./context.js";
import { openShopDatabase } from "./database.js";
import { dispatchTable } from "./generated/dispatch.js";
import { Orders, UnknownProduct } from "./orders.js";
import { Reprice } from "./reprice.js";

export interface ShopOptions {
  /** Where the shop's database and its task queue live. */
  readonly dataDir: string;
  /** Signs the shop's tasks; the same in every process of the shop. */
  readonly secret: string;
  readonly port?: number;
  readonly logger?: Logger;
  /** How long a cart lives after its last change; one hour by default. */
  readonly cartTtlMs?: number;
}

/** The demo's sign-in: a bearer token per user. A real shop asks its session store. */
const USERS: Readonly<Record<string, TaskUser>> = {
  "admin-token": { id: "ada", role: "admin" },
  "customer-token": { id: "carl", role: "customer" },
};

function userOf(authorization: string | undefined): TaskUser | undefined {
  const token = /^Bearer (\S+)$/.exec(authorization ?? "")?.[1];
  return token !== undefined && Object.hasOwn(USERS, token) ? USERS[token] : undefined;
}

/**
 * Starts the shop: its HTTP API, and its tasks on the embedded queue behind `/_tasks`. Resolves
 * once it listens on 127.0.0.1.
 */
export async function startShop(options: ShopOptions) {
  const db = openShopDatabase(path.join(options.dataDir, "shop.sqlite"));
  useShopDatabase(db);
  const markers = new SqliteTransactionMarkers(db);
  const orders = new Orders(db, markers);
  const carts = new Carts(db, options.cartTtlMs ?? 60 * 60_000);
  const tasksFile = path.join(options.dataDir, "tasks.sqlite");
  const logger = options.logger;

  const runtime = createRuntime({
    table: dispatchTable,
    instances: { Orders: orders, Carts: carts },
    transport: openEmbeddedQueue({ path: tasksFile, pollMs: 20, ...(logger && { logger }) }),
    state: new SqliteStateStore(tasksFile),
    secret: options.secret,
    authenticate: async (request) => userOf(request.headers["authorization"]),
    transactionMarkers: markers,
    querySources: { shop: sqliteQuerySource(db) },
    ...(logger && { logger }),
  });
  const tasks = createNodeHandler(runtime);

  const server: Server = createServer((req, res) => {
    void tasks(req, res, () => {
      api(req, res).catch((error: unknown) => {
        logger?.error(`${req.method} ${req.url} failed: ${String(error)}`);
        send(res, 500, { error: "Internal error" });
      });
    });
  });

  /** The shop's own endpoints. */
  async function api(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://shop");
    const route = `${req.method} ${url.pathname}`;
    const user = userOf(req.headers.authorization);

    if (route === "POST /orders") {
      const body = (await readJson(req)) as {
        email?: unknown;
        productId?: unknown;
        quantity?: unknown;
      };
      if (typeof body.email !== "string" || !Number.isInteger(body.productId)) {
        return send(res, 400, { error: "An order needs an email and a productId" });
      }
      const quantity = Number.isInteger(body.quantity) ? (body.quantity as number) : 1;
      try {
        const orderId = await orders.place(body.email, body.productId as number, quantity);
        return send(res, 201, { orderId });
      } catch (error) {
        if (error instanceof UnknownProduct) return send(res, 404, { error: error.message });
        throw error;
      }
    }
    const cart = /^PUT \/carts\/([\w-]{1,64})$/.exec(route);
    if (cart) {
      carts.touch(cart[1]!);
      return send(res, 204, undefined);
    }
    if (route === "GET /search") {
      const term = (url.searchParams.get("q") ?? "").toLowerCase();
      const ids = db
        .prepare("SELECT product_id FROM search_index WHERE term = ? ORDER BY product_id")
        .all(term) as { product_id: number }[];
      return send(
        res,
        200,
        ids.map((row) => row.product_id),
      );
    }
    if (route === "POST /admin/reprice") {
      if (user?.["role"] !== "admin") return send(res, 403, { error: "Admins only" });
      const body = (await readJson(req)) as { percent?: unknown };
      if (typeof body.percent !== "number") return send(res, 400, { error: "Give a percent" });
      const run = await Reprice.startIterOnQuery(
        { source: "shop", table: "products", orderBy: [{ field: "id" }] },
        { percent: body.percent, changed: 0 },
      );
      return send(res, 202, { run });
    }
    const progress = /^GET \/admin\/reprice\/([a-z0-9-]+)$/.exec(route);
    if (progress) {
      if (user?.["role"] !== "admin") return send(res, 403, { error: "Admins only" });
      const found = await runtime.iterProgress(progress[1]!);
      return found ? send(res, 200, found) : send(res, 404, { error: "No such run" });
    }
    send(res, 404, { error: "Not found" });
  }

  await runtime.start();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    runtime,
    db,
    async close(): Promise<void> {
      await new Promise((resolve) => server.close(resolve));
      await runtime.stop({ graceMs: 5_000 });
      useShopDatabase(undefined);
      db.close();
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 64 * 1024) throw new Error("The request body is too large");
  }
  try {
    return text === "" ? {} : JSON.parse(text);
  } catch {
    return {};
  }
}
