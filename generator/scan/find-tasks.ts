import { ts } from "../typescript.js";

import { CODES } from "../diagnostics.js";
import { classTasks } from "./class-tasks.js";
import { checkImportable, exportNameOf, noParameters } from "./declaration-checks.js";
import { misplaced, reportError, type FindContext } from "./find-context.js";
import type { FoundTask } from "./found-task.js";
import { FUNCTION_KINDS, markerOf, markersOf } from "./markers.js";
import { readOptions } from "./options.js";
import type { FileFacts } from "./source-store.js";

export type { FindContext } from "./find-context.js";

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
    reportError(
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
        reportError(
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
