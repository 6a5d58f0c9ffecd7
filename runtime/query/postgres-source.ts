import type { Cursor, IterQuery } from "./iter-query.js";
import { keysetSelect, quote, type SqlDialect } from "./keyset-sql.js";
import type { QuerySource } from "./query-source.js";
import { walkProblem, type TableFacts } from "./source-check.js";

/** The part of a `pg` `Pool` or `Client` the source uses. */
export interface PostgresQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

const POSTGRES: SqlDialect = {
  placeholder: (n) => `$${n}`,
  // Sent as text, a big integer is cast by the server to the column's type, without loss.
  bind: (value) => (typeof value === "bigint" ? value.toString() : value),
};

/**
 * A query source over a PostgreSQL database through `pg`: entries are the rows of a table in
 * the connection's current schema. taskgen does not load `pg`; the app passes its pool.
 *
 * @example
 * createRuntime({ ..., querySources: { shop: postgresQuerySource(new pg.Pool()) } });
 */
export function postgresQuerySource(pool: PostgresQueryable): QuerySource {
  return {
    async check(query: IterQuery) {
      return walkProblem(query, await tableFacts(pool, query.table));
    },
    async fetch(query: IterQuery, cursor: Cursor | undefined, limit: number) {
      const { text, values } = keysetSelect(POSTGRES, query, cursor, limit);
      return (await pool.query(text, values)).rows as Record<string, unknown>[];
    },
  };
}

async function tableFacts(pool: PostgresQueryable, table: string): Promise<TableFacts | undefined> {
  const relation = quote(table);
  const columns = (
    await pool.query(
      `SELECT a.attname AS name, NOT a.attnotnull AS nullable FROM pg_attribute a
       WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`,
      [relation],
    )
  ).rows as { name: string; nullable: boolean }[];
  if (columns.length === 0) return undefined;

  // attname is of type name, and pg parses no name[]: cast to text so columns come as an array.
  const indexes = (
    await pool.query(
      `SELECT array(SELECT a.attname::text FROM unnest(i.indkey) AS k
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k) AS columns
       FROM pg_index i
       WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indisvalid
         AND i.indpred IS NULL AND i.indexprs IS NULL`,
      [relation],
    )
  ).rows as { columns: string[] }[];

  return {
    columns: new Map(columns.map((c) => [c.name, { nullable: c.nullable }])),
    uniqueSets: indexes.map((index) => index.columns),
  };
}
