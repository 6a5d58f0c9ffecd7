import path from "node:path";
import { ts } from "../typescript.js";

import type { SourceLocation } from "../model/types.js";
import type { SourceStore } from "./source-store.js";

/** Turns nodes into project-relative locations, for the model and for diagnostics. */
export class Locator {
  readonly #relative = new Map<string, string>();

  constructor(readonly store: SourceStore) {}

  /** POSIX path relative to the project root. */
  relative(file: string): string {
    let relative = this.#relative.get(file);
    if (relative === undefined) {
      relative = path.relative(this.store.project.root, file).split(path.sep).join("/");
      this.#relative.set(file, relative);
    }
    return relative;
  }

  sourceFile(file: string): ts.SourceFile {
    const facts = this.store.facts(file);
    if (!facts) throw new Error(`Cannot read '${file}' after it was parsed`);
    return facts.sourceFile;
  }

  locate(file: string, node: ts.Node): SourceLocation {
    const sourceFile = this.sourceFile(file);
    const start = node.pos >= 0 ? node.getStart(sourceFile) : 0;
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(start);
    return { file: this.relative(file), line: line + 1, column: character + 1 };
  }
}
