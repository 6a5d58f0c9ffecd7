import { ts } from "../typescript.js";

import { CODES, type Diagnostic, type DiagnosticCode } from "../diagnostics.js";
import type { PropertyDesc, TupleElementDesc, TypeDesc } from "../model/types.js";
import type { Dependencies, DependencyTracker } from "./dependency-tracker.js";
import { describeReference } from "./describe-reference.js";
import { mergeObjects } from "./object-types.js";
import { propertyName, widenLiteral } from "./type-syntax.js";
import type { Locator } from "./locator.js";
import type { Resolver } from "./resolver.js";

/** The file a type node is written in, and what its type parameters stand for there. */
export interface TypeContext {
  readonly file: string;
  readonly params: ReadonlyMap<string, ContextualType>;
}

export interface ContextualType {
  readonly node: ts.TypeNode;
  readonly context: TypeContext;
}

/** Who asks for a description: messages name the task and the path to the bad part. */
export interface DescribeRequest {
  readonly task: string;
  readonly allowUnknown: boolean;
}

/** A named definition while it is being described; `desc` is set once it is complete. */
export interface Definition {
  readonly name: string;
  desc?: TypeDesc;
  /** What describing it read; set with `desc`. */
  dependencies?: Dependencies;
}

/**
 * Turns parameter type nodes into serialisable type descriptions by reading declarations, not
 * by running the type checker: the checker would need the whole program, which is what makes
 * `tsc` slow on large projects. Forms it cannot describe are reported, never guessed.
 */
export class TypeDescriber {
  /** Keyed by `file#declaration`; the final names are chosen when the model is built. */
  readonly definitions = new Map<string, Definition>();
  /** Generic declarations being expanded, to refuse one that contains itself. */
  readonly stack: string[] = [];

  constructor(
    readonly resolver: Resolver,
    readonly locator: Locator,
    readonly report: (diagnostic: Diagnostic) => void,
    readonly tracker: DependencyTracker,
  ) {}

  describe(
    node: ts.TypeNode,
    context: TypeContext,
    request: DescribeRequest,
    trail: string,
  ): TypeDesc | undefined {
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { kind: "string" };
      case ts.SyntaxKind.NumberKeyword:
        return { kind: "number" };
      case ts.SyntaxKind.BooleanKeyword:
        return { kind: "boolean" };
      case ts.SyntaxKind.BigIntKeyword:
        return { kind: "bigint" };
      case ts.SyntaxKind.UndefinedKeyword:
      case ts.SyntaxKind.VoidKeyword:
        return { kind: "undefined" };
      case ts.SyntaxKind.AnyKeyword:
      case ts.SyntaxKind.UnknownKeyword:
        return this.#unknown(node, context, request, trail);
    }

    if (ts.isParenthesizedTypeNode(node)) return this.describe(node.type, context, request, trail);
    if (ts.isLiteralTypeNode(node)) return this.#literal(node, context, request, trail);
    if (ts.isUnionTypeNode(node)) return this.#union(node, context, request, trail);
    if (ts.isIntersectionTypeNode(node)) return this.#intersection(node, context, request, trail);
    if (ts.isArrayTypeNode(node)) {
      const element = this.describe(node.elementType, context, request, trail + "[]");
      return element && { kind: "array", element };
    }
    if (ts.isTupleTypeNode(node)) return this.#tuple(node, context, request, trail);
    if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword) {
      return this.describe(node.type, context, request, trail);
    }
    if (ts.isTypeLiteralNode(node)) {
      return this.members(node.members, context, request, trail, undefined);
    }
    if (ts.isTypeReferenceNode(node)) return describeReference(this, node, context, request, trail);
    if (ts.isFunctionTypeNode(node) || ts.isConstructorTypeNode(node)) {
      return this.refuse(node, context, request, trail, "a function", "pass data instead");
    }
    return this.refuse(
      node,
      context,
      request,
      trail,
      `the type form '${ts.SyntaxKind[node.kind]}'`,
      "write the payload type out as an interface, a type literal or a union",
    );
  }

  /** Describes the parameters of a function or method as the tuple of its arguments. */
  describeParameters(
    parameters: readonly ts.ParameterDeclaration[],
    context: TypeContext,
    request: DescribeRequest,
  ): TypeDesc | undefined {
    const elements: TupleElementDesc[] = [];
    let rest: TypeDesc | undefined;
    let failed = false;

    for (const [index, parameter] of parameters.entries()) {
      const name = ts.isIdentifier(parameter.name) ? parameter.name.text : `arg${index}`;
      if (name === "this") continue;

      const type = this.#parameterType(parameter, context, request, name);
      if (!type) {
        failed = true;
        continue;
      }
      if (parameter.dotDotDotToken) {
        rest = type.kind === "array" ? type.element : { kind: "unknown" };
        continue;
      }
      const optional = parameter.questionToken !== undefined || parameter.initializer !== undefined;
      elements.push({ name, type, optional });
    }
    if (failed) return undefined;
    return rest ? { kind: "tuple", elements, rest } : { kind: "tuple", elements };
  }

  #parameterType(
    parameter: ts.ParameterDeclaration,
    context: TypeContext,
    request: DescribeRequest,
    name: string,
  ): TypeDesc | undefined {
    const trail = `parameter '${name}'`;
    if (parameter.type) return this.describe(parameter.type, context, request, trail);

    const inferred = parameter.initializer && widenLiteral(parameter.initializer);
    if (inferred) return inferred;
    this.error(
      CODES.typeCannotTravel,
      parameter,
      context,
      `${request.task}: ${trail} has no type annotation`,
      "annotate the parameter so taskgen can check the payload",
    );
    return undefined;
  }

  #unknown(
    node: ts.Node,
    context: TypeContext,
    request: DescribeRequest,
    trail: string,
  ): TypeDesc | undefined {
    if (request.allowUnknown) return { kind: "unknown" };
    this.error(
      CODES.unknownNotAllowed,
      node,
      context,
      `${request.task}: ${trail} is '${node.getText(this.locator.sourceFile(context.file))}', ` +
        `which taskgen cannot check`,
      "give it a precise type, or set `allowUnknown: true` on the task to accept any value",
    );
    return undefined;
  }

  #literal(
    node: ts.LiteralTypeNode,
    context: TypeContext,
    request: DescribeRequest,
    trail: string,
  ): TypeDesc | undefined {
    const literal = node.literal;
    if (literal.kind === ts.SyntaxKind.NullKeyword) return { kind: "null" };
    if (literal.kind === ts.SyntaxKind.TrueKeyword) return { kind: "literal", value: true };
    if (literal.kind === ts.SyntaxKind.FalseKeyword) return { kind: "literal", value: false };
    if (ts.isStringLiteral(literal) || ts.isNoSubstitutionTemplateLiteral(literal)) {
      return { kind: "literal", value: literal.text };
    }
    if (ts.isNumericLiteral(literal)) return { kind: "literal", value: Number(literal.text) };
    if (
      ts.isPrefixUnaryExpression(literal) &&
      literal.operator === ts.SyntaxKind.MinusToken &&
      ts.isNumericLiteral(literal.operand)
    ) {
      return { kind: "literal", value: -Number(literal.operand.text) };
    }
    return this.refuse(node, context, request, trail, "this literal type", "use bigint");
  }

  #union(
    node: ts.UnionTypeNode,
    context: TypeContext,
    request: DescribeRequest,
    trail: string,
  ): TypeDesc | undefined {
    const members: TypeDesc[] = [];
    const seen = new Set<string>();
    let failed = false;

    for (const child of node.types) {
      const desc = this.describe(child, context, request, trail);
      if (!desc) {
        failed = true;
        continue;
      }
      for (const member of desc.kind === "union" ? desc.members : [desc]) {
        const key = JSON.stringify(member);
        if (seen.has(key)) continue;
        seen.add(key);
        members.push(member);
      }
    }
    if (failed) return undefined;
    return members.length === 1 ? members[0] : { kind: "union", members };
  }

  #intersection(
    node: ts.IntersectionTypeNode,
    context: TypeContext,
    request: DescribeRequest,
    trail: string,
  ): TypeDesc | undefined {
    const parts: TypeDesc[] = [];
    for (const child of node.types) {
      const desc = this.describe(child, context, request, trail);
      if (!desc) return undefined;
      parts.push(desc);
    }
    const merged = mergeObjects(this, parts);
    if (merged) return merged;
    return this.refuse(
      node,
      context,
      request,
      trail,
      "an intersection of types that are not all object types",
      "intersect only interfaces and object types",
    );
  }

  #tuple(
    node: ts.TupleTypeNode,
    context: TypeContext,
    request: DescribeRequest,
    trail: string,
  ): TypeDesc | undefined {
    const elements: TupleElementDesc[] = [];
    let rest: TypeDesc | undefined;

    for (const [index, raw] of node.elements.entries()) {
      let element: ts.TypeNode = raw;
      let name = "";
      let optional = false;
      let isRest = false;
      if (ts.isNamedTupleMember(element)) {
        name = element.name.text;
        optional = element.questionToken !== undefined;
        isRest = element.dotDotDotToken !== undefined;
        element = element.type;
      }
      if (ts.isOptionalTypeNode(element)) {
        optional = true;
        element = element.type;
      }
      if (ts.isRestTypeNode(element)) {
        isRest = true;
        element = element.type;
      }

      const desc = this.describe(element, context, request, `${trail}[${index}]`);
      if (!desc) return undefined;
      if (isRest) {
        if (desc.kind !== "array" || index !== node.elements.length - 1) {
          return this.refuse(raw, context, request, trail, "a rest element", "put it last");
        }
        rest = desc.element;
      } else {
        elements.push({ name, type: desc, optional });
      }
    }
    return rest ? { kind: "tuple", elements, rest } : { kind: "tuple", elements };
  }

  members(
    members: readonly ts.TypeElement[],
    context: TypeContext,
    request: DescribeRequest,
    trail: string,
    inherited: readonly TypeDesc[] | undefined,
  ): TypeDesc | undefined {
    const properties: PropertyDesc[] = [];
    let index: TypeDesc | undefined;

    for (const member of members) {
      if (ts.isPropertySignature(member)) {
        const name = propertyName(member.name);
        if (name === undefined || !member.type) {
          return this.refuse(member, context, request, trail, "a computed or untyped property");
        }
        const type = this.describe(member.type, context, request, `${trail}.${name}`);
        if (!type) return undefined;
        properties.push({ name, type, optional: member.questionToken !== undefined });
      } else if (ts.isIndexSignatureDeclaration(member)) {
        const value = this.describe(member.type, context, request, `${trail}[key]`);
        if (!value) return undefined;
        index = value;
      } else {
        return this.refuse(
          member,
          context,
          request,
          trail,
          "a method or call signature",
          "functions cannot travel as data; keep only data properties",
        );
      }
    }

    const own: TypeDesc = index
      ? { kind: "object", properties, index }
      : { kind: "object", properties };
    if (!inherited || inherited.length === 0) return own;
    return mergeObjects(this, [...inherited, own]);
  }

  refuse(
    node: ts.Node,
    context: TypeContext,
    request: DescribeRequest,
    trail: string,
    what: string,
    hint?: string,
  ): undefined {
    this.error(
      CODES.typeCannotTravel,
      node,
      context,
      `${request.task}: ${trail} uses ${what}, which cannot travel as task data`,
      hint,
    );
    return undefined;
  }

  error(
    code: DiagnosticCode,
    node: ts.Node,
    context: TypeContext,
    message: string,
    hint: string | undefined,
  ): void {
    const location = this.locator.locate(context.file, node);
    this.report(
      hint
        ? { code, severity: "error", location, message, hint }
        : { code, severity: "error", location, message },
    );
  }

  sourceFile(context: TypeContext): ts.SourceFile {
    return this.locator.sourceFile(context.file);
  }
}
