import { callDeferred, withCallOptions } from "taskgen";
import type { SqliteTransactionMarkers } from "taskgen/embedded";

import type { ShopDatabase } from "./database.js";

export class UnknownProduct extends Error {}

export class Orders {
  constructor(
    private readonly db: ShopDatabase,
    private readonly markers: SqliteTransactionMarkers,
  ) {}

  /**
   * Places an order and queues its confirmation mail in one transaction: if the order is not
   * written, the mail is never sent.
   */
  async place(email: string, productId: number, quantity: number): Promise<number> {
    let queued: Promise<void> | undefined;
    const orderId = this.db.transaction(() => {
      const product = this.db.prepare("SELECT id FROM products WHERE id = ?").get(productId);
      if (!product) throw new UnknownProduct(`No product ${productId}`);
      const { lastInsertRowid } = this.db
        .prepare("INSERT INTO orders (email, product_id, quantity, placed_at) VALUES (?, ?, ?, ?)")
        .run(email, productId, quantity, new Date().toISOString());
      const id = Number(lastInsertRowid);
      // The call writes its marker now, inside this transaction, and is queued right after.
      queued = withCallOptions({ transaction: this.markers.transaction }, () =>
        this.sendConfirmation(id),
      );
      return id;
    })();
    await queued;
    return orderId;
  }

  /** Writes the order's confirmation mail to the outbox, which a mailer process sends. */
  @callDeferred({ queue: "mail" })
  async sendConfirmation(orderId: number): Promise<void> {
    const order = this.db
      .prepare(
        `SELECT o.email, o.quantity, p.name, p.price_cents FROM orders o
         JOIN products p ON p.id = o.product_id WHERE o.id = ?`,
      )
      .get(orderId) as
      { email: string; quantity: number; name: string; price_cents: number } | undefined;
    if (!order) return;
    const total = ((order.price_cents * order.quantity) / 100).toFixed(2);
    this.db
      .prepare("INSERT INTO outbox (recipient, subject, body, queued_at) VALUES (?, ?, ?, ?)")
      .run(
        order.email,
        `Your order ${orderId}`,
        `${order.quantity} x ${order.name}, ${total} EUR. Thank you!`,
        new Date().toISOString(),
      );
  }
}
