import type { ShopDatabase } from "./database.js";

/**
 * The database of the running shop. Callable tasks and query iterators are created by the
 * runtime, without constructor arguments, so they find it here; classes the app creates itself
 * (`Orders`, `Carts`) take it in their constructor instead.
 */
let current: ShopDatabase | undefined;

export function useShopDatabase(db: ShopDatabase | undefined): void {
  current = db;
}

export function shopDatabase(): ShopDatabase {
  if (!current) throw new Error("The shop's database is not open");
  return current;
}

/** Writes a line to the `events` table, which the demo reads to tell what happened. */
export function recordEvent(kind: string, detail: string): void {
  shopDatabase().prepare("INSERT INTO events (kind, detail) VALUES (?, ?)").run(kind, detail);
}
