import { ts } from "../typescript.js";

import { CODES, type Diagnostic } from "../diagnostics.js";
import type { RawOption } from "./found-task.js";
import type { Locator } from "./locator.js";

/**
 * Reads an options object literal (`{ interval: "5m", cronName: "hourly" }`). Options are read at
 * build time, so each value must be a literal; anything else is reported, not guessed.
 */
export function readOptions(
  node: ts.Expression | undefined,
  file: string,
  locator: Locator,
  report: (diagnostic: Diagnostic) => void,
): Map<string, RawOption> {
  const options = new Map<string, RawOption>();
  if (!node) return options;

  if (!ts.isObjectLiteralExpression(node)) {
    report(invalid(locator, file, node, "Task options must be an object literal"));
    return options;
  }
  for (const property of node.properties) {
    const name = property.name && literalName(property.name);
    if (!ts.isPropertyAssignment(property) || name === undefined) {
      report(invalid(locator, file, property, "Each task option must be written as `name: value`"));
      continue;
    }
    const value = literalValue(property.initializer);
    if (value === undefined) {
      report(
        invalid(
          locator,
          file,
          property.initializer,
          `Option '${name}' must be a literal string, number or boolean`,
          "taskgen reads options at build time and cannot evaluate expressions",
        ),
      );
      continue;
    }
    options.set(name, { value, location: locator.locate(file, property.initializer) });
  }
  return options;
}

export function literalValue(node: ts.Expression): string | number | boolean | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) {
    return literalValue(node.expression);
  }
  if (
    ts.isPrefixUnaryExpression(node) &&
    node.operator === ts.SyntaxKind.MinusToken &&
    ts.isNumericLiteral(node.operand)
  ) {
    return -Number(node.operand.text);
  }
  return undefined;
}

function literalName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

function invalid(
  locator: Locator,
  file: string,
  node: ts.Node,
  message: string,
  hint?: string,
): Diagnostic {
  const base = {
    code: CODES.invalidOption,
    severity: "error",
    location: locator.locate(file, node),
    message,
  } as const;
  return hint ? { ...base, hint } : base;
}
