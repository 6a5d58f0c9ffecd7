import fs from "node:fs";
import path from "node:path";

import type { Generation } from "../generator/generate.js";
import { isUnder } from "./generate-command.js";

const SOURCE = /\.(?:m|c)?tsx?$/;
/** Editors write a file in bursts; gather the events of one save into one rebuild. */
const SETTLE_MS = 5;

/**
 * Regenerates after every change until the process is stopped. Watches every folder under the
 * project root but node_modules and the output, and re-lists the project when a file or folder
 * appears or vanishes.
 */
export async function watchProject(generation: Generation, rebuild: () => void): Promise<void> {
  const { outDir, cronFile, tsconfig } = generation.config;
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let watchers = new Map<string, fs.FSWatcher>();

  const flush = () => {
    timer = undefined;
    const known = new Set(generation.fileNames);
    let listChanged = false;
    for (const file of pending) {
      if (file === tsconfig || !known.has(file) || !fs.existsSync(file)) listChanged = true;
      generation.fileChanged(file, listChanged);
    }
    pending.clear();
    rebuild();
    if (listChanged) watchers = rewatch(watchers, watched(), onEvent);
  };

  const onEvent = (dir: string, name: string | null) => {
    if (!name) return;
    const file = path.join(dir, name);
    if (isUnder(outDir, file) || file === cronFile) return;
    // A folder that appears or vanishes may hold sources: treat it as a change of the list.
    if (!SOURCE.test(file) && file !== tsconfig && !isOrWasFolder(file, watchers)) return;
    pending.add(file);
    timer ??= setTimeout(flush, SETTLE_MS);
  };

  const watched = () => folders(path.dirname(tsconfig), outDir);
  watchers = rewatch(watchers, watched(), onEvent);
  // Report the first build only once watching, so an edit made after that line is never missed.
  rebuild();
  await new Promise<void>((resolve) => {
    const stop = () => {
      for (const watcher of watchers.values()) watcher.close();
      if (timer) clearTimeout(timer);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

/** Ignored when watching: dependencies and tool folders never hold the project's sources. */
const SKIPPED_FOLDERS = new Set(["node_modules", ".git"]);

/** Every folder under the project root that may hold sources, the output folder left out. */
function folders(root: string, outDir: string): Set<string> {
  const found = new Set<string>();
  const visit = (dir: string) => {
    found.add(dir);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = path.join(dir, entry.name);
      if (!entry.isDirectory() || SKIPPED_FOLDERS.has(entry.name) || isUnder(outDir, child)) {
        continue;
      }
      visit(child);
    }
  };
  visit(root);
  return found;
}

function isOrWasFolder(file: string, watchers: ReadonlyMap<string, fs.FSWatcher>): boolean {
  if (watchers.has(file)) return true;
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function rewatch(
  current: Map<string, fs.FSWatcher>,
  wanted: Set<string>,
  onEvent: (dir: string, name: string | null) => void,
): Map<string, fs.FSWatcher> {
  const next = new Map<string, fs.FSWatcher>();
  for (const [dir, watcher] of current) {
    if (wanted.has(dir)) next.set(dir, watcher);
    else watcher.close();
  }
  for (const dir of wanted) {
    if (next.has(dir)) continue;
    try {
      next.set(
        dir,
        fs.watch(dir, (_event, name) => onEvent(dir, name)),
      );
    } catch {
      // The folder vanished between listing and watching; the next re-list settles it.
    }
  }
  return next;
}
