import { ts } from "../typescript.js";

import type { SourceStore } from "./source-store.js";
import { KNOWN_EXPORTS } from "./taskgen-exports.js";

/**
 * What a name in a file stands for, found by following imports and re-exports through the
 * project's files, without the type checker.
 */
export type Binding =
  /** An export of taskgen; `*` is the namespace itself (`import * as tg from "taskgen"`). */
  | { readonly kind: "taskgen"; readonly name: string }
  | {
      readonly kind: "declaration";
      readonly file: string;
      readonly name: string;
      readonly nodes: readonly ts.Node[];
    }
  | { readonly kind: "namespace"; readonly file: string }
  | { readonly kind: "external"; readonly specifier: string; readonly name: string };

/** Following re-exports deeper than this means a cycle the `seen` set did not catch. */
const MAX_DEPTH = 64;

export class Resolver {
  constructor(readonly store: SourceStore) {}

  /** Resolves a name used in `file`; undefined for globals such as `Date`. */
  resolveName(file: string, name: string): Binding | undefined {
    const facts = this.store.facts(file);
    if (!facts) return undefined;

    const nodes = facts.locals.get(name);
    if (nodes) return { kind: "declaration", file, name, nodes };

    const imported = facts.imports.get(name);
    if (!imported) return undefined;
    return this.#resolveImport(file, imported.specifier, imported.imported, new Set(), 0);
  }

  /** Resolves `a`, `a.b` or `a.b.c` (identifiers, property accesses or qualified names). */
  resolveEntity(file: string, node: ts.Node): Binding | undefined {
    if (ts.isIdentifier(node)) return this.resolveName(file, node.text);

    let left: ts.Node;
    let right: string;
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) {
      left = node.expression;
      right = node.name.text;
    } else if (ts.isQualifiedName(node)) {
      left = node.left;
      right = node.right.text;
    } else {
      return undefined;
    }

    const base = this.resolveEntity(file, left);
    if (!base) return undefined;
    if (base.kind === "taskgen" && base.name === "*") return { kind: "taskgen", name: right };
    if (base.kind === "namespace") return this.resolveExport(base.file, right, new Set(), 0);
    return undefined;
  }

  /** Resolves the export `name` of the module in `file`. */
  resolveExport(file: string, name: string, seen: Set<string>, depth: number): Binding | undefined {
    const visit = file + "\0" + name;
    if (seen.has(visit) || depth > MAX_DEPTH) return undefined;
    seen.add(visit);

    const facts = this.store.facts(file);
    if (!facts) return undefined;

    const binding = facts.exports.get(name);
    if (binding?.kind === "local") {
      const nodes = facts.locals.get(binding.local);
      if (nodes) return { kind: "declaration", file, name: binding.local, nodes };
      const imported = facts.imports.get(binding.local);
      if (imported) {
        return this.#resolveImport(file, imported.specifier, imported.imported, seen, depth + 1);
      }
      return undefined;
    }
    if (binding?.kind === "reexport") {
      return this.#resolveImport(file, binding.specifier, binding.imported, seen, depth + 1);
    }
    if (binding?.kind === "node") return { kind: "declaration", file, name, nodes: [binding.node] };

    // `export *` never re-exports a default.
    if (name === "default") return undefined;
    for (const specifier of facts.starExports) {
      const found = this.#resolveImport(file, specifier, name, seen, depth + 1);
      // `export * from "taskgen"` provides only the names taskgen really exports.
      if (found?.kind === "taskgen" && !KNOWN_EXPORTS.has(found.name)) continue;
      if (found && found.kind !== "external") return found;
    }
    return undefined;
  }

  #resolveImport(
    fromFile: string,
    specifier: string,
    imported: string,
    seen: Set<string>,
    depth: number,
  ): Binding | undefined {
    const target = this.store.resolveModule(fromFile, specifier);
    if (target.kind === "taskgen") return { kind: "taskgen", name: imported };
    if (target.kind === "external") return { kind: "external", specifier, name: imported };
    if (imported === "*") return { kind: "namespace", file: target.file };
    return this.resolveExport(target.file, imported, seen, depth);
  }
}
