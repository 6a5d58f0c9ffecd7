import { createHash } from "node:crypto";

/** Cloud Tasks' limit on a task id, the last part of a task name. */
const MAX_TASK_ID = 500;
const DIGEST_LENGTH = 16;

/**
 * The Cloud Tasks task id of a dedup name: 16 hex digits of the name's SHA-256, a hyphen, then
 * the name with every character Cloud Tasks does not allow in a task id (anything but
 * `A-Z a-z 0-9 - _`) replaced by `_`, cut to the 500-character limit.
 *
 * The same name always gives the same id, in every process, so dedup works across instances.
 * The digest keeps names apart that differ only in replaced characters (`a.b` and `a:b`) or
 * beyond the cut, and it spreads ids evenly, as Cloud Tasks asks of named tasks: names with a
 * common prefix, such as a query iterator's steps `iter-<run>-<step>`, would otherwise be slow
 * to create. The readable part is there for people looking at the queue in the console.
 *
 * @example
 * cloudTaskId("confirm order/42"); // "<16 hex digits>-confirm_order_42"
 */
export function cloudTaskId(name: string): string {
  const digest = createHash("sha256").update(name, "utf8").digest("hex").slice(0, DIGEST_LENGTH);
  const readable = name.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, MAX_TASK_ID - DIGEST_LENGTH - 1);
  return readable === "" ? digest : `${digest}-${readable}`;
}
