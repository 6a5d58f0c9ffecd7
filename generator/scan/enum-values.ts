import { ts } from "../typescript.js";

import type { TypeDesc } from "../model/types.js";

/**
 * Describes an enum as the union of its member values, computing auto-incremented numbers the
 * way TypeScript does. With `only`, describes that one member. Computed members are refused.
 */
export function describeEnum(
  declaration: ts.EnumDeclaration,
  refuse: (what: string) => undefined,
  only?: string,
): TypeDesc | undefined {
  const members: TypeDesc[] = [];
  let next: number | undefined = 0;

  for (const member of declaration.members) {
    const value = memberValue(member.initializer, next);
    if (value === undefined) {
      return refuse(`the enum '${declaration.name.text}' with a computed member`);
    }
    next = typeof value === "number" ? value + 1 : undefined;

    const name =
      ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) ? member.name.text : "";
    if (only === undefined || only === name) members.push({ kind: "literal", value });
  }
  if (members.length === 0)
    return refuse(`the enum '${declaration.name.text}' with no such member`);
  return members.length === 1 ? members[0] : { kind: "union", members };
}

function memberValue(
  initializer: ts.Expression | undefined,
  next: number | undefined,
): string | number | undefined {
  if (!initializer) return next;
  if (ts.isStringLiteral(initializer) || ts.isNoSubstitutionTemplateLiteral(initializer)) {
    return initializer.text;
  }
  if (ts.isNumericLiteral(initializer)) return Number(initializer.text);
  if (
    ts.isPrefixUnaryExpression(initializer) &&
    initializer.operator === ts.SyntaxKind.MinusToken &&
    ts.isNumericLiteral(initializer.operand)
  ) {
    return -Number(initializer.operand.text);
  }
  return undefined;
}
