import { defineStartup } from "taskgen";

import { recordEvent } from "./context.js";

/** Runs once after each start of the shop: here it only records the start. */
export const recordStart = defineStartup(async () => {
  recordEvent("started", new Date().toISOString());
});
