// Types of typescript.js: the compiler API that ts-morph ships.
export { ts } from "ts-morph";
