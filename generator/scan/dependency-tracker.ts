/** What one piece of analysis read: files, and named type definitions it used. */
export interface Dependencies {
  readonly files: Set<string>;
  readonly definitions: Set<string>;
}

/**
 * Records which files an analysis reads, so watch mode can keep the result of every file whose
 * inputs did not change. Frames nest: a type definition built while a file is analysed is a
 * frame inside that file's frame, and whatever it reads counts for both.
 */
export class DependencyTracker {
  readonly #frames: Dependencies[] = [];

  begin(): void {
    this.#frames.push({ files: new Set(), definitions: new Set() });
  }

  end(): Dependencies {
    const frame = this.#frames.pop();
    if (!frame) throw new Error("DependencyTracker.end() without begin()");
    return frame;
  }

  read(file: string): void {
    for (const frame of this.#frames) frame.files.add(file);
  }

  /** A definition was used: it, what it used and what it read count for every open frame. */
  used(key: string, dependencies: Dependencies | undefined): void {
    for (const frame of this.#frames) {
      frame.definitions.add(key);
      if (!dependencies) continue;
      for (const file of dependencies.files) frame.files.add(file);
      for (const nested of dependencies.definitions) frame.definitions.add(nested);
    }
  }
}
