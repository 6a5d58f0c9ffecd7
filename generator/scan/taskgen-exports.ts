/** Decorators and function forms that declare a task, by their export name in taskgen. */
export const DECLARING_EXPORTS = [
  "CallableTask",
  "PeriodicTask",
  "StartupTask",
  "callDeferred",
  "defineDeferred",
  "definePeriodic",
  "defineStartup",
  "noRetry",
  "retry",
] as const;

/** Base classes whose non-abstract subclasses are, or may be, tasks. */
export const BASE_CLASS_EXPORTS = ["CallableTaskBase", "QueryIter"] as const;

export type DeclaringExport = (typeof DECLARING_EXPORTS)[number];
export type BaseClassExport = (typeof BASE_CLASS_EXPORTS)[number];

/** Every taskgen export the scanner cares about; `Key` is the datastore-key type. */
export const KNOWN_EXPORTS: ReadonlySet<string> = new Set<string>([
  ...DECLARING_EXPORTS,
  ...BASE_CLASS_EXPORTS,
  "Key",
]);
