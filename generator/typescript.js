// The TypeScript compiler API that ts-morph ships, loaded with `require`. Importing the CommonJS
// package from an ES module makes Node scan its nine megabytes for export names first, which
// costs about a third of a second on every run. Types come from typescript.d.ts beside this file.
import { createRequire } from "node:module";

export const ts = createRequire(import.meta.url)("ts-morph").ts;
