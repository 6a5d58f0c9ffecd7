import path from "node:path";

import { DEFAULT_CRON, DEFAULT_OUT, type GenerateConfig } from "./config.js";
import { CODES, hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { readOrUndefined } from "./emit/emit.js";
import { buildModel } from "./model/build-model.js";
import type { ProjectModel } from "./model/types.js";
import { render, type OutputFile, type RenderOptions } from "./render/render.js";
import { loadProject, type ProjectFiles } from "./scan/project.js";
import { Scanner } from "./scan/scanner.js";

export interface GenerateResult {
  /** Sorted by location. */
  readonly diagnostics: readonly Diagnostic[];
  /** Absent when a diagnostic is an error: nothing may be written then. */
  readonly files?: readonly OutputFile[];
  readonly model?: ProjectModel;
  /** The project root that diagnostics and output paths are relative to. */
  readonly root: string;
  /** The text of a project file, for code frames. */
  readonly sourceText: (file: string) => string | undefined;
}

/**
 * One project's generation: scan, model, render. Keeps the scanner between runs, so watch mode
 * re-reads only the files that changed.
 */
export class Generation {
  #project: ProjectFiles | undefined;
  #scanner: Scanner | undefined;
  /** The previous result, returned again when the scan found nothing new. */
  #last: GenerateResult | undefined;

  constructor(readonly config: GenerateConfig) {}

  /** Forgets a changed file; `listChanged` when files were added or removed. */
  fileChanged(file: string, listChanged: boolean): void {
    if (listChanged) {
      this.#project = undefined;
      this.#scanner = undefined;
      this.#last = undefined;
      return;
    }
    this.#scanner?.fileChanged(file);
  }

  run(): GenerateResult {
    const root = path.dirname(this.config.tsconfig);
    const sourceText = (file: string) => readOrUndefined(path.resolve(root, file));

    const scanner = this.#ensureScanner();
    if (!scanner.ok) return { diagnostics: scanner.diagnostics, root, sourceText };

    const scan = scanner.scanner.scan();
    if (!scan.changed && this.#last) return this.#last;

    const { model, diagnostics } = buildModel(scan);
    diagnostics.push(...removedIds(this.config, model));

    const sorted = sortDiagnostics(diagnostics);
    const storeText = (file: string) =>
      scanner.scanner.store.text(path.resolve(root, file)) ?? sourceText(file);
    if (hasErrors(sorted)) {
      this.#last = { diagnostics: sorted, model, root, sourceText: storeText };
      return this.#last;
    }

    const files = render(model, renderOptions(this.config));
    this.#last = { diagnostics: sorted, files, model, root, sourceText: storeText };
    return this.#last;
  }

  #ensureScanner(): { ok: true; scanner: Scanner } | { ok: false; diagnostics: Diagnostic[] } {
    if (this.#scanner) return { ok: true, scanner: this.#scanner };

    const { project, diagnostics } = loadProject(this.config.tsconfig, [this.config.outDir]);
    if (!project) return { ok: false, diagnostics };
    this.#project = project;
    this.#scanner = new Scanner(project);
    return { ok: true, scanner: this.#scanner };
  }

  /** The project's files, read from the tsconfig on first use; empty if it cannot be read. */
  get fileNames(): readonly string[] {
    this.#ensureScanner();
    return this.#project?.fileNames ?? [];
  }
}

/** Ids in the previous manifest that are gone: queued payloads naming them can never run. */
function removedIds(config: GenerateConfig, model: ProjectModel): Diagnostic[] {
  const previous = readOrUndefined(path.join(config.outDir, "manifest.json"));
  if (previous === undefined) return [];

  let ids: string[];
  try {
    const parsed = JSON.parse(previous) as { tasks?: { id?: unknown }[] };
    ids = (parsed.tasks ?? [])
      .map((t) => t.id)
      .filter((id): id is string => typeof id === "string");
  } catch {
    return [];
  }
  const current = new Set(model.tasks.map((t) => t.id));
  return ids
    .filter((id) => !current.has(id))
    .map((id) => ({
      code: CODES.removedId,
      severity: "warning" as const,
      message:
        `Task id ${JSON.stringify(id)} was in the previous manifest and is gone; ` +
        "queued tasks that name it will fail permanently",
      hint: "if the task was renamed or moved, keep its old id with the `id` option",
    }));
}

function renderOptions(config: GenerateConfig): RenderOptions {
  const root = path.dirname(config.tsconfig);
  const outDir = posixRelative(root, config.outDir);
  const cronFile = posixRelative(root, config.cronFile);
  const source = posixRelative(root, config.tsconfig);

  // Name only the options that differ from the defaults, so the usual command stays short.
  const command = ["npx taskgen generate", `-p ${source}`];
  if (outDir !== DEFAULT_OUT) command.push(`--out ${outDir}`);
  if (cronFile !== DEFAULT_CRON) command.push(`--cron ${cronFile}`);
  return { outDir, cronFile, source, command: command.join(" ") };
}

function posixRelative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join("/");
}
