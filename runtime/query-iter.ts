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
  /** Entries per step. */
  static readonly chunkSize: number = 5;

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
