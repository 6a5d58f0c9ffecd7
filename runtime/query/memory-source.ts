import { directionOf, type Cursor, type Filter, type IterQuery } from "./iter-query.js";
import type { QuerySource } from "./query-source.js";

type Row = Readonly<Record<string, unknown>>;

/**
 * A query source over arrays in memory, by collection name: for tests and small data. Each
 * fetch filters and sorts the collection anew, so changes to the arrays between steps are seen
 * as a database's would be.
 *
 * @example
 * createRuntime({ ..., querySources: { fixtures: memoryQuerySource({ products }) } });
 */
export function memoryQuerySource(
  collections: Readonly<Record<string, readonly Row[]>>,
): QuerySource {
  const rowsOf = (query: IterQuery) =>
    Object.hasOwn(collections, query.table) ? collections[query.table] : undefined;

  return {
    async check(query: IterQuery) {
      const rows = rowsOf(query);
      if (!rows) return `there is no collection ${query.table}`;
      // No schema to ask: the rows themselves must show the order is unique and never null.
      const seen = new Set<string>();
      for (const row of rows.filter((r) => matches(r, query.where ?? []))) {
        const values = query.orderBy.map((o) => row[o.field]);
        const missing = values.findIndex((v) => v === null || v === undefined);
        if (missing !== -1) {
          return `an entry of ${query.table} has no ${query.orderBy[missing]!.field}, so a walk by cursor would skip it`;
        }
        const key = values.map(keyText).join("\u0000");
        if (seen.has(key)) {
          return `the order (${query.orderBy.map((o) => o.field).join(", ")}) is not unique in ${query.table}`;
        }
        seen.add(key);
      }
      return undefined;
    },

    async fetch(query: IterQuery, cursor: Cursor | undefined, limit: number) {
      const compare = (a: Row, b: Row) => compareRows(query, a, b);
      const after = cursor && Object.fromEntries(query.orderBy.map((o, i) => [o.field, cursor[i]]));
      return (rowsOf(query) ?? [])
        .filter((row) => matches(row, query.where ?? []) && (!after || compare(row, after) > 0))
        .sort(compare)
        .slice(0, limit);
    },
  };
}

function matches(row: Row, filters: readonly Filter[]): boolean {
  return filters.every((filter) => {
    const value = row[filter.field];
    switch (filter.op) {
      case "is null":
        return value === null || value === undefined;
      case "is not null":
        return value !== null && value !== undefined;
      case "in":
        return filter.value.some((v) => compareValues(value, v) === 0);
      case "not in":
        return !filter.value.some((v) => compareValues(value, v) === 0);
      default: {
        const order = compareValues(value, filter.value);
        if (Number.isNaN(order)) return false;
        switch (filter.op) {
          case "=":
            return order === 0;
          case "!=":
            return order !== 0;
          case "<":
            return order < 0;
          case "<=":
            return order <= 0;
          case ">":
            return order > 0;
          case ">=":
            return order >= 0;
        }
      }
    }
  });
}

function compareRows(query: IterQuery, a: Row, b: Row): number {
  for (const order of query.orderBy) {
    const c = compareValues(a[order.field], b[order.field]);
    if (c !== 0) return directionOf(order) === "asc" ? c : -c;
  }
  return 0;
}

/** Orders numbers with big integers, strings by code unit as SQL's binary collation, dates by time. */
function compareValues(a: unknown, b: unknown): number {
  if (a === null || a === undefined || b === null || b === undefined) return Number.NaN;
  const x = a instanceof Date ? a.getTime() : typeof a === "boolean" ? Number(a) : a;
  const y = b instanceof Date ? b.getTime() : typeof b === "boolean" ? Number(b) : b;
  if (typeof x === "string" && typeof y === "string") return x < y ? -1 : x > y ? 1 : 0;
  if (
    (typeof x === "number" || typeof x === "bigint") &&
    (typeof y === "number" || typeof y === "bigint")
  ) {
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return Number.NaN;
}

/** Text that is equal for values `compareValues` finds equal (1 and 1n alike). */
function keyText(value: unknown): string {
  if (value instanceof Date) return `n${value.getTime()}`;
  if (typeof value === "number" || typeof value === "bigint") return `n${String(value)}`;
  return `${typeof value}:${String(value)}`;
}
