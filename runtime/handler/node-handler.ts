import type { Runtime } from "../create-runtime.js";
import { handleTaskRequest, type HandlerOptions } from "./handle-task-request.js";
import { BodyTooLarge, type TaskRequest } from "./task-request.js";

/**
 * The task endpoints as a Node `http` request listener. Requests outside the base path are
 * passed to `next` when given (Express and Connect style), else answered 404.
 *
 * @example
 * const tasks = createNodeHandler(runtime);
 * http.createServer((req, res) => tasks(req, res, () => app(req, res))).listen(8080);
 */
/**
 * The parts of Node's `IncomingMessage` the handler uses; declared here so the package's types
 * do not require `@types/node` of an app that never calls this.
 */
export interface NodeRequestLike {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  on(event: "end", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  destroy(): unknown;
}

/** The parts of Node's `ServerResponse` the handler uses. */
export interface NodeResponseLike {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body: string): unknown;
}

export function createNodeHandler<Instances>(
  runtime: Runtime<Instances>,
  options?: HandlerOptions,
) {
  const base = (options?.basePath ?? "/_tasks").replace(/\/+$/, "") + "/";

  return async (req: NodeRequestLike, res: NodeResponseLike, next?: () => void): Promise<void> => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (next && !path.startsWith(base)) return next();

    const request: TaskRequest = {
      method: req.method ?? "GET",
      path,
      headers: lowerCaseHeaders(req.headers),
      body: (limit) => readBody(req, limit),
    };
    try {
      const response = await handleTaskRequest(runtime, request, options);
      send(res, response.status, response.body);
    } catch (error) {
      runtime.context.logger.error(`The task handler failed: ${String(error)}`);
      send(res, 500, { error: "Internal error" });
    }
  };
}

function lowerCaseHeaders(headers: NodeRequestLike["headers"]): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    result[name.toLowerCase()] = typeof value === "object" ? value.join(", ") : value;
  }
  return result;
}

function readBody(req: NodeRequestLike, limit: number): Promise<string> {
  if (Number(req.headers["content-length"]) > limit) return Promise.reject(new BodyTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge(limit));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: NodeResponseLike, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(text);
}
