import { ts } from "../typescript.js";

import type { TypeDesc } from "../model/types.js";

/** Small readings of type syntax shared by the describers. */

export function isKeyword(node: ts.TypeNode): boolean {
  return (
    node.kind === ts.SyntaxKind.StringKeyword ||
    node.kind === ts.SyntaxKind.NumberKeyword ||
    node.kind === ts.SyntaxKind.BooleanKeyword ||
    node.kind === ts.SyntaxKind.BigIntKeyword
  );
}

export function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) {
    return name.text;
  }
  return undefined;
}

/** The type a literal default value gives an unannotated parameter (`resend = false`). */
export function widenLiteral(initializer: ts.Expression): TypeDesc | undefined {
  if (ts.isStringLiteral(initializer) || ts.isNoSubstitutionTemplateLiteral(initializer)) {
    return { kind: "string" };
  }
  if (ts.isNumericLiteral(initializer)) return { kind: "number" };
  if (
    initializer.kind === ts.SyntaxKind.TrueKeyword ||
    initializer.kind === ts.SyntaxKind.FalseKeyword
  ) {
    return { kind: "boolean" };
  }
  if (ts.isBigIntLiteral(initializer)) return { kind: "bigint" };
  return undefined;
}
