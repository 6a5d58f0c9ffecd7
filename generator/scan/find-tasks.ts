import { ts } from "../typescript.js";

import { CODES, type Diagnostic, type DiagnosticCode } from "../diagnostics.js";
import type { TaskKind, TaskTarget, TypeDesc } from "../model/types.js";
import { findTaskBase } from "./class-bases.js";
import type { TypeContext, TypeDescriber } from "./describe-type.js";
import type { FoundTask, RawOption } from "./found-task.js";
import type { Locator } from "./locator.js";
import { literalValue, readOptions } from "./options.js";
import type { Resolver } from "./resolver.js";
import { hasModifier, type FileFacts } from "./source-store.js";
import { DECLARING_EXPORTS, type DeclaringExport } from "./taskgen-exports.js";

/** Everything the per-file analysis needs, built once per scan. */
export interface FindContext {
  readonly resolver: Resolver;
  readonly locator: Locator;
  readonly describer: TypeDescriber;
  readonly report: (diagnostic: Diagnostic) => void;
  /** Names a class on a chain to a taskgen base class can extend (see findTaskBase). */
  readonly baseNames: ReadonlySet<string>;
}

/** A decorator or function form that resolved to one of taskgen's declaring exports. */
interface Marker {
  readonly name: DeclaringExport;
  readonly node: ts.Node;
  readonly args: readonly ts.Expression[];
}

const DECLARING: ReadonlySet<string> = new Set(DECLARING_EXPORTS);
const METHOD_KINDS: Partial<Record<DeclaringExport, TaskKind>> = {
  callDeferred: "deferred",
  PeriodicTask: "periodic",
  StartupTask: "startup",
};
const FUNCTION_KINDS: Partial<Record<DeclaringExport, TaskKind>> = {
  defineDeferred: "deferred",
  definePeriodic: "periodic",
  defineStartup: "startup",
};

/** Finds the task declarations of one file. */
export function findTasksInFile(file: string, facts: FileFacts, ctx: FindContext): FoundTask[] {
  const tasks: FoundTask[] = [];
  const topLevel = new Set<ts.Node>();

  for (const statement of facts.sourceFile.statements) {
    if (ts.isClassDeclaration(statement)) {
      topLevel.add(statement);
      tasks.push(...classTasks(file, facts, statement, ctx));
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        topLevel.add(declaration);
        const task = functionTask(file, facts, declaration, ctx);
        if (task) tasks.push(task);
      }
    }
  }
  reportNestedDeclarations(file, facts.sourceFile, topLevel, ctx);
  return tasks;
}

function classTasks(
  file: string,
  facts: FileFacts,
  declaration: ts.ClassDeclaration,
  ctx: FindContext,
): FoundTask[] {
  const tasks: FoundTask[] = [];
  const className = declaration.name?.text ?? "default";
  const exportName = exportNameOf(facts, declaration);
  const classMarkers = markersOf(file, declaration, ctx);

  for (const marker of classMarkers) {
    if (marker.name !== "CallableTask") misplaced(file, marker, "a class", ctx);
  }
  const callable = classMarkers.find((m) => m.name === "CallableTask");
  const base = findTaskBase(ctx.resolver, file, declaration, ctx.baseNames);
  const isAbstract = hasModifier(declaration, ts.SyntaxKind.AbstractKeyword);

  if (callable) {
    const task = callableTask(file, declaration, className, exportName, callable, base, ctx);
    if (task) tasks.push(task);
  } else if (base?.base === "QueryIter" && !isAbstract) {
    const task = queryIterTask(file, declaration, className, exportName, base, ctx);
    if (task) tasks.push(task);
  }

  for (const member of declaration.members) {
    const markers = markersOf(file, member, ctx);
    if (markers.length === 0) continue;
    if (!ts.isMethodDeclaration(member)) {
      for (const marker of markers) misplaced(file, marker, "this class member", ctx);
      continue;
    }
    const task = methodTask(file, declaration, className, exportName, member, markers, ctx);
    if (task) tasks.push(task);
  }
  return tasks;
}

function methodTask(
  file: string,
  owner: ts.ClassDeclaration,
  className: string,
  exportName: string | undefined,
  method: ts.MethodDeclaration,
  markers: readonly Marker[],
  ctx: FindContext,
): FoundTask | undefined {
  const kinds = markers.filter((m) => METHOD_KINDS[m.name] !== undefined);
  const retries = markers.filter((m) => m.name === "noRetry" || m.name === "retry");
  for (const marker of markers) {
    if (marker.name === "CallableTask" || FUNCTION_KINDS[marker.name]) {
      misplaced(file, marker, "a method", ctx);
    }
  }

  const primary = kinds[0];
  if (!primary) {
    for (const marker of retries) {
      error(
        ctx,
        file,
        marker.node,
        CODES.conflictingDecorators,
        `@${marker.name} needs @callDeferred on the same method`,
      );
    }
    return undefined;
  }
  const kind = METHOD_KINDS[primary.name] as TaskKind;
  const member = memberName(method.name);
  const symbol = `${className}.${member ?? "?"}`;
  if (kinds.length > 1) {
    const names = kinds.map((k) => "@" + k.name).join(" and ");
    error(
      ctx,
      file,
      kinds[1]?.node ?? method,
      CODES.conflictingDecorators,
      `${symbol} carries ${names}; a method is one kind of task`,
    );
    return undefined;
  }
  if (kind !== "deferred") {
    for (const marker of retries) {
      error(
        ctx,
        file,
        marker.node,
        CODES.conflictingDecorators,
        `@${marker.name} applies only to deferred tasks`,
      );
    }
  }
  // Report every problem of the declaration, not only the first.
  const visible = checkVisibility(file, method, member, symbol, ctx);
  const importable = checkImportable(file, owner, exportName, symbol, ctx);
  const reachable = visible && importable;

  const options = optionsOf(file, primary, ctx);
  for (const marker of retries) addRetryOption(file, marker, options, ctx);

  const context: TypeContext = { file, params: new Map() };
  const location = ctx.locator.locate(file, method.name);
  const isStatic = hasModifier(method, ts.SyntaxKind.StaticKeyword);
  const target: TaskTarget = {
    exportName: exportName ?? className,
    member: member ?? "",
    isStatic,
    file: ctx.locator.relative(file),
  };
  const task = { kind, symbol, location, target, options };

  if (kind !== "deferred") {
    return noParameters(file, method.parameters, symbol, ctx) && reachable ? task : undefined;
  }
  const payload = ctx.describer.describeParameters(method.parameters, context, {
    task: symbol,
    allowUnknown: options.get("allowUnknown")?.value === true,
  });
  return payload && reachable ? { ...task, payload } : undefined;
}

function callableTask(
  file: string,
  declaration: ts.ClassDeclaration,
  className: string,
  exportName: string | undefined,
  marker: Marker,
  base: ReturnType<typeof findTaskBase>,
  ctx: FindContext,
): FoundTask | undefined {
  if (base?.base !== "CallableTaskBase") {
    error(
      ctx,
      file,
      marker.node,
      CODES.callableWithoutBase,
      `@CallableTask is on '${className}', which does not extend CallableTaskBase`,
      "declare it as `class X extends CallableTaskBase<Input>`",
    );
    return undefined;
  }
  if (hasModifier(declaration, ts.SyntaxKind.AbstractKeyword)) {
    error(
      ctx,
      file,
      marker.node,
      CODES.unsupportedTarget,
      `@CallableTask is on the abstract class '${className}'`,
    );
    return undefined;
  }
  if (!checkImportable(file, declaration, exportName, className, ctx)) return undefined;

  const options = optionsOf(file, marker, ctx);
  const task = classTask("callable", file, declaration, className, exportName, options, ctx);
  const input = base.typeArguments[0];
  if (!input) return task;

  const payload = ctx.describer.describe(
    input.node,
    input.context,
    { task: className, allowUnknown: options.get("allowUnknown")?.value === true },
    "input",
  );
  return payload ? { ...task, payload } : undefined;
}

function queryIterTask(
  file: string,
  declaration: ts.ClassDeclaration,
  className: string,
  exportName: string | undefined,
  base: NonNullable<ReturnType<typeof findTaskBase>>,
  ctx: FindContext,
): FoundTask | undefined {
  if (!checkImportable(file, declaration, exportName, className, ctx)) return undefined;

  const options = staticOptions(file, declaration, ctx);
  const task = classTask("queryIter", file, declaration, className, exportName, options, ctx);
  const customData = base.typeArguments[1];
  if (!customData) return task;

  const payload = ctx.describer.describe(
    customData.node,
    customData.context,
    { task: className, allowUnknown: false },
    "custom data",
  );
  return payload ? { ...task, payload } : undefined;
}

function classTask(
  kind: TaskKind,
  file: string,
  declaration: ts.ClassDeclaration,
  className: string,
  exportName: string | undefined,
  options: Map<string, RawOption>,
  ctx: FindContext,
): FoundTask {
  return {
    kind,
    symbol: className,
    location: ctx.locator.locate(file, declaration.name ?? declaration),
    target: {
      exportName: exportName ?? className,
      isStatic: true,
      file: ctx.locator.relative(file),
    },
    options,
  };
}

/** Query iterators take their options from `static taskId` and `static chunkSize`. */
function staticOptions(
  file: string,
  declaration: ts.ClassDeclaration,
  ctx: FindContext,
): Map<string, RawOption> {
  const options = new Map<string, RawOption>();
  const names: Record<string, string> = { taskId: "id", chunkSize: "chunkSize" };

  for (const member of declaration.members) {
    if (!ts.isPropertyDeclaration(member) || !hasModifier(member, ts.SyntaxKind.StaticKeyword)) {
      continue;
    }
    const name = ts.isIdentifier(member.name) ? names[member.name.text] : undefined;
    if (!name || !member.initializer) continue;

    const value = literalValue(member.initializer);
    if (value === undefined) {
      error(
        ctx,
        file,
        member.initializer,
        CODES.invalidOption,
        `static ${ts.isIdentifier(member.name) ? member.name.text : name} must be a literal`,
      );
      continue;
    }
    options.set(name, { value, location: ctx.locator.locate(file, member.initializer) });
  }
  return options;
}

/** `export const sendMail = defineDeferred(async (to: string) => { ... }, { queue: "mail" })`. */
function functionTask(
  file: string,
  facts: FileFacts,
  declaration: ts.VariableDeclaration,
  ctx: FindContext,
): FoundTask | undefined {
  const call = declaration.initializer;
  if (!call || !ts.isCallExpression(call) || !ts.isIdentifier(declaration.name)) return undefined;

  const marker = markerOf(file, call.expression, call, call.arguments, ctx);
  const kind = marker && FUNCTION_KINDS[marker.name];
  if (!marker) return undefined;
  if (!kind) {
    misplaced(file, marker, "a variable", ctx);
    return undefined;
  }

  const name = declaration.name.text;
  const exportName = exportNameOf(facts, declaration);
  if (!checkImportable(file, declaration, exportName, name, ctx)) return undefined;

  // definePeriodic(options, fn); the others take (fn, options?).
  const [first, second] = call.arguments;
  const fn = kind === "periodic" ? second : first;
  const optionsNode = kind === "periodic" ? first : second;
  const options = readOptions(optionsNode, file, ctx.locator, ctx.report);

  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
    error(
      ctx,
      file,
      call,
      CODES.unsupportedTarget,
      `${marker.name} needs a function written in place`,
      "pass `async (...) => { ... }` directly",
    );
    return undefined;
  }
  const task: FoundTask = {
    kind,
    symbol: name,
    location: ctx.locator.locate(file, declaration.name),
    target: { exportName: exportName ?? name, isStatic: true, file: ctx.locator.relative(file) },
    options,
  };
  if (kind !== "deferred") return noParameters(file, fn.parameters, name, ctx) ? task : undefined;

  const payload = ctx.describer.describeParameters(
    fn.parameters,
    { file, params: new Map() },
    { task: name, allowUnknown: options.get("allowUnknown")?.value === true },
  );
  return payload ? { ...task, payload } : undefined;
}

/** Decorators anywhere but on a top-level class or its members: the table cannot reach them. */
function reportNestedDeclarations(
  file: string,
  sourceFile: ts.SourceFile,
  topLevel: ReadonlySet<ts.Node>,
  ctx: FindContext,
): void {
  const text = sourceFile.text;
  const visit = (node: ts.Node, parent: ts.Node | undefined): void => {
    // Only a subtree with an `@` in its text can hold a decorator: skip the rest unread.
    const at = text.indexOf("@", node.pos);
    if (at === -1 || at >= node.end) return;

    const reachable =
      topLevel.has(node) ||
      (parent !== undefined && ts.isClassDeclaration(parent) && topLevel.has(parent));
    if (!reachable) {
      for (const marker of markersOf(file, node, ctx)) {
        error(
          ctx,
          file,
          marker.node,
          CODES.notImportable,
          `@${marker.name} is on a declaration the generated code cannot import`,
          "declare the class at the top level of its module and export it",
        );
      }
    }
    ts.forEachChild(node, (child) => visit(child, node));
  };
  for (const statement of sourceFile.statements) visit(statement, undefined);
}

function markersOf(file: string, node: ts.Node, ctx: FindContext): Marker[] {
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

function markerOf(
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

function optionsOf(file: string, marker: Marker, ctx: FindContext): Map<string, RawOption> {
  return readOptions(marker.args[0], file, ctx.locator, ctx.report);
}

function addRetryOption(
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
    error(
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

function noParameters(
  file: string,
  parameters: readonly ts.ParameterDeclaration[],
  symbol: string,
  ctx: FindContext,
): boolean {
  const required = parameters.filter(
    (p) => !p.questionToken && !p.initializer && !p.dotDotDotToken && !isThis(p),
  );
  if (required.length === 0) return true;
  error(
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

function checkVisibility(
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
  error(
    ctx,
    file,
    method.name,
    CODES.notPublic,
    `${symbol} must be a public method with a plain name to be a task`,
    "the generated dispatch table calls it from outside the class",
  );
  return false;
}

function checkImportable(
  file: string,
  declaration: ts.Node,
  exportName: string | undefined,
  symbol: string,
  ctx: FindContext,
): boolean {
  if (exportName !== undefined) return true;
  const named = ts.isClassDeclaration(declaration) || ts.isVariableDeclaration(declaration);
  const at = named && declaration.name ? declaration.name : declaration;
  error(
    ctx,
    file,
    at,
    CODES.notImportable,
    `'${symbol}' declares a task but is not exported from its module`,
    "export it so the generated dispatch table can import it",
  );
  return false;
}

function exportNameOf(
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

function memberName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

function misplaced(file: string, marker: Marker, where: string, ctx: FindContext): void {
  error(
    ctx,
    file,
    marker.node,
    CODES.unsupportedTarget,
    `${marker.name} cannot be used on ${where}`,
  );
}

function error(
  ctx: FindContext,
  file: string,
  node: ts.Node,
  code: DiagnosticCode,
  message: string,
  hint?: string,
): void {
  const location = ctx.locator.locate(file, node);
  ctx.report(
    hint
      ? { code, severity: "error", location, message, hint }
      : { code, severity: "error", location, message },
  );
}

export type { TypeDesc };
