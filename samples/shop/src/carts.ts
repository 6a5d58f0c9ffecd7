import { PeriodicTask } from "taskgen";

import { recordEvent } from "./context.js";
import type { ShopDatabase } from "./database.js";

export class Carts {
  constructor(
    private readonly db: ShopDatabase,
    /** How long a cart lives after its last change. */
    private readonly ttlMs: number,
  ) {}

  touch(cartId: string): void {
    this.db
      .prepare(
        "INSERT INTO carts (id, touched_at) VALUES (?, ?) " +
          "ON CONFLICT (id) DO UPDATE SET touched_at = excluded.touched_at",
      )
      .run(cartId, Date.now());
  }

  /** Drops abandoned carts; its own cron group, so it ticks on its own schedule. */
  @PeriodicTask({ interval: "15m", cronName: "carts" })
  async expireCarts(): Promise<void> {
    const { changes } = this.db
      .prepare("DELETE FROM carts WHERE touched_at <= ?")
      .run(Date.now() - this.ttlMs);
    recordEvent("carts-expired", String(changes));
  }
}
