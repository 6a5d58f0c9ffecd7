import path from "node:path";

/**
 * What a cheap look at a file's text tells, before any parsing. It over-approximates: the
 * scanner parses the files it selects and decides precisely; a file it never selects must be
 * unable to declare a task.
 */
export interface TextFacts {
  /** The last part of every `@name` or `@a.name`: decorators, and some words of comments. */
  readonly decoratorNames: readonly string[];
  /** Mentions a function form (`defineDeferred`, `definePeriodic`, `defineStartup`). */
  readonly mentionsFunctionForm: boolean;
  /** Names following `extends` (the last part of a dotted name). */
  readonly extendsNames: readonly string[];
  /** `original as alias` pairs, from imports, exports and anything else that looks alike. */
  readonly aliases: readonly (readonly [string, string])[];
  /** Default imports: the local name and the base name of the module imported. */
  readonly defaultImports: readonly (readonly [string, string])[];
}

const FUNCTION_FORMS = /\bdefine(?:Deferred|Periodic|Startup)\b/;
const DECORATOR = /@\s*([\w$]+(?:\s*\.\s*[\w$]+)*)/g;
const EXTENDS = /\bextends\s+([\w$]+(?:\s*\.\s*[\w$]+)*)/g;
const DEFAULT_IMPORT = /\bimport\s+([\w$]+)\s*(?:,\s*\{[^}]*\}\s*)?from\s*["']([^"']+)["']/g;

export function textFacts(text: string): TextFacts {
  const extendsNames: string[] = [];
  for (const match of text.matchAll(EXTENDS)) {
    const dotted = match[1] ?? "";
    extendsNames.push(dotted.slice(dotted.lastIndexOf(".") + 1).trim());
  }

  const aliases = findAliases(text);

  const defaultImports: [string, string][] = [];
  for (const match of text.matchAll(DEFAULT_IMPORT)) {
    defaultImports.push([match[1] ?? "", moduleBaseName(match[2] ?? "")]);
  }

  const decoratorNames: string[] = [];
  if (text.includes("@")) {
    for (const match of text.matchAll(DECORATOR)) {
      const dotted = match[1] ?? "";
      decoratorNames.push(dotted.slice(dotted.lastIndexOf(".") + 1).trim());
    }
  }

  return {
    decoratorNames,
    mentionsFunctionForm: FUNCTION_FORMS.test(text),
    extendsNames,
    aliases,
    defaultImports,
  };
}

const IDENTIFIER_CHAR = /[\w$]/;

/**
 * `original as alias` pairs. A scan with indexOf: a regex anchored on every word is slow, and
 * nearly every file holds `as const`.
 */
function findAliases(text: string): [string, string][] {
  const aliases: [string, string][] = [];
  for (let at = text.indexOf(" as "); at !== -1; at = text.indexOf(" as ", at + 4)) {
    let start = at;
    while (start > 0 && IDENTIFIER_CHAR.test(text[start - 1] ?? "")) start--;
    let end = at + 4;
    while (end < text.length && IDENTIFIER_CHAR.test(text[end] ?? "")) end++;

    const original = text.slice(start, at);
    const alias = text.slice(at + 4, end);
    if (original && alias && alias !== "const") aliases.push([original, alias]);
  }
  return aliases;
}

/** `./a/reprice.js` and `./a/reprice/index.ts` both give `reprice`. */
export function moduleBaseName(specifierOrPath: string): string {
  const parsed = path.posix.parse(specifierOrPath.replace(/\\/g, "/"));
  const stem = parsed.name.replace(/\.d$/, "");
  return stem === "index" ? path.posix.basename(parsed.dir) : stem;
}

/**
 * Indexes the text facts of every file, so the candidate set grows from names by map look-ups
 * instead of new passes over all the text.
 */
export class TextIndex {
  readonly #facts = new Map<string, TextFacts>();
  #byExtends: Map<string, Set<string>> | undefined;
  #aliasesOf: Map<string, Set<string>> | undefined;
  #defaultImportsOf: Map<string, Set<string>> | undefined;

  set(file: string, facts: TextFacts): void {
    this.#facts.set(file, facts);
    this.#dropIndexes();
  }

  delete(file: string): void {
    this.#facts.delete(file);
    this.#dropIndexes();
  }

  #dropIndexes(): void {
    this.#byExtends = undefined;
    this.#aliasesOf = undefined;
    this.#defaultImportsOf = undefined;
  }

  files(): IterableIterator<string> {
    return this.#facts.keys();
  }

  get(file: string): TextFacts | undefined {
    return this.#facts.get(file);
  }

  /** Files with a class (or interface) that extends something named `name`. */
  filesExtending(name: string): readonly string[] {
    this.#byExtends ??= this.#buildByExtends();
    return [...(this.#byExtends.get(name) ?? [])];
  }

  /** Names that `name` is renamed to anywhere (`name as other`). */
  aliasesOf(name: string): readonly string[] {
    this.#aliasesOf ??= this.#buildAliases();
    return [...(this.#aliasesOf.get(name) ?? [])];
  }

  /** Local names given to a default import of a module with this base name. */
  defaultImportsOf(baseName: string): readonly string[] {
    this.#defaultImportsOf ??= this.#buildDefaultImports();
    return [...(this.#defaultImportsOf.get(baseName) ?? [])];
  }

  #buildByExtends(): Map<string, Set<string>> {
    const index = new Map<string, Set<string>>();
    for (const [file, facts] of this.#facts) {
      for (const name of facts.extendsNames) push(index, name, file);
    }
    return index;
  }

  #buildAliases(): Map<string, Set<string>> {
    const index = new Map<string, Set<string>>();
    for (const facts of this.#facts.values()) {
      for (const [original, alias] of facts.aliases) push(index, original, alias);
    }
    return index;
  }

  #buildDefaultImports(): Map<string, Set<string>> {
    const index = new Map<string, Set<string>>();
    for (const facts of this.#facts.values()) {
      for (const [local, base] of facts.defaultImports) push(index, base, local);
    }
    return index;
  }
}

function push(index: Map<string, Set<string>>, key: string, value: string): void {
  const set = index.get(key);
  if (set) set.add(value);
  else index.set(key, new Set([value]));
}
