import http from "node:http";
import https from "node:https";

export interface OutgoingRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** The dispatch deadline: the request is abandoned, as failed, after this long. */
  readonly timeoutMs: number;
}

/** A response's status code, or why there was none. */
export type HttpResult =
  { readonly status: number } | { readonly error: string; readonly timedOut: boolean };

/**
 * Sends the emulator's HTTP requests (task attempts and cron requests) and ends them all on
 * `close`. It keeps no connections alive between requests, so a closed emulator leaves nothing
 * running. Redirects are not followed; the response body is read and dropped.
 */
export class HttpSender {
  readonly #stop = new AbortController();
  readonly #agents = {
    "http:": new http.Agent({ keepAlive: false }),
    "https:": new https.Agent({ keepAlive: false }),
  };

  send(request: OutgoingRequest): Promise<HttpResult> {
    if (this.#stop.signal.aborted) {
      return Promise.resolve({ error: "the emulator is closing", timedOut: false });
    }
    const url = new URL(request.url);
    const headers: Record<string, string> = { ...request.headers };
    if (request.body.length > 0 || ["POST", "PUT", "PATCH"].includes(request.method)) {
      headers["Content-Length"] = String(request.body.length);
    }

    return new Promise((resolve) => {
      const outgoing = (url.protocol === "https:" ? https : http).request(url, {
        method: request.method,
        headers,
        agent: url.protocol === "https:" ? this.#agents["https:"] : this.#agents["http:"],
        signal: this.#stop.signal,
      });
      let timedOut = false;
      const deadline = setTimeout(() => {
        timedOut = true;
        outgoing.destroy(new Error(`no response within the ${request.timeoutMs} ms deadline`));
      }, request.timeoutMs);
      const settle = (result: HttpResult) => {
        clearTimeout(deadline);
        resolve(result);
      };

      outgoing.on("response", (response) => {
        response.resume();
        response.on("end", () => settle({ status: response.statusCode ?? 0 }));
        response.on("error", (error) => settle({ error: error.message, timedOut }));
      });
      outgoing.on("error", (error) => settle({ error: error.message, timedOut }));
      outgoing.end(request.body.length > 0 ? request.body : undefined);
    });
  }

  /** Abandons the requests under way. */
  close(): void {
    this.#stop.abort();
    this.#agents["http:"].destroy();
    this.#agents["https:"].destroy();
  }
}
