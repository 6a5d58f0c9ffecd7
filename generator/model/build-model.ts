import { CODES, type Diagnostic } from "../diagnostics.js";
import type { FoundTask, RawOption } from "../scan/found-task.js";
import type { ScanResult } from "../scan/scanner.js";
import { parseDuration } from "./duration.js";
import type {
  CronGroupModel,
  ProjectModel,
  TaskKind,
  TaskModel,
  TaskOptions,
  TypeDesc,
} from "./types.js";

type OptionType = "string" | "number" | "boolean" | "duration";

/** The options each kind of task accepts, and the type of each. */
const OPTION_SCHEMA: Readonly<Record<TaskKind, Readonly<Record<string, OptionType>>>> = {
  deferred: {
    id: "string",
    queue: "string",
    retries: "number",
    targetVersion: "string",
    allowUnknown: "boolean",
  },
  periodic: { id: "string", interval: "duration", cronName: "string" },
  startup: { id: "string" },
  callable: { id: "string", allowUnknown: "boolean" },
  queryIter: { id: "string", chunkSize: "number" },
};

const ID_PATTERN = /^[\w$][\w$.:/-]{0,199}$/;
const CRON_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
const QUEUE_PATTERN = /^[A-Za-z0-9-]{1,100}$/;
/** An App Engine version id. */
const VERSION_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** App Engine cron ticks at most once a minute. */
const FINEST_TICK_SECONDS = 60;

/**
 * Checks the scanned declarations and builds the model: ids, options with their defaults, cron
 * groups and named type definitions. Every problem becomes a diagnostic.
 */
export function buildModel(scan: ScanResult): { model: ProjectModel; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [...scan.diagnostics];
  const report = (d: Diagnostic) => diagnostics.push(d);

  const tasks: TaskModel[] = [];
  for (const found of scan.tasks) {
    const task = buildTask(found, report);
    if (task) tasks.push(task);
  }
  const unique = dropDuplicateIds(tasks, report);
  const { definitions, rename } = nameDefinitions(scan.definitions);

  const model: ProjectModel = {
    tasks: unique
      .map((t) => (t.payload ? { ...t, payload: renameRefs(t.payload, rename) } : t))
      .sort((a, b) => compareText(a.id, b.id)),
    definitions,
    cronGroups: cronGroups(unique),
  };
  return { model, diagnostics };
}

/** The one comparator for everything generated: code-unit order, independent of locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function buildTask(found: FoundTask, report: (d: Diagnostic) => void): TaskModel | undefined {
  const schema = OPTION_SCHEMA[found.kind];
  let valid = true;
  const fail = (option: RawOption | undefined, code: Diagnostic["code"], message: string) => {
    valid = false;
    const location = option?.location ?? found.location;
    report({ code, severity: "error", location, message });
  };

  for (const [name, option] of found.options) {
    const type = schema[name];
    if (!type) {
      const known = Object.keys(schema).join(", ");
      fail(
        option,
        CODES.invalidOption,
        `Unknown option '${name}' for a ${found.kind} task; valid options: ${known}`,
      );
    } else if (type !== "duration" && typeof option.value !== type) {
      fail(
        option,
        CODES.invalidOption,
        `Option '${name}' must be a ${type}, not ${JSON.stringify(option.value)}`,
      );
    }
  }

  const options: { -readonly [K in keyof TaskOptions]: TaskOptions[K] } = {};
  const text = (name: string) => {
    const value = found.options.get(name)?.value;
    return typeof value === "string" ? value : undefined;
  };

  const id = text("id") ?? found.symbol;
  if (!ID_PATTERN.test(id)) {
    fail(
      found.options.get("id"),
      CODES.invalidId,
      `Task id ${JSON.stringify(id)} is not valid; ` +
        "use letters, digits and _ $ . : / - (at most 200)",
    );
  }

  /** A name option that must match `pattern`; `what` and `rule` make its message. */
  const nameOption = (
    name: "queue" | "targetVersion",
    pattern: RegExp,
    what: string,
    rule: string,
  ) => {
    const value = text(name);
    if (value === undefined) return;
    if (pattern.test(value)) options[name] = value;
    else
      fail(
        found.options.get(name),
        CODES.invalidOption,
        `${what} ${JSON.stringify(value)} is not valid; use ${rule}`,
      );
  };
  nameOption("queue", QUEUE_PATTERN, "Queue name", "letters, digits and hyphens (at most 100)");
  nameOption(
    "targetVersion",
    VERSION_PATTERN,
    "Target version",
    "lower-case letters, digits and hyphens (at most 63)",
  );

  const retries = found.options.get("retries");
  if (retries && typeof retries.value === "number") {
    if (Number.isInteger(retries.value) && retries.value >= 0) options.retries = retries.value;
    else
      fail(
        retries,
        CODES.invalidOption,
        `retries must be a whole number, 0 or more, not ${retries.value}`,
      );
  }

  if (found.options.get("allowUnknown")?.value === true) options.allowUnknown = true;

  const chunkSize = found.options.get("chunkSize");
  if (chunkSize && typeof chunkSize.value === "number") {
    if (Number.isInteger(chunkSize.value) && chunkSize.value >= 1)
      options.chunkSize = chunkSize.value;
    else
      fail(
        chunkSize,
        CODES.invalidOption,
        `chunkSize must be a whole number, 1 or more, not ${chunkSize.value}`,
      );
  }

  if (found.kind === "periodic") {
    Object.assign(options, periodicOptions(found, report) ?? {});
    if (options.intervalSeconds === undefined) valid = false;
  }

  if (!valid) return undefined;
  const task: TaskModel = {
    id,
    kind: found.kind,
    symbol: found.symbol,
    location: found.location,
    target: found.target,
    options,
  };
  return found.payload ? { ...task, payload: found.payload } : task;
}

function periodicOptions(
  found: FoundTask,
  report: (d: Diagnostic) => void,
): Pick<TaskOptions, "intervalSeconds" | "cronName"> | undefined {
  const interval = found.options.get("interval");
  const cronOption = found.options.get("cronName");
  const cronName = typeof cronOption?.value === "string" ? cronOption.value : "default";
  let ok = true;

  if (!CRON_NAME_PATTERN.test(cronName)) {
    ok = false;
    report({
      code: CODES.invalidCronName,
      severity: "error",
      location: cronOption?.location ?? found.location,
      message: `Cron group name ${JSON.stringify(cronName)} is not valid`,
      hint:
        "start with a letter or digit, then letters, digits, _ or - (at most 63); " +
        "it becomes the URL /_tasks/cron/<name>",
    });
  }
  if (!interval) {
    report({
      code: CODES.invalidInterval,
      severity: "error",
      location: found.location,
      message: `${found.symbol} needs an interval, such as { interval: "1h" }`,
    });
    return undefined;
  }
  const seconds = parseDuration(interval.value);
  if (typeof seconds === "string") {
    report({
      code: CODES.invalidInterval,
      severity: "error",
      location: interval.location,
      message: `Invalid interval: ${seconds}`,
    });
    return undefined;
  }
  if (seconds > 0 && seconds < FINEST_TICK_SECONDS) {
    report({
      code: CODES.shortInterval,
      severity: "warning",
      location: interval.location,
      message:
        `${found.symbol} asks for an interval of ${seconds} s, but App Engine cron ticks at ` +
        `most once a minute; its group '${cronName}' ticks every minute`,
    });
  }
  return ok ? { intervalSeconds: seconds, cronName } : undefined;
}

function dropDuplicateIds(
  tasks: readonly TaskModel[],
  report: (d: Diagnostic) => void,
): TaskModel[] {
  const byId = new Map<string, TaskModel>();
  const duplicates = new Set<string>();
  for (const task of tasks) {
    const first = byId.get(task.id);
    if (!first) {
      byId.set(task.id, task);
      continue;
    }
    duplicates.add(task.id);
    const at = `${first.location.file}:${first.location.line}:${first.location.column}`;
    report({
      code: CODES.duplicateId,
      severity: "error",
      location: task.location,
      message:
        `Task id ${JSON.stringify(task.id)} of ${task.symbol} is already used by ` +
        `${first.symbol} at ${at}`,
      hint: "give one of them an explicit `id` option",
    });
  }
  return [...byId.values()].filter((t) => !duplicates.has(t.id));
}

function cronGroups(tasks: readonly TaskModel[]): CronGroupModel[] {
  const groups = new Map<string, TaskModel[]>();
  for (const task of tasks) {
    const name = task.options.cronName;
    if (task.kind !== "periodic" || name === undefined) continue;
    groups.set(name, [...(groups.get(name) ?? []), task]);
  }
  return [...groups.entries()]
    .map(([name, members]) => {
      const intervals = members.map((t) => t.options.intervalSeconds ?? 0).filter((s) => s > 0);
      const smallest = intervals.length > 0 ? Math.min(...intervals) : FINEST_TICK_SECONDS;
      const minutes = Math.max(1, Math.floor(smallest / FINEST_TICK_SECONDS));
      return {
        name,
        scheduleSeconds: minutes * FINEST_TICK_SECONDS,
        taskIds: members.map((t) => t.id).sort(compareText),
      };
    })
    .sort((a, b) => compareText(a.name, b.name));
}

/**
 * Gives each named type its declared name, or, when two files declare the same name, a name
 * qualified by its file, so the result depends only on the declarations, not on scan order.
 */
function nameDefinitions(found: ScanResult["definitions"]): {
  definitions: Map<string, TypeDesc>;
  rename: ReadonlyMap<string, string>;
} {
  const byName = new Map<string, string[]>();
  for (const [key, { name }] of found) byName.set(name, [...(byName.get(name) ?? []), key]);

  const rename = new Map<string, string>();
  for (const [name, keys] of byName) {
    for (const key of keys) {
      const file = key.slice(0, key.lastIndexOf("#"));
      rename.set(
        key,
        keys.length === 1
          ? name
          : `${name}_${file.replace(/\.[^.]+$/, "").replace(/[^\w$]/g, "_")}`,
      );
    }
  }

  const entries = [...found].map(
    ([key, { desc }]) => [rename.get(key) ?? key, renameRefs(desc, rename)] as const,
  );
  return { definitions: new Map(entries.sort((a, b) => compareText(a[0], b[0]))), rename };
}

function renameRefs(desc: TypeDesc, rename: ReadonlyMap<string, string>): TypeDesc {
  switch (desc.kind) {
    case "ref":
      return { kind: "ref", name: rename.get(desc.name) ?? desc.name };
    case "array":
      return { kind: "array", element: renameRefs(desc.element, rename) };
    case "union":
      return { kind: "union", members: desc.members.map((m) => renameRefs(m, rename)) };
    case "tuple": {
      const elements = desc.elements.map((e) => ({ ...e, type: renameRefs(e.type, rename) }));
      return desc.rest
        ? { kind: "tuple", elements, rest: renameRefs(desc.rest, rename) }
        : { kind: "tuple", elements };
    }
    case "object": {
      const properties = desc.properties.map((p) => ({ ...p, type: renameRefs(p.type, rename) }));
      return desc.index
        ? { kind: "object", properties, index: renameRefs(desc.index, rename) }
        : { kind: "object", properties };
    }
    default:
      return desc;
  }
}
