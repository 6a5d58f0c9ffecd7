import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";

import type { ProjectModel } from "../model/types.js";
import { buildViewModel, type ViewOptions } from "./view-model.js";

/** One generated file: its path relative to the project, and its exact bytes as text. */
export interface OutputFile {
  readonly path: string;
  readonly text: string;
}

export interface RenderOptions extends ViewOptions {
  /** Project-relative POSIX path of cron.yaml. */
  readonly cronFile: string;
}

const TEMPLATE_NAMES = ["dispatch.ts", "stubs.ts", "validators.ts", "cron.yaml"] as const;
type TemplateName = (typeof TEMPLATE_NAMES)[number];

let compiled: Map<TemplateName, Handlebars.TemplateDelegate> | undefined;

/** Renders every generated file from the model; the same model always gives the same bytes. */
export function render(model: ProjectModel, options: RenderOptions): OutputFile[] {
  const view = buildViewModel(model, options);
  const templates = loadTemplates();
  const out = (name: string) => path.posix.join(options.outDir, name);
  const apply = (name: TemplateName) => normalise(templates.get(name)?.(view) ?? "");

  return [
    { path: out("dispatch.ts"), text: apply("dispatch.ts") },
    { path: out("manifest.json"), text: manifest(model, view.header) },
    { path: out("stubs.ts"), text: apply("stubs.ts") },
    { path: out("validators.ts"), text: apply("validators.ts") },
    { path: options.cronFile, text: apply("cron.yaml") },
  ];
}

/** The manifest: every task as `taskgen list --json` prints it, plus cron groups and types. */
export function manifest(model: ProjectModel, header: readonly string[]): string {
  const document = {
    $comment: header.join(" "),
    version: 1,
    tasks: manifestTasks(model),
    cronGroups: model.cronGroups,
    definitions: Object.fromEntries(model.definitions),
  };
  return JSON.stringify(document, null, 2) + "\n";
}

/** The task entries of the manifest and of `taskgen list --json`. */
export function manifestTasks(model: ProjectModel): object[] {
  return model.tasks.map((task) => ({
    id: task.id,
    kind: task.kind,
    symbol: task.symbol,
    file: task.location.file,
    line: task.location.line,
    column: task.location.column,
    export: task.target.exportName,
    ...(task.target.member !== undefined && {
      member: task.target.member,
      static: task.target.isStatic,
    }),
    ...task.options,
    ...(task.payload && { payload: task.payload }),
  }));
}

function loadTemplates(): Map<TemplateName, Handlebars.TemplateDelegate> {
  if (compiled) return compiled;
  const dir = templatesDir();
  compiled = new Map(
    TEMPLATE_NAMES.map((name) => {
      const source = fs.readFileSync(path.join(dir, `${name}.hbs`), "utf8");
      return [name, Handlebars.compile(source, { noEscape: true, strict: true })];
    }),
  );
  return compiled;
}

/** `templates/` sits at the package root, above both the sources and `dist/`. */
function templatesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, "templates", "dispatch.ts.hbs"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("Cannot find taskgen's templates folder");
    dir = parent;
  }
  return path.join(dir, "templates");
}

/**
 * No runs of blank lines and one final newline. Templates and rendered code use LF and leave
 * no trailing spaces, so only the seams between template blocks need mending.
 */
function normalise(text: string): string {
  return text.replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}
