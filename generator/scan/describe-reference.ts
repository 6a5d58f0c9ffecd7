import { ts } from "../typescript.js";

import type { TypeDesc } from "../model/types.js";
import type {
  ContextualType,
  DescribeRequest,
  TypeContext,
  TypeDescriber,
} from "./describe-type.js";
import type { Definition } from "./describe-type.js";
import { describeEnum } from "./enum-values.js";
import { describeLibraryType } from "./library-types.js";
import type { Binding } from "./resolver.js";
import { isKeyword } from "./type-syntax.js";

/*
 * References to named types: type parameters, the project's interfaces, aliases and enums
 * (found through imports and barrels), taskgen's Key, and library types by name.
 */

export function describeReference(
  d: TypeDescriber,
  node: ts.TypeReferenceNode,
  context: TypeContext,
  request: DescribeRequest,
  trail: string,
): TypeDesc | undefined {
  const typeName = node.typeName;
  if (ts.isIdentifier(typeName)) {
    const param = context.params.get(typeName.text);
    if (param) return d.describe(param.node, param.context, request, trail);
  }

  const binding = d.resolver.resolveEntity(context.file, typeName);
  if (!binding) {
    const enumMember = describeEnumMember(d, typeName, context);
    if (enumMember) return enumMember;
    if (ts.isIdentifier(typeName)) {
      return describeLibraryType(d, typeName.text, node, context, request, trail);
    }
    return d.refuse(node, context, request, trail, `'${typeName.getText(d.sourceFile(context))}'`);
  }
  return describeBinding(d, binding, node, context, request, trail);
}

export function describeBinding(
  d: TypeDescriber,
  binding: Binding,
  node: ts.NodeWithTypeArguments,
  context: TypeContext,
  request: DescribeRequest,
  trail: string,
): TypeDesc | undefined {
  if (binding.kind === "taskgen") {
    if (binding.name === "Key") return { kind: "key" };
    return d.refuse(node, context, request, trail, `taskgen's '${binding.name}'`);
  }
  if (binding.kind === "external") {
    return d.refuse(
      node,
      context,
      request,
      trail,
      `'${binding.name}' from the package '${binding.specifier}'`,
      "taskgen reads only the project's own types: declare the payload type in the project",
    );
  }
  if (binding.kind === "namespace") {
    return d.refuse(node, context, request, trail, "a module namespace");
  }

  const first = binding.nodes[0];
  if (first && ts.isInterfaceDeclaration(first)) {
    return describeInterface(d, binding, node, context, request, trail);
  }
  if (first && ts.isTypeAliasDeclaration(first)) {
    return describeAlias(d, binding, first, node, context, request, trail);
  }
  if (first && ts.isEnumDeclaration(first)) {
    return describeEnum(first, (message) =>
      d.refuse(first, { file: binding.file, params: new Map() }, request, trail, message),
    );
  }
  if (first && ts.isClassDeclaration(first)) {
    return d.refuse(
      node,
      context,
      request,
      trail,
      `the class '${binding.name}'`,
      "a class instance loses its prototype on the way; describe the data with an interface",
    );
  }
  return d.refuse(node, context, request, trail, `'${binding.name}', which is not a type`);
}

export function describeInterface(
  d: TypeDescriber,
  binding: Extract<Binding, { kind: "declaration" }>,
  node: ts.NodeWithTypeArguments,
  context: TypeContext,
  request: DescribeRequest,
  trail: string,
): TypeDesc | undefined {
  const declarations = binding.nodes.filter(ts.isInterfaceDeclaration);
  const generic = declarations.some((decl) => (decl.typeParameters?.length ?? 0) > 0);
  const parameters = declarations[0]?.typeParameters;
  const inner = genericContext(binding.file, parameters, node.typeArguments, context);

  const build = (): TypeDesc | undefined => {
    const inherited: TypeDesc[] = [];
    for (const declaration of declarations) {
      for (const clause of declaration.heritageClauses ?? []) {
        for (const base of clause.types) {
          const desc = describeHeritage(d, base, inner, request, trail);
          if (!desc) return undefined;
          inherited.push(desc);
        }
      }
    }
    const members = declarations.flatMap((decl) => [...decl.members]);
    return d.members(members, inner, request, trail, inherited);
  };

  if (generic) return expandGeneric(d, binding, node, context, request, trail, build);
  return namedDefinition(d, binding, build);
}

export function describeAlias(
  d: TypeDescriber,
  binding: Extract<Binding, { kind: "declaration" }>,
  declaration: ts.TypeAliasDeclaration,
  node: ts.NodeWithTypeArguments,
  context: TypeContext,
  request: DescribeRequest,
  trail: string,
): TypeDesc | undefined {
  const inner = genericContext(
    binding.file,
    declaration.typeParameters,
    node.typeArguments,
    context,
  );
  const build = () => d.describe(declaration.type, inner, request, trail);

  if (declaration.typeParameters?.length) {
    return expandGeneric(d, binding, node, context, request, trail, build);
  }
  // Aliases of a keyword or literal are cheaper inline than behind a named check.
  if (ts.isLiteralTypeNode(declaration.type) || isKeyword(declaration.type)) return build();
  return namedDefinition(d, binding, build);
}

export function describeHeritage(
  d: TypeDescriber,
  base: ts.ExpressionWithTypeArguments,
  context: TypeContext,
  request: DescribeRequest,
  trail: string,
): TypeDesc | undefined {
  const expression = base.expression;
  if (!ts.isIdentifier(expression) && !ts.isPropertyAccessExpression(expression)) {
    return d.refuse(base, context, request, trail, "this base type");
  }
  const binding = d.resolver.resolveEntity(context.file, expression);
  if (!binding) {
    return describeLibraryType(
      d,
      expression.getText(d.sourceFile(context)),
      base,
      context,
      request,
      trail,
    );
  }
  return describeBinding(d, binding, base, context, request, trail);
}

/** Non-generic named types become definitions, referenced by name, so they may recurse. */
export function namedDefinition(
  d: TypeDescriber,
  binding: Extract<Binding, { kind: "declaration" }>,
  build: () => TypeDesc | undefined,
): TypeDesc | undefined {
  const key = `${d.locator.relative(binding.file)}#${binding.name}`;
  const existing = d.definitions.get(key);
  if (existing) {
    // Still being built (a recursive type): the frame building it collects what it reads.
    d.tracker.used(key, existing.dependencies);
    return { kind: "ref", name: key };
  }

  const definition: Definition = { name: binding.name };
  d.definitions.set(key, definition);
  d.tracker.begin();
  const desc = build();
  const dependencies = d.tracker.end();
  if (!desc) {
    d.definitions.delete(key);
    return undefined;
  }
  definition.desc = desc;
  definition.dependencies = dependencies;
  d.tracker.used(key, dependencies);
  return { kind: "ref", name: key };
}

/** Generic types are expanded per use; one that contains itself cannot be expanded. */
export function expandGeneric(
  d: TypeDescriber,
  binding: Extract<Binding, { kind: "declaration" }>,
  node: ts.Node,
  context: TypeContext,
  request: DescribeRequest,
  trail: string,
  build: () => TypeDesc | undefined,
): TypeDesc | undefined {
  const key = `${binding.file}#${binding.name}`;
  if (d.stack.includes(key)) {
    return d.refuse(
      node,
      context,
      request,
      trail,
      `the recursive generic type '${binding.name}'`,
      "declare a non-generic interface for the recursive part",
    );
  }
  d.stack.push(key);
  try {
    return build();
  } finally {
    d.stack.pop();
  }
}

/**
 * The context inside a generic declaration in `file`: each type parameter bound to the type
 * argument written at the use (in the user's context), or else to its default.
 */
export function genericContext(
  file: string,
  parameters: readonly ts.TypeParameterDeclaration[] | undefined,
  typeArguments: readonly ts.TypeNode[] | undefined,
  context: TypeContext,
): TypeContext {
  const params = new Map<string, ContextualType>();
  const inner: TypeContext = { file, params };
  for (const [index, parameter] of (parameters ?? []).entries()) {
    const argument = typeArguments?.[index];
    if (argument) params.set(parameter.name.text, { node: argument, context });
    else if (parameter.default)
      params.set(parameter.name.text, { node: parameter.default, context: inner });
  }
  return inner;
}

export function describeEnumMember(
  d: TypeDescriber,
  typeName: ts.EntityName,
  context: TypeContext,
): TypeDesc | undefined {
  if (!ts.isQualifiedName(typeName)) return undefined;
  const owner = d.resolver.resolveEntity(context.file, typeName.left);
  const declaration = owner?.kind === "declaration" ? owner.nodes[0] : undefined;
  if (!declaration || !ts.isEnumDeclaration(declaration)) return undefined;

  const all = describeEnum(declaration, () => undefined, typeName.right.text);
  return all;
}
