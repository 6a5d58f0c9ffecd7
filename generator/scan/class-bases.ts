import { ts } from "../typescript.js";

import { genericContext } from "./describe-reference.js";
import type { ContextualType, TypeContext } from "./describe-type.js";
import type { Resolver } from "./resolver.js";
import { BASE_CLASS_EXPORTS, type BaseClassExport } from "./taskgen-exports.js";

/** The taskgen base class a class derives from, and the type arguments it gives that base. */
export interface TaskBase {
  readonly base: BaseClassExport;
  readonly typeArguments: readonly ContextualType[];
}

const BASES: ReadonlySet<string> = new Set(BASE_CLASS_EXPORTS);

/**
 * Follows `extends` from class to class, across files and barrels, until it reaches a taskgen
 * base class. Type parameters of the classes in between are bound along the way, so
 * `class B extends A<Data>` with `class A<C> extends QueryIter<Row, C>` yields `Data`.
 * `baseNames` holds every name a class on such a chain can be extended by.
 */
export function findTaskBase(
  resolver: Resolver,
  file: string,
  declaration: ts.ClassDeclaration,
  baseNames: ReadonlySet<string>,
  context: TypeContext = { file, params: new Map() },
  seen: Set<ts.Node> = new Set(),
): TaskBase | undefined {
  if (seen.has(declaration)) return undefined;
  seen.add(declaration);

  const heritage = declaration.heritageClauses?.find(
    (c) => c.token === ts.SyntaxKind.ExtendsKeyword,
  )?.types[0];
  // A chain to a task base passes only through names the pre-filter collected; checking the
  // name first saves parsing the files of every ordinary base class.
  if (!heritage || !baseNames.has(lastName(heritage.expression))) return undefined;

  const binding = resolver.resolveEntity(file, heritage.expression);
  const typeArgs = heritage.typeArguments ?? [];
  if (binding?.kind === "taskgen") {
    if (!BASES.has(binding.name)) return undefined;
    return {
      base: binding.name as BaseClassExport,
      typeArguments: typeArgs.map((node) => ({ node, context })),
    };
  }
  if (binding?.kind !== "declaration") return undefined;

  const parent = binding.nodes.find(ts.isClassDeclaration);
  if (!parent) return undefined;
  const parentContext = genericContext(binding.file, parent.typeParameters, typeArgs, context);
  return findTaskBase(resolver, binding.file, parent, baseNames, parentContext, seen);
}

function lastName(expression: ts.Expression): string {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return "";
}
