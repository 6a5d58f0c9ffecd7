import { ts } from "../typescript.js";

import { CODES, type Diagnostic, type DiagnosticCode } from "../diagnostics.js";
import type { PropertyDesc, TupleElementDesc, TypeDesc } from "../model/types.js";
import type { Dependencies, DependencyTracker } from "./dependency-tracker.js";
import { describeEnum } from "./enum-values.js";
import type { Locator } from "./locator.js";
import type { Binding, Resolver } from "./resolver.js";

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

/** Standard library types that cannot travel, with the advice to give. */
const NON_DATA_GLOBALS: Readonly<Record<string, string>> = {
  Map: "use a plain object type or an array of pairs",
  Set: "use an array",
  WeakMap: "use a plain object type",
  WeakSet: "use an array",
  Promise: "await the value before queueing the task",
  Function: "pass the data the function needs instead",
  RegExp: "pass the pattern as a string",
  Error: "pass the message as a string",
  Buffer: "declare the parameter as Uint8Array",
  ArrayBuffer: "declare the parameter as Uint8Array",
  Symbol: "use a string",
  Object: "declare the object's properties",
  String: "use string",
  Number: "use number",
  Boolean: "use boolean",
};

/**
 * Turns parameter type nodes into serialisable type descriptions by reading declarations, not
 * by running the type checker: the checker would need the whole program, which is what makes
 * `tsc` slow on large projects. Forms it cannot describe are reported, never guessed.
 */
export class TypeDescriber {
  /** Keyed by `file#declaration`; the final names are chosen when the model is built. */
  readonly definitions = new Map<string, Definition>();
  readonly #stack: string[] = [];

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
      return this.#members(node.members, context, request, trail, undefined);
    }
    if (ts.isTypeReferenceNode(node)) return this.#reference(node, context, request, trail);
    if (ts.isFunctionTypeNode(node) || ts.isConstructorTypeNode(node)) {
      return this.#refuse(node, context, request, trail, "a function", "pass data instead");
    }
    return this.#refuse(
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
    this.#error(
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
    this.#error(
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
    return this.#refuse(node, context, request, trail, "this literal type", "use bigint");
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
    const merged = this.#mergeObjects(parts);
    if (merged) return merged;
    return this.#refuse(
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
          return this.#refuse(raw, context, request, trail, "a rest element", "put it last");
        }
        rest = desc.element;
      } else {
        elements.push({ name, type: desc, optional });
      }
    }
    return rest ? { kind: "tuple", elements, rest } : { kind: "tuple", elements };
  }

  #members(
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
          return this.#refuse(member, context, request, trail, "a computed or untyped property");
        }
        const type = this.describe(member.type, context, request, `${trail}.${name}`);
        if (!type) return undefined;
        properties.push({ name, type, optional: member.questionToken !== undefined });
      } else if (ts.isIndexSignatureDeclaration(member)) {
        const value = this.describe(member.type, context, request, `${trail}[key]`);
        if (!value) return undefined;
        index = value;
      } else {
        return this.#refuse(
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
    return this.#mergeObjects([...inherited, own]);
  }

  #reference(
    node: ts.TypeReferenceNode,
    context: TypeContext,
    request: DescribeRequest,
    trail: string,
  ): TypeDesc | undefined {
    const typeName = node.typeName;
    if (ts.isIdentifier(typeName)) {
      const param = context.params.get(typeName.text);
      if (param) return this.describe(param.node, param.context, request, trail);
    }

    const binding = this.resolver.resolveEntity(context.file, typeName);
    if (!binding) {
      const enumMember = this.#enumMember(typeName, context);
      if (enumMember) return enumMember;
      if (ts.isIdentifier(typeName)) {
        return this.#global(typeName.text, node, context, request, trail);
      }
      return this.#refuse(
        node,
        context,
        request,
        trail,
        `'${typeName.getText(this.#sf(context))}'`,
      );
    }
    return this.#binding(binding, node, context, request, trail);
  }

  #binding(
    binding: Binding,
    node: ts.NodeWithTypeArguments,
    context: TypeContext,
    request: DescribeRequest,
    trail: string,
  ): TypeDesc | undefined {
    if (binding.kind === "taskgen") {
      if (binding.name === "Key") return { kind: "key" };
      return this.#refuse(node, context, request, trail, `taskgen's '${binding.name}'`);
    }
    if (binding.kind === "external") {
      return this.#refuse(
        node,
        context,
        request,
        trail,
        `'${binding.name}' from the package '${binding.specifier}'`,
        "taskgen reads only the project's own types: declare the payload type in the project",
      );
    }
    if (binding.kind === "namespace") {
      return this.#refuse(node, context, request, trail, "a module namespace");
    }

    const first = binding.nodes[0];
    if (first && ts.isInterfaceDeclaration(first)) {
      return this.#interface(binding, node, context, request, trail);
    }
    if (first && ts.isTypeAliasDeclaration(first)) {
      return this.#alias(binding, first, node, context, request, trail);
    }
    if (first && ts.isEnumDeclaration(first)) {
      return describeEnum(first, (message) =>
        this.#refuse(first, { file: binding.file, params: new Map() }, request, trail, message),
      );
    }
    if (first && ts.isClassDeclaration(first)) {
      return this.#refuse(
        node,
        context,
        request,
        trail,
        `the class '${binding.name}'`,
        "a class instance loses its prototype on the way; describe the data with an interface",
      );
    }
    return this.#refuse(node, context, request, trail, `'${binding.name}', which is not a type`);
  }

  #interface(
    binding: Extract<Binding, { kind: "declaration" }>,
    node: ts.NodeWithTypeArguments,
    context: TypeContext,
    request: DescribeRequest,
    trail: string,
  ): TypeDesc | undefined {
    const declarations = binding.nodes.filter(ts.isInterfaceDeclaration);
    const generic = declarations.some((d) => (d.typeParameters?.length ?? 0) > 0);
    const inner = this.#genericContext(
      binding.file,
      declarations[0]?.typeParameters,
      node,
      context,
    );

    const build = (): TypeDesc | undefined => {
      const inherited: TypeDesc[] = [];
      for (const declaration of declarations) {
        for (const clause of declaration.heritageClauses ?? []) {
          for (const base of clause.types) {
            const desc = this.#heritage(base, inner, request, trail);
            if (!desc) return undefined;
            inherited.push(desc);
          }
        }
      }
      const members = declarations.flatMap((d) => [...d.members]);
      return this.#members(members, inner, request, trail, inherited);
    };

    if (generic) return this.#guardRecursion(binding, node, context, request, trail, build);
    return this.#definition(binding, build);
  }

  #alias(
    binding: Extract<Binding, { kind: "declaration" }>,
    declaration: ts.TypeAliasDeclaration,
    node: ts.NodeWithTypeArguments,
    context: TypeContext,
    request: DescribeRequest,
    trail: string,
  ): TypeDesc | undefined {
    const inner = this.#genericContext(binding.file, declaration.typeParameters, node, context);
    const build = () => this.describe(declaration.type, inner, request, trail);

    if (declaration.typeParameters?.length) {
      return this.#guardRecursion(binding, node, context, request, trail, build);
    }
    // Aliases of a keyword or literal are cheaper inline than behind a named check.
    if (ts.isLiteralTypeNode(declaration.type) || isKeyword(declaration.type)) return build();
    return this.#definition(binding, build);
  }

  #heritage(
    base: ts.ExpressionWithTypeArguments,
    context: TypeContext,
    request: DescribeRequest,
    trail: string,
  ): TypeDesc | undefined {
    const expression = base.expression;
    if (!ts.isIdentifier(expression) && !ts.isPropertyAccessExpression(expression)) {
      return this.#refuse(base, context, request, trail, "this base type");
    }
    const binding = this.resolver.resolveEntity(context.file, expression);
    if (!binding) {
      return this.#global(expression.getText(this.#sf(context)), base, context, request, trail);
    }
    return this.#binding(binding, base, context, request, trail);
  }

  /** Non-generic named types become definitions, referenced by name, so they may recurse. */
  #definition(
    binding: Extract<Binding, { kind: "declaration" }>,
    build: () => TypeDesc | undefined,
  ): TypeDesc | undefined {
    const key = `${this.locator.relative(binding.file)}#${binding.name}`;
    const existing = this.definitions.get(key);
    if (existing) {
      // Still being built (a recursive type): the frame building it collects what it reads.
      this.tracker.used(key, existing.dependencies);
      return { kind: "ref", name: key };
    }

    const definition: Definition = { name: binding.name };
    this.definitions.set(key, definition);
    this.tracker.begin();
    const desc = build();
    const dependencies = this.tracker.end();
    if (!desc) {
      this.definitions.delete(key);
      return undefined;
    }
    definition.desc = desc;
    definition.dependencies = dependencies;
    this.tracker.used(key, dependencies);
    return { kind: "ref", name: key };
  }

  /** Generic types are expanded per use; one that contains itself cannot be expanded. */
  #guardRecursion(
    binding: Extract<Binding, { kind: "declaration" }>,
    node: ts.Node,
    context: TypeContext,
    request: DescribeRequest,
    trail: string,
    build: () => TypeDesc | undefined,
  ): TypeDesc | undefined {
    const key = `${binding.file}#${binding.name}`;
    if (this.#stack.includes(key)) {
      return this.#refuse(
        node,
        context,
        request,
        trail,
        `the recursive generic type '${binding.name}'`,
        "declare a non-generic interface for the recursive part",
      );
    }
    this.#stack.push(key);
    try {
      return build();
    } finally {
      this.#stack.pop();
    }
  }

  #genericContext(
    file: string,
    parameters: ts.NodeArray<ts.TypeParameterDeclaration> | undefined,
    node: ts.NodeWithTypeArguments,
    context: TypeContext,
  ): TypeContext {
    const params = new Map<string, ContextualType>();
    const inner: TypeContext = { file, params };
    for (const [index, parameter] of (parameters ?? []).entries()) {
      const argument = node.typeArguments?.[index];
      if (argument) params.set(parameter.name.text, { node: argument, context });
      else if (parameter.default)
        params.set(parameter.name.text, { node: parameter.default, context: inner });
    }
    return inner;
  }

  #global(
    name: string,
    node: ts.NodeWithTypeArguments,
    context: TypeContext,
    request: DescribeRequest,
    trail: string,
  ): TypeDesc | undefined {
    const args = node.typeArguments ?? [];
    const arg = (i: number) => {
      const argument = args[i];
      return argument && this.describe(argument, context, request, trail);
    };

    switch (name) {
      case "Date":
        return { kind: "date" };
      case "Uint8Array":
        return { kind: "bytes" };
      case "Array":
      case "ReadonlyArray": {
        const element = arg(0);
        return element && { kind: "array", element };
      }
      case "Record":
        return this.#record(node, context, request, trail);
      case "Partial":
      case "Required":
      case "Readonly":
        return this.#mapProperties(name, arg(0), node, context, request, trail);
      case "Pick":
      case "Omit":
        return this.#pickOmit(name, node, context, request, trail);
      case "NonNullable": {
        const inner = arg(0);
        if (!inner) return undefined;
        if (inner.kind !== "union") return inner;
        const kept = inner.members.filter((m) => m.kind !== "null" && m.kind !== "undefined");
        return kept.length === 1 ? kept[0] : { kind: "union", members: kept };
      }
    }
    const advice = NON_DATA_GLOBALS[name];
    return this.#refuse(node, context, request, trail, `'${name}'`, advice);
  }

  #record(
    node: ts.NodeWithTypeArguments,
    context: TypeContext,
    request: DescribeRequest,
    trail: string,
  ): TypeDesc | undefined {
    const [keyNode, valueNode] = node.typeArguments ?? [];
    if (!keyNode || !valueNode) return this.#refuse(node, context, request, trail, "a bare Record");

    const key = this.describe(keyNode, context, request, trail);
    const value = this.describe(valueNode, context, request, `${trail}[key]`);
    if (!key || !value) return undefined;
    if (key.kind === "string" || key.kind === "number") {
      return { kind: "object", properties: [], index: value };
    }

    const literals = key.kind === "union" ? key.members : [key];
    if (literals.every((m) => m.kind === "literal" && typeof m.value !== "boolean")) {
      const properties = literals.map((m) => ({
        name: String(m.kind === "literal" ? m.value : ""),
        type: value,
        optional: false,
      }));
      return { kind: "object", properties };
    }
    return this.#refuse(node, context, request, trail, "a Record with these keys");
  }

  #mapProperties(
    utility: "Partial" | "Required" | "Readonly",
    inner: TypeDesc | undefined,
    node: ts.Node,
    context: TypeContext,
    request: DescribeRequest,
    trail: string,
  ): TypeDesc | undefined {
    if (!inner) return undefined;
    if (utility === "Readonly" && (inner.kind === "array" || inner.kind === "tuple")) return inner;

    const object = this.#asObject(inner);
    if (!object) {
      return this.#refuse(node, context, request, trail, `${utility} of a non-object type`);
    }
    if (utility === "Readonly") return object;
    const optional = utility === "Partial";
    const properties = object.properties.map((p) => ({ ...p, optional }));
    return object.index
      ? { kind: "object", properties, index: object.index }
      : { kind: "object", properties };
  }

  #pickOmit(
    utility: "Pick" | "Omit",
    node: ts.NodeWithTypeArguments,
    context: TypeContext,
    request: DescribeRequest,
    trail: string,
  ): TypeDesc | undefined {
    const [objectNode, keysNode] = node.typeArguments ?? [];
    if (!objectNode || !keysNode) return this.#refuse(node, context, request, trail, utility);

    const inner = this.describe(objectNode, context, request, trail);
    const keys = this.describe(keysNode, context, request, trail);
    if (!inner || !keys) return undefined;

    const object = this.#asObject(inner);
    const names = (keys.kind === "union" ? keys.members : [keys]).map((k) =>
      k.kind === "literal" ? String(k.value) : undefined,
    );
    if (!object || names.includes(undefined)) {
      return this.#refuse(node, context, request, trail, `${utility} with these arguments`);
    }
    const properties = object.properties.filter(
      (p) => names.includes(p.name) === (utility === "Pick"),
    );
    return { kind: "object", properties };
  }

  #enumMember(typeName: ts.EntityName, context: TypeContext): TypeDesc | undefined {
    if (!ts.isQualifiedName(typeName)) return undefined;
    const owner = this.resolver.resolveEntity(context.file, typeName.left);
    const declaration = owner?.kind === "declaration" ? owner.nodes[0] : undefined;
    if (!declaration || !ts.isEnumDeclaration(declaration)) return undefined;

    const all = describeEnum(declaration, () => undefined, typeName.right.text);
    return all;
  }

  /** An object description behind refs and merges, or undefined if it is not one. */
  #asObject(desc: TypeDesc): Extract<TypeDesc, { kind: "object" }> | undefined {
    if (desc.kind === "object") return desc;
    if (desc.kind === "ref") {
      const target = this.definitions.get(desc.name)?.desc;
      return target && this.#asObject(target);
    }
    return undefined;
  }

  #mergeObjects(parts: readonly TypeDesc[]): TypeDesc | undefined {
    const byName = new Map<string, PropertyDesc>();
    let index: TypeDesc | undefined;
    for (const part of parts) {
      const object = this.#asObject(part);
      if (!object) return undefined;
      for (const property of object.properties) byName.set(property.name, property);
      index = object.index ?? index;
    }
    const properties = [...byName.values()];
    return index ? { kind: "object", properties, index } : { kind: "object", properties };
  }

  #refuse(
    node: ts.Node,
    context: TypeContext,
    request: DescribeRequest,
    trail: string,
    what: string,
    hint?: string,
  ): undefined {
    this.#error(
      CODES.typeCannotTravel,
      node,
      context,
      `${request.task}: ${trail} uses ${what}, which cannot travel as task data`,
      hint,
    );
    return undefined;
  }

  #error(
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

  #sf(context: TypeContext): ts.SourceFile {
    return this.locator.sourceFile(context.file);
  }
}

function isKeyword(node: ts.TypeNode): boolean {
  return (
    node.kind === ts.SyntaxKind.StringKeyword ||
    node.kind === ts.SyntaxKind.NumberKeyword ||
    node.kind === ts.SyntaxKind.BooleanKeyword ||
    node.kind === ts.SyntaxKind.BigIntKeyword
  );
}

function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) {
    return name.text;
  }
  return undefined;
}

/** The type a literal default value gives an unannotated parameter (`resend = false`). */
function widenLiteral(initializer: ts.Expression): TypeDesc | undefined {
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
