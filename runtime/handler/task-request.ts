/** A request to the task handler, whatever server it came through. */
export interface TaskRequest {
  readonly method: string;
  /** The path, without the query string. */
  readonly path: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Reads the body as text; refuses bodies over `limit` bytes with a `BodyTooLarge`. */
  readonly body: (limit: number) => Promise<string>;
}

/** The handler's answer. */
export interface TaskResponse {
  readonly status: number;
  readonly body: unknown;
}

export class BodyTooLarge extends Error {
  constructor(limit: number) {
    super(`The request body is larger than ${limit} bytes`);
    this.name = "BodyTooLarge";
  }
}
