import { CallableTask, CallableTaskBase, type TaskUser } from "taskgen";

import { recordEvent, shopDatabase } from "./context.js";

export interface RebuildInput {
  /** Rebuild from scratch instead of adding what is missing. */
  readonly full: boolean;
}

/** Rebuilds the product search index; started by an admin from the task list. */
@CallableTask({ id: "rebuild-search-index" })
export class RebuildSearchIndex extends CallableTaskBase<RebuildInput> {
  override readonly name = "Rebuild the search index";
  override readonly description = "Indexes every word of every product name";

  override canCall(user: TaskUser | undefined): boolean {
    return user?.["role"] === "admin";
  }

  execute(input: RebuildInput): void {
    const db = shopDatabase();
    const products = db.prepare("SELECT id, name FROM products").all() as {
      id: number;
      name: string;
    }[];
    const insert = db.prepare(
      "INSERT INTO search_index (term, product_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
    );
    db.transaction(() => {
      if (input.full) db.exec("DELETE FROM search_index");
      for (const product of products) {
        for (const term of product.name.toLowerCase().split(/\W+/)) {
          if (term !== "") insert.run(term, product.id);
        }
      }
    })();
    recordEvent("search-index", `${products.length} products`);
  }
}
