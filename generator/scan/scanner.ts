import { ts } from "../typescript.js";

import type { Diagnostic } from "../diagnostics.js";
import type { TypeDesc } from "../model/types.js";
import { findTaskBase } from "./class-bases.js";
import { DependencyTracker, type Dependencies } from "./dependency-tracker.js";
import { TypeDescriber, type Definition } from "./describe-type.js";
import { findTasksInFile } from "./find-tasks.js";
import type { FoundTask } from "./found-task.js";
import { Locator } from "./locator.js";
import { moduleBaseName, TextIndex, textFacts } from "./prefilter.js";
import type { ProjectFiles } from "./project.js";
import { Resolver } from "./resolver.js";
import { DISK_HOST, hasModifier, SourceStore, type SourceHost } from "./source-store.js";
import { BASE_CLASS_EXPORTS, DECLARING_EXPORTS } from "./taskgen-exports.js";

const FUNCTION_FORMS: ReadonlySet<string> = new Set([
  "defineDeferred",
  "definePeriodic",
  "defineStartup",
]);

interface FileResult {
  readonly tasks: readonly FoundTask[];
  readonly diagnostics: readonly Diagnostic[];
  readonly dependencies: Dependencies;
  /** The named types its tasks use, to put back when the result is reused. */
  readonly definitions: ReadonlyMap<string, Definition>;
}

export interface ScanResult {
  /** In file order, then source order. */
  readonly tasks: readonly FoundTask[];
  /** Named types, keyed `file#Name`, with the declared name. */
  readonly definitions: ReadonlyMap<string, { readonly name: string; readonly desc: TypeDesc }>;
  readonly diagnostics: readonly Diagnostic[];
  /**
   * False when the result is known to equal the previous scan's: the same candidate files, and
   * every file analysed again found what it found before. Watch mode then skips rendering.
   */
  readonly changed: boolean;
}

/**
 * Finds every task declaration of a project. A cheap look at each file's text picks the files
 * that may declare tasks, growing the pick along `extends` chains; only those are parsed, and
 * precise resolution through imports decides. Keeps its caches between scans for watch mode.
 */
export class Scanner {
  readonly store: SourceStore;
  readonly resolver: Resolver;
  readonly locator: Locator;
  readonly #index = new TextIndex();
  /** Each candidate file's analysis, kept until a file it read changes. */
  readonly #results = new Map<string, FileResult>();
  #baseKey = "";
  #lastCandidates = "";
  /** Fingerprints of results dropped since the last scan, to tell whether anything changed. */
  readonly #stale = new Map<string, string>();

  constructor(
    readonly project: ProjectFiles,
    host: SourceHost = DISK_HOST,
  ) {
    this.store = new SourceStore(project, host);
    this.resolver = new Resolver(this.store);
    this.locator = new Locator(this.store);
  }

  /** Drops what is known of a file after its content changed. */
  fileChanged(file: string): void {
    this.store.invalidate(file);
    this.#index.delete(file);
    for (const [cachedFile, result] of this.#results) {
      if (cachedFile === file || result.dependencies.files.has(file)) {
        this.#results.delete(cachedFile);
        this.#stale.set(cachedFile, fingerprint(result));
      }
    }
  }

  scan(): ScanResult {
    this.#indexTexts();

    const { candidates: found, baseNames } = this.#candidates(this.resolver);
    const candidates = [...found].sort();
    // Which names lead to a task base decides what each file's analysis looks at.
    const baseKey = [...baseNames].sort().join(" ");
    let changed = baseKey !== this.#baseKey || candidates.join("\0") !== this.#lastCandidates;
    if (baseKey !== this.#baseKey) this.#results.clear();
    this.#baseKey = baseKey;
    this.#lastCandidates = candidates.join("\0");

    const session = this.#session(baseNames);
    const tasks: FoundTask[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const file of candidates) {
      let result = this.#results.get(file);
      if (result) {
        session.restore(result);
      } else {
        result = session.analyse(file);
        this.#results.set(file, result);
        if (this.#stale.get(file) !== fingerprint(result)) changed = true;
      }
      tasks.push(...result.tasks);
      diagnostics.push(...result.diagnostics);
    }
    this.store.onRead = undefined;
    this.#stale.clear();

    return { tasks, definitions: session.definitions(), diagnostics, changed };
  }

  /** One scan's shared state: the type describer, and what each analysis reads and reports. */
  #session(baseNames: ReadonlySet<string>) {
    let reported: Diagnostic[] = [];
    const report = (d: Diagnostic) => reported.push(d);
    const tracker = new DependencyTracker();
    const describer = new TypeDescriber(this.resolver, this.locator, report, tracker);
    const ctx = { resolver: this.resolver, locator: this.locator, describer, report, baseNames };
    this.store.onRead = (file) => tracker.read(file);

    return {
      analyse: (file: string): FileResult => {
        reported = [];
        tracker.begin();
        const facts = this.store.facts(file);
        const tasks = facts ? findTasksInFile(file, facts, ctx) : [];
        const dependencies = tracker.end();

        const definitions = new Map<string, Definition>();
        for (const key of dependencies.definitions) {
          const definition = describer.definitions.get(key);
          if (definition?.desc) definitions.set(key, definition);
        }
        return { tasks, diagnostics: reported, dependencies, definitions };
      },

      /** A kept result's named types go back in, for the files analysed after it. */
      restore: (result: FileResult): void => {
        for (const [key, definition] of result.definitions) {
          if (!describer.definitions.has(key)) describer.definitions.set(key, definition);
        }
      },

      definitions: () => {
        const complete = new Map<string, { name: string; desc: TypeDesc }>();
        for (const [key, { name, desc }] of describer.definitions) {
          if (desc) complete.set(key, { name, desc });
        }
        return complete;
      },
    };
  }

  #indexTexts(): void {
    for (const file of this.project.fileNames) {
      if (this.#index.get(file)) continue;
      const text = this.store.text(file);
      if (text !== undefined) this.#index.set(file, textFacts(text));
    }
  }

  /**
   * Files that mention taskgen, plus files with classes extending a task base class by any
   * chain: the set grows name by name (with renames and default imports) until it is closed.
   */
  #candidates(resolver: Resolver): { candidates: Set<string>; baseNames: Set<string> } {
    const candidates = new Set<string>();
    const decorators = this.#closeOverAliases(DECLARING_EXPORTS);
    const functionAliases = [...this.#closeOverAliases([...FUNCTION_FORMS])].filter(
      (n) => !FUNCTION_FORMS.has(n),
    );
    for (const file of this.project.fileNames) {
      const facts = this.#index.get(file);
      if (!facts) continue;
      if (facts.mentionsFunctionForm || facts.decoratorNames.some((n) => decorators.has(n))) {
        candidates.add(file);
      }
    }
    this.#addAliasedFunctionForms(candidates, functionAliases);

    const queue: string[] = [...BASE_CLASS_EXPORTS];
    const seenNames = new Set<string>(queue);
    const enqueue = (name: string) => {
      if (seenNames.has(name)) return;
      seenNames.add(name);
      queue.push(name);
    };

    for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
      for (const alias of this.#index.aliasesOf(name)) enqueue(alias);

      for (const file of this.#index.filesExtending(name)) {
        candidates.add(file);
        for (const subclass of this.#taskBaseSubclasses(file, resolver, seenNames)) {
          enqueue(subclass.name);
          if (subclass.isDefault) {
            for (const local of this.#index.defaultImportsOf(moduleBaseName(file))) enqueue(local);
          }
        }
      }
    }
    return { candidates, baseNames: seenNames };
  }

  /** The names and every rename of them (`callDeferred as later`), transitively. */
  #closeOverAliases(names: readonly string[]): Set<string> {
    const closed = new Set(names);
    const queue = [...names];
    for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
      for (const alias of this.#index.aliasesOf(name)) {
        if (closed.has(alias)) continue;
        closed.add(alias);
        queue.push(alias);
      }
    }
    return closed;
  }

  /**
   * A renamed function form (`defineDeferred as later`) is called without `@`, so the files
   * calling it are found by the new name; renames are rare, so this pass seldom runs.
   */
  #addAliasedFunctionForms(candidates: Set<string>, aliases: readonly string[]): void {
    const renamed = aliases.filter((a) => /^[\w$]+$/.test(a));
    if (renamed.length === 0) return;
    const call = new RegExp(`\\b(?:${renamed.join("|")})\\s*\\(`);
    for (const file of this.project.fileNames) {
      const text = this.store.text(file);
      if (text !== undefined && call.test(text)) candidates.add(file);
    }
  }

  #taskBaseSubclasses(
    file: string,
    resolver: Resolver,
    baseNames: ReadonlySet<string>,
  ): { name: string; isDefault: boolean }[] {
    const facts = this.store.facts(file);
    if (!facts) return [];

    const found: { name: string; isDefault: boolean }[] = [];
    for (const statement of facts.sourceFile.statements) {
      if (!ts.isClassDeclaration(statement) || !statement.heritageClauses) continue;
      if (!findTaskBase(resolver, file, statement, baseNames)) continue;
      const name = statement.name?.text ?? "default";
      const defaultExport = facts.exports.get("default");
      const isDefault =
        hasModifier(statement, ts.SyntaxKind.DefaultKeyword) ||
        (defaultExport?.kind === "local" && defaultExport.local === name);
      found.push({ name, isDefault });
    }
    return found;
  }
}

/** What a file's analysis found, as text: equal fingerprints mean equal output. */
function fingerprint(result: FileResult): string {
  const definitions = [...result.definitions].map(([key, d]) => [key, d.name, d.desc]);
  // Options are Maps, which JSON.stringify would print as {}.
  return JSON.stringify([result.tasks, result.diagnostics, definitions], (_key, value: unknown) =>
    value instanceof Map ? [...value] : value,
  );
}
