import fs from "node:fs";
import { ts } from "../typescript.js";

import type { ProjectFiles } from "./project.js";

/** Where an import specifier leads: taskgen itself, a project file, or a module we do not read. */
export type ModuleTarget =
  | { readonly kind: "taskgen" }
  | { readonly kind: "file"; readonly file: string }
  | { readonly kind: "external"; readonly specifier: string };

/** A name bound by an import: `imported` is the exported name, `*` or `default`. */
export interface ImportBinding {
  readonly specifier: string;
  readonly imported: string;
}

export type ExportBinding =
  | { readonly kind: "local"; readonly local: string }
  | { readonly kind: "reexport"; readonly specifier: string; readonly imported: string }
  /** `export default <expression>` or a default-exported class or function without a name. */
  | { readonly kind: "node"; readonly node: ts.Node };

/** The module-level bindings of one file, computed once per parse. */
export interface FileFacts {
  readonly sourceFile: ts.SourceFile;
  /** Top-level declarations by name; interfaces may have several. */
  readonly locals: ReadonlyMap<string, readonly ts.Node[]>;
  readonly imports: ReadonlyMap<string, ImportBinding>;
  readonly exports: ReadonlyMap<string, ExportBinding>;
  /** Specifiers of `export * from "..."`. */
  readonly starExports: readonly string[];
}

const TASKGEN_PACKAGE = "taskgen";

/** How the scanner reads files: the disk by default, a map of texts in tests. */
export interface SourceHost extends ts.ModuleResolutionHost {
  readFile(fileName: string): string | undefined;
  fileExists(fileName: string): boolean;
}

export const DISK_HOST: SourceHost = {
  readFile: (fileName) => readText(fileName),
  fileExists: (fileName) => ts.sys.fileExists(fileName),
  directoryExists: (dir) => ts.sys.directoryExists(dir),
  realpath: (fileName) => ts.sys.realpath?.(fileName) ?? fileName,
  getDirectories: (dir) => ts.sys.getDirectories(dir),
};

/**
 * Holds file texts and parses files on demand, once each. Everything the scanner knows about a
 * file comes from here, so watch mode invalidates one file and keeps the rest.
 */
export class SourceStore {
  readonly #texts = new Map<string, string | undefined>();
  readonly #facts = new Map<string, FileFacts>();
  readonly #resolutionCache: ts.ModuleResolutionCache;
  readonly #resolved = new Map<string, ModuleTarget>();

  constructor(
    readonly project: ProjectFiles,
    readonly host: SourceHost = DISK_HOST,
  ) {
    this.#resolutionCache = ts.createModuleResolutionCache(project.root, (f) => f, project.options);
  }

  /** The file's text, read from disk on first use; undefined when it cannot be read. */
  text(file: string): string | undefined {
    if (!this.#texts.has(file)) this.#texts.set(file, this.host.readFile(file));
    return this.#texts.get(file);
  }

  /**
   * Forgets what was read and parsed for a file, after its content changed. Module resolution
   * is kept: it depends on which files exist, and a file that appears or vanishes makes the
   * caller start over with a new store.
   */
  invalidate(file: string): void {
    this.#texts.delete(file);
    this.#facts.delete(file);
  }

  /** Called with every file whose facts are asked for; the scanner tracks dependencies here. */
  onRead: ((file: string) => void) | undefined;

  facts(file: string): FileFacts | undefined {
    this.onRead?.(file);
    const cached = this.#facts.get(file);
    if (cached) return cached;

    const text = this.text(file);
    if (text === undefined) return undefined;
    const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
    const facts = collectFacts(sourceFile);
    this.#facts.set(file, facts);
    return facts;
  }

  resolveModule(fromFile: string, specifier: string): ModuleTarget {
    if (specifier === TASKGEN_PACKAGE || specifier.startsWith(TASKGEN_PACKAGE + "/")) {
      return { kind: "taskgen" };
    }
    const cacheKey = fromFile + "\0" + specifier;
    const cached = this.#resolved.get(cacheKey);
    if (cached) return cached;

    const { resolvedModule } = ts.resolveModuleName(
      specifier,
      fromFile,
      this.project.options,
      this.host,
      this.#resolutionCache,
    );
    const target: ModuleTarget =
      resolvedModule && !resolvedModule.isExternalLibraryImport
        ? { kind: "file", file: resolvedModule.resolvedFileName }
        : { kind: "external", specifier };
    this.#resolved.set(cacheKey, target);
    return target;
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function collectFacts(sourceFile: ts.SourceFile): FileFacts {
  const locals = new Map<string, ts.Node[]>();
  const imports = new Map<string, ImportBinding>();
  const exports = new Map<string, ExportBinding>();
  const starExports: string[] = [];

  const addLocal = (name: string, node: ts.Node) => {
    const list = locals.get(name);
    if (list) list.push(node);
    else locals.set(name, [node]);
  };

  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement)) {
      collectImport(statement, imports);
    } else if (ts.isExportDeclaration(statement)) {
      collectExport(statement, exports, starExports);
    } else if (ts.isExportAssignment(statement)) {
      const expr = statement.expression;
      exports.set(
        "default",
        ts.isIdentifier(expr) ? { kind: "local", local: expr.text } : { kind: "node", node: expr },
      );
    } else if (ts.isVariableStatement(statement)) {
      const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
      for (const decl of statement.declarationList.declarations) {
        if (!ts.isIdentifier(decl.name)) continue;
        addLocal(decl.name.text, decl);
        if (exported) exports.set(decl.name.text, { kind: "local", local: decl.name.text });
      }
    } else if (isNamedDeclaration(statement)) {
      const name = statement.name?.text;
      if (name) addLocal(name, statement);

      if (!hasModifier(statement, ts.SyntaxKind.ExportKeyword)) continue;
      if (hasModifier(statement, ts.SyntaxKind.DefaultKeyword)) {
        exports.set(
          "default",
          name ? { kind: "local", local: name } : { kind: "node", node: statement },
        );
      } else if (name) {
        exports.set(name, { kind: "local", local: name });
      }
    }
  }
  return { sourceFile, locals, imports, exports, starExports };
}

type NamedDeclaration =
  | ts.ClassDeclaration
  | ts.FunctionDeclaration
  | ts.InterfaceDeclaration
  | ts.TypeAliasDeclaration
  | ts.EnumDeclaration;

function isNamedDeclaration(node: ts.Node): node is NamedDeclaration {
  return (
    ts.isClassDeclaration(node) ||
    ts.isFunctionDeclaration(node) ||
    ts.isInterfaceDeclaration(node) ||
    ts.isTypeAliasDeclaration(node) ||
    ts.isEnumDeclaration(node)
  );
}

function collectImport(statement: ts.ImportDeclaration, imports: Map<string, ImportBinding>) {
  if (!ts.isStringLiteral(statement.moduleSpecifier) || !statement.importClause) return;

  const specifier = statement.moduleSpecifier.text;
  const clause = statement.importClause;
  if (clause.name) imports.set(clause.name.text, { specifier, imported: "default" });

  const bindings = clause.namedBindings;
  if (!bindings) return;
  if (ts.isNamespaceImport(bindings)) {
    imports.set(bindings.name.text, { specifier, imported: "*" });
    return;
  }
  for (const element of bindings.elements) {
    const imported = (element.propertyName ?? element.name).text;
    imports.set(element.name.text, { specifier, imported });
  }
}

function collectExport(
  statement: ts.ExportDeclaration,
  exports: Map<string, ExportBinding>,
  starExports: string[],
) {
  const specifier =
    statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
      ? statement.moduleSpecifier.text
      : undefined;
  const clause = statement.exportClause;

  if (!clause) {
    if (specifier !== undefined) starExports.push(specifier);
    return;
  }
  if (ts.isNamespaceExport(clause)) {
    if (specifier !== undefined) {
      exports.set(clause.name.text, { kind: "reexport", specifier, imported: "*" });
    }
    return;
  }
  for (const element of clause.elements) {
    const source = (element.propertyName ?? element.name).text;
    exports.set(
      element.name.text,
      specifier === undefined
        ? { kind: "local", local: source }
        : { kind: "reexport", specifier, imported: source },
    );
  }
}

export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return (
    ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false)
  );
}
