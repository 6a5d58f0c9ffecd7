import { ts } from "../typescript.js";

import { CODES } from "../diagnostics.js";
import type { TaskKind, TaskTarget } from "../model/types.js";
import { findTaskBase } from "./class-bases.js";
import {
  checkImportable,
  checkVisibility,
  exportNameOf,
  memberName,
  noParameters,
} from "./declaration-checks.js";
import type { TypeContext } from "./describe-type.js";
import { misplaced, reportError, type FindContext } from "./find-context.js";
import type { FoundTask, RawOption } from "./found-task.js";
import {
  addRetryOption,
  FUNCTION_KINDS,
  markersOf,
  METHOD_KINDS,
  optionsOf,
  type Marker,
} from "./markers.js";
import { literalValue } from "./options.js";
import { hasModifier, type FileFacts } from "./source-store.js";

/** The tasks a class declares: itself (callable task, query iterator) and its methods. */
export function classTasks(
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
      reportError(
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
    reportError(
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
      reportError(
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
  // On other kinds the retry markers were reported above; their option would only add noise.
  if (kind === "deferred") {
    for (const marker of retries) addRetryOption(file, marker, options, ctx);
  }

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
    reportError(
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
    reportError(
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
      reportError(
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
