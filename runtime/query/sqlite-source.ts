import type { Cursor, IterQuery } from "./iter-query.js";
import { keysetSelect, quote, type SqlDialect } from "./keyset-sql.js";
import type { QuerySource } from "./query-source.js";
import { walkProblem, type TableFacts } from "./source-check.js";

/** The part of a better-sqlite3 `Database` the source uses. */
export interface SqliteDatabaseLike {
  prepare(sql: string): { all(...params: unknown[]): unknown[] };
}

const SQLITE: SqlDialect = {
  placeholder: () => "?",
  // SQLite has no boolean or date type: store them as the app does, 1/0 and ISO text.
  bind: (value) =>
    typeof value === "boolean"
      ? value
        ? 1
        : 0
      : value instanceof Date
        ? value.toISOString()
        : value,
};

/**
 * A query source over an app's better-sqlite3 database: entries are the rows of a table.
 *
 * @example
 * createRuntime({ ..., querySources: { shop: sqliteQuerySource(db) } });
 */
export function sqliteQuerySource(db: SqliteDatabaseLike): QuerySource {
  const statements = new Map<string, { all(...params: unknown[]): unknown[] }>();
  const prepared = (text: string) => {
    let statement = statements.get(text);
    if (!statement) statements.set(text, (statement = db.prepare(text)));
    return statement;
  };

  return {
    async check(query: IterQuery) {
      return walkProblem(query, tableFacts(db, query.table));
    },
    async fetch(query: IterQuery, cursor: Cursor | undefined, limit: number) {
      const { text, values } = keysetSelect(SQLITE, query, cursor, limit);
      return prepared(text).all(...values) as Record<string, unknown>[];
    },
  };
}

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

function tableFacts(db: SqliteDatabaseLike, table: string): TableFacts | undefined {
  const columns = db.prepare(`PRAGMA table_info(${quote(table)})`).all() as ColumnInfo[];
  if (columns.length === 0) return undefined;

  const primary = columns.filter((c) => c.pk > 0).map((c) => c.name);
  // An INTEGER PRIMARY KEY is the rowid, never null; other key columns of a rowid table may be.
  const rowid = primary.length === 1 && columns.some((c) => c.pk > 0 && /^integer$/i.test(c.type));
  const uniqueSets: string[][] = primary.length > 0 ? [primary] : [];
  const indexes = db.prepare(`PRAGMA index_list(${quote(table)})`).all() as {
    name: string;
    unique: number;
    partial: number;
  }[];
  for (const index of indexes) {
    if (!index.unique || index.partial) continue;
    const parts = db.prepare(`PRAGMA index_info(${quote(index.name)})`).all() as {
      cid: number;
      name: string | null;
    }[];
    // An expression index (cid -2) says nothing about the columns themselves.
    if (parts.every((p) => p.cid >= 0 && p.name !== null)) {
      uniqueSets.push(parts.map((p) => p.name as string));
    }
  }

  return {
    columns: new Map(
      columns.map((c) => [c.name, { nullable: c.notnull === 0 && !(rowid && c.pk > 0) }]),
    ),
    uniqueSets,
  };
}
