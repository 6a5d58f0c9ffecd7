import type { Runtime } from "../create-runtime.js";
import { handleTaskRequest, type HandlerOptions } from "./handle-task-request.js";
import { BodyTooLarge, type TaskRequest } from "./task-request.js";

/**
 * The task endpoints for servers built on Web `Request` and `Response` (Deno, Bun, Hono,
 * Next.js route handlers, Cloudflare-style fetch handlers).
 *
 * @example
 * const tasks = createWebHandler(runtime);
 * export default { fetch: (request: Request) => tasks(request) };
 */
export function createWebHandler<Instances>(runtime: Runtime<Instances>, options?: HandlerOptions) {
  return async (incoming: Request): Promise<Response> => {
    const url = new URL(incoming.url);
    const headers: Record<string, string> = {};
    incoming.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });

    const request: TaskRequest = {
      method: incoming.method,
      path: url.pathname,
      headers,
      body: async (limit) => {
        if (Number(incoming.headers.get("content-length")) > limit) throw new BodyTooLarge(limit);
        const text = await incoming.text();
        if (new TextEncoder().encode(text).length > limit) throw new BodyTooLarge(limit);
        return text;
      },
    };
    try {
      const { status, body } = await handleTaskRequest(runtime, request, options);
      return Response.json(body, { status });
    } catch (error) {
      runtime.context.logger.error(`The task handler failed: ${String(error)}`);
      return Response.json({ error: "Internal error" }, { status: 500 });
    }
  };
}
