import {
  CallableTask,
  CallableTaskBase,
  QueryIter,
  definePeriodic,
  defineDeferred,
  type TaskUser,
} from "taskgen";

export interface Product {
  readonly sku: string;
  readonly price: number;
}

/** Started by a permitted user from the task list. */
@CallableTask({ id: "rebuild-search-index" })
export class RebuildSearchIndex extends CallableTaskBase<{ full: boolean }> {
  override readonly name = "Rebuild the search index";

  override canCall(user: TaskUser | undefined): boolean {
    return user?.["role"] === "admin";
  }

  async execute(input: { full: boolean }): Promise<void> {
    void input;
  }
}

/** Walks every product in steps, carrying the factor from step to step. */
export class Reprice extends QueryIter<Product, { factor: number }> {
  static readonly chunkSize = 100;

  async handleEntry(entry: Product, customData: { factor: number }): Promise<void> {
    void [entry, customData];
  }
}

export const sendDigest = defineDeferred(async (to: string, day: Date) => {
  void [to, day];
});

export const purgeOutbox = definePeriodic({ interval: "1d", cronName: "daily" }, async () => {});
