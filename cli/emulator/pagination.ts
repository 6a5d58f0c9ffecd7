import { invalidArgument } from "./rpc-error.js";

export interface Page<T> {
  readonly items: readonly T[];
  /** Empty on the last page, as the Cloud Tasks API answers. */
  readonly nextPageToken: string;
}

/**
 * One page of `items`: at most `pageSize` (the maximum when 0), from the position a previous
 * page's token names. Tokens are opaque to callers; here they encode an offset.
 */
export function page<T>(
  items: readonly T[],
  pageSize: number | undefined,
  pageToken: string | undefined,
  maxPageSize: number,
): Page<T> {
  if (pageSize !== undefined && pageSize < 0) {
    throw invalidArgument(`page_size must not be negative, not ${pageSize}`);
  }
  const size = Math.min(pageSize || maxPageSize, maxPageSize);
  const start = pageToken ? offsetOf(pageToken) : 0;
  const end = start + size;

  return {
    items: items.slice(start, end),
    nextPageToken: end < items.length ? Buffer.from(`offset:${end}`).toString("base64url") : "",
  };
}

function offsetOf(token: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (!match) throw invalidArgument(`page_token ${JSON.stringify(token)} is not one this API gave`);
  return Number(match[1]);
}
