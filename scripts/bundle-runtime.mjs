// Bundles each runtime entry point into one file. A handler process then loads two modules
// instead of sixty, which is most of its cold start; tsc's per-file output stays beside them for
// the declaration files and for tools that import single modules.
import { build } from "esbuild";

for (const [entry, outfile] of [
  ["runtime/index.ts", "dist/runtime/index.js"],
  ["runtime/embedded/index.ts", "dist/runtime/embedded/index.js"],
  ["runtime/cloud-tasks/index.ts", "dist/runtime/cloud-tasks/index.js"],
  ["runtime/bullmq/index.ts", "dist/runtime/bullmq/index.js"],
]) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // Client libraries stay dependencies of the app, loaded only by the entry that uses them
    // (the SQLite driver is a native module besides).
    external: ["better-sqlite3", "@google-cloud/tasks", "google-auth-library", "bullmq", "ioredis"],
    logLevel: "warning",
  });
}
