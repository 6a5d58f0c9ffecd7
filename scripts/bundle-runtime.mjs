// Bundles each runtime entry point into one file. A handler process then loads two modules
// instead of sixty, which is most of its cold start; tsc's per-file output stays beside them for
// the declaration files and for tools that import single modules.
import { build } from "esbuild";

for (const [entry, outfile] of [
  ["runtime/index.ts", "dist/runtime/index.js"],
  ["runtime/embedded/index.ts", "dist/runtime/embedded/index.js"],
]) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // The SQLite driver is a native module: it stays a dependency, loaded only by this entry.
    external: ["better-sqlite3"],
    logLevel: "warning",
  });
}
