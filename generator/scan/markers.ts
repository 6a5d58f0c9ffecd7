import { ts } from "../typescript.js";

import { CODES } from "../diagnostics.js";
import type { TaskKind } from "../model/types.js";
import { reportError, type FindContext } from "./find-context.js";
import type { RawOption } from "./found-task.js";
import { literalValue, readOptions } from "./options.js";
import { DECLARING_EXPORTS, type DeclaringExport } from "./taskgen-exports.js";

/** A decorator or function form that resolved to one of taskgen's declaring exports. */
export interface Marker {
  readonly name: DeclaringExport;
  readonly node: ts.Node;
  readonly args: readonly ts.Expression[];
}

const DECLARING: ReadonlySet<string> = new Set(DECLARING_EXPORTS);
/** The decorators that make a method a task, and the kind each gives. */
export const METHOD_KINDS: Partial<Record<DeclaringExport, TaskKind>> = {
  callDeferred: "deferred",
  PeriodicTask: "periodic",
  StartupTask: "startup",
};
/** The function forms for top-level functions, and the kind each gives. */
export const FUNCTION_KINDS: Partial<Record<DeclaringExport, TaskKind>> = {
  defineDeferred: "deferred",
  definePeriodic: "periodic",
  defineStartup: "startup",
};

/** The taskgen decorators on a node, each resolved through imports to taskgen's export. */
export function markersOf(file: string, node: ts.Node, ctx: FindContext): Marker[] {
  if (!ts.canHaveDecorators(node)) return [];
  const markers: Marker[] = [];
  for (const decorator of ts.getDecorators(node) ?? []) {
    const expression = decorator.expression;
    const marker = ts.isCallExpression(expression)
      ? markerOf(file, expression.expression, decorator, expression.arguments, ctx)
      : markerOf(file, expression, decorator, [], ctx);
    if (marker) markers.push(marker);
  }
  return markers;
}

/** The taskgen export that `callee` stands for, if it is a declaring one. */
export function markerOf(
  file: string,
  callee: ts.Expression,
  node: ts.Node,
  args: readonly ts.Expression[],
  ctx: FindContext,
): Marker | undefined {
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
  const binding = ctx.resolver.resolveEntity(file, callee);
  if (binding?.kind !== "taskgen" || !DECLARING.has(binding.name)) return undefined;
  return { name: binding.name as DeclaringExport, node, args };
}

/** The options object a decorator was called with (`@callDeferred({ queue })`). */
export function optionsOf(file: string, marker: Marker, ctx: FindContext): Map<string, RawOption> {
  return readOptions(marker.args[0], file, ctx.locator, ctx.report);
}

/** `@noRetry` is 0 retries; `@retry(n)` is n, a literal whole number. */
export function addRetryOption(
  file: string,
  marker: Marker,
  options: Map<string, RawOption>,
  ctx: FindContext,
): void {
  const location = ctx.locator.locate(file, marker.node);
  if (marker.name === "noRetry") {
    options.set("retries", { value: 0, location });
    return;
  }
  const arg = marker.args[0];
  const value = arg && literalValue(arg);
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    reportError(
      ctx,
      file,
      arg ?? marker.node,
      CODES.invalidOption,
      "@retry takes the number of retries as a literal whole number, 0 or more",
    );
    return;
  }
  options.set("retries", { value, location });
}
