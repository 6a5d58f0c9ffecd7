import { runningSink } from "./deferred-call.js";
import type { IterQuery } from "./query/iter-query.js";

/**
 * The base of a query iterator: it walks the results of a datastore query in steps of
 * `chunkSize` entries, each step a task of its own, so no single request times out. Extend it,
 * directly or not, and taskgen registers every non-abstract subclass. `CustomData` travels with
 * every step; changes the hooks make to it carry on into later steps.
 *
 * @example
 * class Reprice extends QueryIter<Product, { factor: number }> {
 *   async handleEntry(product: Product, data: { factor: number }) {}
 * }
 */
export abstract class QueryIter<Entry, CustomData = undefined> {
  /** Entries per step; taskgen reads a subclass's literal value at build time. */
  static readonly chunkSize: number = 5;

  /**
   * Starts walking `query` with this iterator: returns the run id as soon as the first step is
   * queued, through the running runtime. A query that cannot be resumed by cursor is refused
   * with the reason (see `IterQuery`).
   *
   * @example
   * const run = await Reprice.startIterOnQuery(
   *   { source: "shop", table: "products", orderBy: [{ field: "id" }] },
   *   { factor: 1.1 },
   * );
   */
  static startIterOnQuery<T extends QueryIter<never, unknown>>(
    this: new () => T,
    query: IterQuery,
    ...customData: CustomDataArgument<T>
  ): Promise<string> {
    try {
      return runningSink("A query iterator was started").startIterOf(this, query, customData[0]);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Handles one entry. A failure is retried once; a second one goes to `handleError`. */
  abstract handleEntry(entry: Entry, customData: CustomData): Promise<void> | void;

  /** Runs once after the last step with the number of entries handled. Does nothing by default. */
  handleFinish(totalCount: number, customData: CustomData): Promise<void> | void {
    void totalCount;
    void customData;
  }

  /**
   * Decides, after an entry failed twice, whether to go on with the next entry (`true`, the
   * default) or to stop the whole iteration (`false`).
   */
  handleError(entry: Entry, customData: CustomData, error: unknown): boolean | Promise<boolean> {
    void entry;
    void customData;
    void error;
    return true;
  }
}

/** The custom data argument of an iterator: optional when its type admits undefined. */
type CustomDataArgument<T> =
  T extends QueryIter<never, infer CustomData>
    ? undefined extends CustomData
      ? [customData?: CustomData]
      : [customData: CustomData]
    : never;
