import Database from "better-sqlite3";

export type ShopDatabase = Database.Database;

/** A product as the `products` table holds it. */
export interface ProductRow {
  readonly id: number;
  readonly name: string;
  readonly price_cents: number;
}

/**
 * Opens the shop's database, creating its tables and a few products on first use. The task
 * queue lives in a file of its own; the outbox, carts and search index live here, beside the
 * orders they belong to.
 */
export function openShopDatabase(path: string): ShopDatabase {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  db.exec(`
    CREATE TABLE IF NOT EXISTS products (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      price_cents INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS orders (
      id INTEGER PRIMARY KEY,
      email TEXT NOT NULL,
      product_id INTEGER NOT NULL REFERENCES products (id),
      quantity INTEGER NOT NULL,
      placed_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS outbox (
      id INTEGER PRIMARY KEY,
      recipient TEXT NOT NULL,
      subject TEXT NOT NULL,
      body TEXT NOT NULL,
      queued_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS carts (
      id TEXT PRIMARY KEY,
      touched_at INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS search_index (
      term TEXT NOT NULL,
      product_id INTEGER NOT NULL,
      PRIMARY KEY (term, product_id)
    );
    CREATE TABLE IF NOT EXISTS events (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      detail TEXT NOT NULL
    );
  `);
  const { n } = db.prepare("SELECT count(*) AS n FROM products").get() as { n: number };
  if (n === 0) {
    const insert = db.prepare("INSERT INTO products (name, price_cents) VALUES (?, ?)");
    db.transaction(() => {
      for (let i = 1; i <= 120; i++) insert.run(`Tea No. ${i}`, 300 + i * 7);
    })();
  }
  return db;
}
