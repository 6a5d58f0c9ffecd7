import { directionOf, type Cursor, type Filter, type IterQuery } from "./iter-query.js";

/** How one SQL database spells parameters and binds values. */
export interface SqlDialect {
  /** The placeholder of the `n`th value, from 1: `?` or `$n`. */
  placeholder(n: number): string;
  /** A value as the driver takes it. */
  bind(value: unknown): unknown;
}

export interface SqlQuery {
  readonly text: string;
  readonly values: unknown[];
}

/**
 * The SELECT of one step of a keyset walk: the query's filters, then "after the cursor" in the
 * query's order, then the order and the limit. Identifiers were checked to be plain
 * (`queryShapeProblem`) and are quoted; every value is a parameter.
 */
export function keysetSelect(
  dialect: SqlDialect,
  query: IterQuery,
  cursor: Cursor | undefined,
  limit: number,
): SqlQuery {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(dialect.bind(value));
    return dialect.placeholder(values.length);
  };

  const conditions = (query.where ?? []).map((filter) => filterSql(filter, param));
  if (cursor !== undefined) conditions.push(afterCursor(query, cursor, param));

  const order = query.orderBy
    .map((o) => `${quote(o.field)} ${directionOf(o) === "asc" ? "ASC" : "DESC"}`)
    .join(", ");
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(" AND ")}` : "";
  const text = `SELECT * FROM ${quote(query.table)}${where} ORDER BY ${order} LIMIT ${limit}`;
  return { text, values };
}

export function quote(identifier: string): string {
  return `"${identifier}"`;
}

function filterSql(filter: Filter, param: (value: unknown) => string): string {
  const field = quote(filter.field);
  switch (filter.op) {
    case "is null":
      return `${field} IS NULL`;
    case "is not null":
      return `${field} IS NOT NULL`;
    case "in":
    case "not in": {
      // `IN ()` is not SQL: an empty list matches nothing, or, negated, everything.
      if (filter.value.length === 0) return filter.op === "in" ? "1 = 0" : "1 = 1";
      const list = filter.value.map(param).join(", ");
      return `${field} ${filter.op === "in" ? "IN" : "NOT IN"} (${list})`;
    }
    default:
      return `${field} ${filter.op === "!=" ? "<>" : filter.op} ${param(filter.value)}`;
  }
}

/**
 * Entries strictly after `cursor` in the query's order. With one direction throughout, a row
 * value comparison, which both SQLite and PostgreSQL answer from an index; with mixed
 * directions, the expanded form: a > x OR (a = x AND b < y) OR ...
 */
function afterCursor(query: IterQuery, cursor: Cursor, param: (value: unknown) => string): string {
  const orders = query.orderBy;
  const first = directionOf(orders[0]!);
  if (orders.every((o) => directionOf(o) === first)) {
    const fields = orders.map((o) => quote(o.field)).join(", ");
    const params = orders.map((_, i) => param(cursor[i])).join(", ");
    return `(${fields}) ${first === "asc" ? ">" : "<"} (${params})`;
  }

  const alternatives: string[] = [];
  for (let i = 0; i < orders.length; i++) {
    const parts: string[] = [];
    for (let j = 0; j < i; j++) parts.push(`${quote(orders[j]!.field)} = ${param(cursor[j])}`);
    const op = directionOf(orders[i]!) === "asc" ? ">" : "<";
    parts.push(`${quote(orders[i]!.field)} ${op} ${param(cursor[i])}`);
    alternatives.push(`(${parts.join(" AND ")})`);
  }
  return `(${alternatives.join(" OR ")})`;
}
