import { QueryIter } from "taskgen";

import { recordEvent, shopDatabase } from "./context.js";
import type { ProductRow } from "./database.js";

export interface RepriceData {
  /** The change in percent: 10 raises every price by a tenth. */
  readonly percent: number;
  /** Products changed so far; carried from step to step. */
  changed: number;
}

/** Changes every product's price, in queued steps of 50 products. */
export class Reprice extends QueryIter<ProductRow, RepriceData> {
  static override readonly chunkSize = 50;

  handleEntry(product: ProductRow, data: RepriceData): void {
    const price = Math.round((product.price_cents * (100 + data.percent)) / 100);
    shopDatabase()
      .prepare("UPDATE products SET price_cents = ? WHERE id = ?")
      .run(price, product.id);
    data.changed++;
  }

  override handleFinish(totalCount: number, data: RepriceData): void {
    recordEvent("repriced", `${data.changed} of ${totalCount} by ${data.percent}%`);
  }
}
