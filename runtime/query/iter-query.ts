/**
 * The query a query iterator walks, as data: it travels in every step's payload, so it names
 * its source, table, filters and order instead of holding a live query object.
 */

/** Values filters compare with; a `Date` is bound as the database driver binds dates. */
export type FilterValue = string | number | bigint | boolean | Date | null;

export type ComparisonOperator = "=" | "!=" | "<" | "<=" | ">" | ">=";

export type Filter =
  | { readonly field: string; readonly op: ComparisonOperator; readonly value: FilterValue }
  | { readonly field: string; readonly op: "in" | "not in"; readonly value: readonly FilterValue[] }
  | { readonly field: string; readonly op: "is null" | "is not null" };

export interface Order {
  readonly field: string;
  /** `"asc"` by default. */
  readonly direction?: "asc" | "desc";
}

/**
 * @example
 * const query: IterQuery = {
 *   source: "shop",
 *   table: "products",
 *   where: [{ field: "active", op: "=", value: 1 }],
 *   orderBy: [{ field: "price" }, { field: "id" }],
 * };
 */
export interface IterQuery {
  /** The source's name in the runtime's `querySources`. */
  readonly source: string;
  /** The table (SQLite, PostgreSQL) or collection (memory) to walk. */
  readonly table: string;
  /** Conditions every entry meets, all of them. */
  readonly where?: readonly Filter[];
  /**
   * The order of the walk. Its fields together must be unique and never null, so that the last
   * entry of a step says exactly where the next one starts: end it with the primary key.
   */
  readonly orderBy: readonly Order[];
}

/** Where a walk stands: the values of the order fields of the last entry handled. */
export type Cursor = readonly unknown[];

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const OPERATORS = new Set([
  "=",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "in",
  "not in",
  "is null",
  "is not null",
]);

/**
 * What is wrong with the shape of `query`, or undefined. A query arrives in a step's payload,
 * so this runs on every step, not only when a run starts: nothing it names reaches SQL text
 * unless it is a plain identifier or a known operator.
 */
export function queryShapeProblem(query: unknown): string | undefined {
  if (typeof query !== "object" || query === null) return "a query is an object";
  const q = query as Record<string, unknown>;
  if (typeof q["source"] !== "string" || q["source"] === "") return "it names no source";
  if (typeof q["table"] !== "string" || !IDENTIFIER.test(q["table"])) {
    return `its table ${JSON.stringify(q["table"])} is not a plain identifier`;
  }
  const where = q["where"] ?? [];
  if (!Array.isArray(where)) return "where is a list of filters";
  for (const [i, filter] of where.entries()) {
    const problem = filterProblem(filter);
    if (problem) return `where[${i}]: ${problem}`;
  }
  const orderBy = q["orderBy"];
  if (!Array.isArray(orderBy) || orderBy.length === 0) {
    return "it has no orderBy: a walk resumes from the last entry's order fields, so it needs them";
  }
  const seen = new Set<string>();
  for (const [i, order] of orderBy.entries()) {
    const o = order as Record<string, unknown> | null;
    if (typeof o?.["field"] !== "string" || !IDENTIFIER.test(o["field"])) {
      return `orderBy[${i}] does not name a plain identifier`;
    }
    if (o["direction"] !== undefined && o["direction"] !== "asc" && o["direction"] !== "desc") {
      return `orderBy[${i}].direction is "asc" or "desc"`;
    }
    if (seen.has(o["field"])) return `orderBy names ${o["field"]} twice`;
    seen.add(o["field"]);
  }
  return undefined;
}

function filterProblem(filter: unknown): string | undefined {
  const f = filter as Record<string, unknown> | null;
  if (typeof f?.["field"] !== "string" || !IDENTIFIER.test(f["field"])) {
    return "its field is not a plain identifier";
  }
  if (typeof f["op"] !== "string" || !OPERATORS.has(f["op"])) {
    return `unknown operator ${JSON.stringify(f["op"])}`;
  }
  if (f["op"] === "is null" || f["op"] === "is not null") return undefined;
  if (f["op"] === "in" || f["op"] === "not in") {
    if (!Array.isArray(f["value"]) || !f["value"].every(isFilterValue)) {
      return `${f["op"]} takes a list of values`;
    }
    return undefined;
  }
  return isFilterValue(f["value"]) ? undefined : "its value cannot be compared";
}

function isFilterValue(value: unknown): boolean {
  return (
    value === null ||
    value instanceof Date ||
    ["string", "number", "bigint", "boolean"].includes(typeof value)
  );
}

export function directionOf(order: Order): "asc" | "desc" {
  return order.direction ?? "asc";
}
