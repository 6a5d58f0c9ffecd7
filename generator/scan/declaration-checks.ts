import { ts } from "../typescript.js";

import { CODES } from "../diagnostics.js";
import { reportError, type FindContext } from "./find-context.js";
import type { FileFacts } from "./source-store.js";
import { hasModifier } from "./source-store.js";

/** Periodic and startup tasks are called with no arguments: refuse required parameters. */
export function noParameters(
  file: string,
  parameters: readonly ts.ParameterDeclaration[],
  symbol: string,
  ctx: FindContext,
): boolean {
  const required = parameters.filter(
    (p) => !p.questionToken && !p.initializer && !p.dotDotDotToken && !isThis(p),
  );
  if (required.length === 0) return true;
  reportError(
    ctx,
    file,
    required[0] ?? parameters[0]!,
    CODES.unexpectedParameters,
    `${symbol} is run by the scheduler with no arguments, but declares parameters`,
  );
  return false;
}

function isThis(parameter: ts.ParameterDeclaration): boolean {
  return ts.isIdentifier(parameter.name) && parameter.name.text === "this";
}

/** Task methods are called by the generated table from outside the class: public only. */
export function checkVisibility(
  file: string,
  method: ts.MethodDeclaration,
  member: string | undefined,
  symbol: string,
  ctx: FindContext,
): boolean {
  const hidden =
    member === undefined ||
    hasModifier(method, ts.SyntaxKind.PrivateKeyword) ||
    hasModifier(method, ts.SyntaxKind.ProtectedKeyword);
  if (!hidden) return true;
  reportError(
    ctx,
    file,
    method.name,
    CODES.notPublic,
    `${symbol} must be a public method with a plain name to be a task`,
    "the generated dispatch table calls it from outside the class",
  );
  return false;
}

/** The generated table imports the task's class or function: it must be exported. */
export function checkImportable(
  file: string,
  declaration: ts.Node,
  exportName: string | undefined,
  symbol: string,
  ctx: FindContext,
): boolean {
  if (exportName !== undefined) return true;
  const named = ts.isClassDeclaration(declaration) || ts.isVariableDeclaration(declaration);
  const at = named && declaration.name ? declaration.name : declaration;
  reportError(
    ctx,
    file,
    at,
    CODES.notImportable,
    `'${symbol}' declares a task but is not exported from its module`,
    "export it so the generated dispatch table can import it",
  );
  return false;
}

/** The name a declaration is exported under, preferring its own name; undefined if none. */
export function exportNameOf(
  facts: FileFacts,
  declaration: ts.ClassDeclaration | ts.VariableDeclaration,
): string | undefined {
  const local =
    declaration.name && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
  let fallback: string | undefined;
  for (const [name, binding] of facts.exports) {
    const matches =
      (binding.kind === "local" && binding.local === local) ||
      (binding.kind === "node" && binding.node === declaration);
    if (!matches) continue;
    if (name === local) return name;
    fallback ??= name;
  }
  return fallback;
}

/** A method's plain name; undefined for computed and `#private` names. */
export function memberName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}
