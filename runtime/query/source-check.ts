import type { IterQuery } from "./iter-query.js";

/** What a source knows of a table, for {@link walkProblem}. */
export interface TableFacts {
  /** Every column, with whether it may hold null. */
  readonly columns: ReadonlyMap<string, { readonly nullable: boolean }>;
  /** The column sets that are unique: the primary key and each unique index without a condition. */
  readonly uniqueSets: readonly (readonly string[])[];
}

/**
 * Why `query` cannot be walked by keyset over a table with these facts, or undefined: every
 * field must exist, the order fields must never be null (null sorts outside every comparison,
 * so a walk would skip such entries), and together they must be unique (else entries that tie
 * at a step's end could be skipped or handled twice).
 */
export function walkProblem(query: IterQuery, facts: TableFacts | undefined): string | undefined {
  if (!facts || facts.columns.size === 0) return `there is no table ${query.table}`;
  const fields = [...(query.where ?? []).map((f) => f.field), ...query.orderBy.map((o) => o.field)];
  const unknown = fields.find((field) => !facts.columns.has(field));
  if (unknown !== undefined) return `${query.table} has no column ${unknown}`;

  const orderFields = query.orderBy.map((o) => o.field);
  const nullable = orderFields.find((field) => facts.columns.get(field)?.nullable);
  if (nullable !== undefined) {
    return (
      `the order field ${query.table}.${nullable} may be null, and a walk by cursor skips ` +
      "null entries: order by NOT NULL columns"
    );
  }
  const ordered = new Set(orderFields);
  if (!facts.uniqueSets.some((set) => set.length > 0 && set.every((c) => ordered.has(c)))) {
    return (
      `the order (${orderFields.join(", ")}) is not unique in ${query.table}, so entries that ` +
      "tie could be skipped or handled twice: end it with the primary key or a unique column"
    );
  }
  return undefined;
}
