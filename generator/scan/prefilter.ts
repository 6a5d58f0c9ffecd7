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
 * instead of new passes over all the text. Kept up to date file by file in watch mode.
 */
export class TextIndex {
  readonly #facts = new Map<string, TextFacts>();
  readonly #byExtends = new MultiMap();
  readonly #aliasesOf = new MultiMap();
  readonly #defaultImportsOf = new MultiMap();

  set(file: string, facts: TextFacts): void {
    this.delete(file);
    this.#facts.set(file, facts);
    this.#apply(file, facts, 1);
  }

  delete(file: string): void {
    const old = this.#facts.get(file);
    if (!old) return;
    this.#facts.delete(file);
    this.#apply(file, old, -1);
  }

  get(file: string): TextFacts | undefined {
    return this.#facts.get(file);
  }

  /** Files with a class (or interface) that extends something named `name`. */
  filesExtending(name: string): readonly string[] {
    return this.#byExtends.values(name);
  }

  /** Names that `name` is renamed to anywhere (`name as other`). */
  aliasesOf(name: string): readonly string[] {
    return this.#aliasesOf.values(name);
  }

  /** Local names given to a default import of a module with this base name. */
  defaultImportsOf(baseName: string): readonly string[] {
    return this.#defaultImportsOf.values(baseName);
  }

  #apply(file: string, facts: TextFacts, delta: 1 | -1): void {
    for (const name of facts.extendsNames) this.#byExtends.add(name, file, delta);
    for (const [original, alias] of facts.aliases) this.#aliasesOf.add(original, alias, delta);
    for (const [local, base] of facts.defaultImports)
      this.#defaultImportsOf.add(base, local, delta);
  }
}

/** A map from a key to values, each counted, so removing one file's entries is exact. */
class MultiMap {
  readonly #map = new Map<string, Map<string, number>>();

  add(key: string, value: string, delta: 1 | -1): void {
    let counts = this.#map.get(key);
    if (!counts) {
      if (delta < 0) return;
      counts = new Map();
      this.#map.set(key, counts);
    }
    const count = (counts.get(value) ?? 0) + delta;
    if (count > 0) counts.set(value, count);
    else counts.delete(value);
  }

  values(key: string): string[] {
    const counts = this.#map.get(key);
    return counts ? [...counts.keys()] : [];
  }
}
