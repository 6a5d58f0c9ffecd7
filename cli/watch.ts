import fs from "node:fs";
import path from "node:path";

import type { Generation } from "../generator/generate.js";
import { isUnder } from "./generate-command.js";

const SOURCE = /\.(?:m|c)?tsx?$/;
/** Editors write a file in bursts; gather the events of one save into one rebuild. */
const SETTLE_MS = 5;

/**
 * Regenerates after every change until the process is stopped. Watches the folders that hold
 * the project's files (not whole trees, which would include node_modules), and re-lists the
 * project when a file appears or vanishes.
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
    if (listChanged) watchers = rewatch(watchers, folders(generation, tsconfig), onEvent);
  };

  const onEvent = (dir: string, name: string | null) => {
    if (!name) return;
    const file = path.join(dir, name);
    if (isUnder(outDir, file) || file === cronFile) return;
    if (!SOURCE.test(file) && file !== tsconfig) return;
    pending.add(file);
    timer ??= setTimeout(flush, SETTLE_MS);
  };

  watchers = rewatch(watchers, folders(generation, tsconfig), onEvent);
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

function folders(generation: Generation, tsconfig: string): Set<string> {
  const root = path.dirname(tsconfig);
  const dirs = new Set<string>([root]);
  for (const file of generation.fileNames) {
    for (
      let dir = path.dirname(file);
      isUnder(root, dir) && !dirs.has(dir);
      dir = path.dirname(dir)
    ) {
      dirs.add(dir);
    }
  }
  return dirs;
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
