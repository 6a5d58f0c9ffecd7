import { sign } from "../codec/signature.js";

/**
 * The headers that prove a cron request to the task handler, for a scheduler of your own:
 * a signature of the group and the time, valid for five minutes.
 *
 * @example
 * await fetch(`${base}/_tasks/cron/hourly`, { headers: cronRequestHeaders("hourly", secret) });
 */
export function cronRequestHeaders(
  group: string,
  secret: string | Uint8Array,
  now: number = Date.now(),
): Record<string, string> {
  return {
    "x-taskgen-timestamp": String(now),
    "x-taskgen-signature": sign(`cron:${group}:${now}`, secret),
  };
}
