import type { Cursor, IterQuery } from "./iter-query.js";

/**
 * Where a query iterator's entries come from. A source walks a query by keyset: each fetch
 * starts strictly after the cursor, in the query's order, so a step that is retried fetches
 * the same entries, and entries added or removed elsewhere never shift the walk.
 */
export interface QuerySource<Entry = Record<string, unknown>> {
  /**
   * Why this source cannot walk `query` by cursor (an unknown table or field, an order that is
   * not unique or may be null), or undefined. Called when a run starts.
   */
  check(query: IterQuery): Promise<string | undefined>;

  /** At most `limit` entries after `cursor` (from the start when undefined), in order. */
  fetch(query: IterQuery, cursor: Cursor | undefined, limit: number): Promise<readonly Entry[]>;
}

/** The cursor after `entry`: the values of its order fields. */
export function cursorOf(query: IterQuery, entry: unknown): Cursor {
  const record = entry as Record<string, unknown>;
  return query.orderBy.map((order) => record[order.field]);
}
