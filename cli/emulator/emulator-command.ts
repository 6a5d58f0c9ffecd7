import type { Argv } from "yargs";

import type { Logger } from "../../runtime/logger.js";
import { EXIT, type Output } from "../output.js";
import { EmulatorError } from "./emulator-error.js";
import {
  DEFAULT_PORT,
  DEFAULT_TARGET,
  resolveEmulatorOptions,
  type EmulatorOptions,
} from "./emulator-options.js";

/** The options of `taskgen emulator`. */
export function emulatorOptions<T>(y: Argv<T>) {
  return y
    .option("port", { type: "number", default: DEFAULT_PORT, describe: "port of the API; 0: any" })
    .option("host", { type: "string", default: "127.0.0.1", describe: "address of the API" })
    .option("target", {
      type: "string",
      default: DEFAULT_TARGET,
      describe: "base URL of the app, for App Engine tasks and cron",
    })
    .option("cron", { type: "string", describe: "a cron.yaml whose jobs to request" })
    .option("cron-every-seconds", {
      type: "number",
      describe: "request every cron job this often instead of on its schedule",
    })
    .option("queue", {
      type: "string",
      array: true,
      describe: "create this queue at start (projects/P/locations/L/queues/Q)",
    })
    .option("auto-create-queues", {
      type: "boolean",
      default: false,
      describe: "create a queue on its first task instead of answering NOT_FOUND",
    })
    .option("dedup-window-seconds", {
      type: "number",
      default: 3600,
      describe: "how long a task name stays taken after the task ran or was deleted",
    })
    .option("oidc-keys", {
      type: "string",
      describe: "write the public keys of the emulator's OIDC tokens to this JSON file",
    })
    .option("verbose", { type: "boolean", default: false, describe: "log every queued task" });
}

export type EmulatorArgs = Awaited<ReturnType<typeof emulatorOptions>["argv"]>;

/**
 * `taskgen emulator`: runs the Cloud Tasks emulator until the process is stopped. The gRPC
 * libraries are loaded here, only when this command runs.
 */
export async function runEmulatorCommand(args: EmulatorArgs, output: Output): Promise<number> {
  const options: EmulatorOptions = {
    port: args.port,
    host: args.host,
    target: args.target,
    autoCreateQueues: args["auto-create-queues"],
    dedupWindowSeconds: args["dedup-window-seconds"],
    logger: consoleLogger(output, args.verbose),
    ...(args.cron === undefined ? {} : { cron: args.cron }),
    ...(args["cron-every-seconds"] === undefined
      ? {}
      : { cronEverySeconds: args["cron-every-seconds"] }),
    ...(args.queue === undefined ? {} : { queues: args.queue.map(String) }),
    ...(args["oidc-keys"] === undefined ? {} : { oidcKeysFile: args["oidc-keys"] }),
  };
  try {
    resolveEmulatorOptions(options);
  } catch (error) {
    if (!(error instanceof EmulatorError)) throw error;
    output.err(`taskgen: ${error.message}`);
    return EXIT.usage;
  }

  let start: typeof import("./start-emulator.js").startEmulator;
  try {
    ({ startEmulator: start } = await import("./start-emulator.js"));
  } catch (error) {
    if ((error as { code?: unknown }).code !== "ERR_MODULE_NOT_FOUND") throw error;
    output.err(
      `taskgen: the emulator could not load its gRPC libraries (${String(error)}); ` +
        `they come with taskgen, so reinstall it (npm ci)`,
    );
    return EXIT.failed;
  }

  let emulator: Awaited<ReturnType<typeof start>>;
  try {
    emulator = await start(options);
  } catch (error) {
    if (!(error instanceof EmulatorError)) throw error;
    output.err(`taskgen: ${error.message}`);
    return EXIT.failed;
  }

  output.out(`taskgen emulator: Cloud Tasks API listening on ${emulator.host}:${emulator.port}`);
  output.out(`taskgen emulator: App Engine tasks and cron requests go to ${emulator.target}`);
  for (const job of emulator.cronJobs) {
    const every = args["cron-every-seconds"];
    output.out(`taskgen emulator: cron ${job.url} ${every ? `every ${every} s` : job.schedule}`);
  }

  await stopSignal();
  await emulator.close();
  return EXIT.ok;
}

/** Resolves on the first SIGINT or SIGTERM. */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

function consoleLogger(output: Output, verbose: boolean): Logger {
  return {
    error: (message) => output.err(`taskgen emulator: error: ${message}`),
    warn: (message) => output.err(`taskgen emulator: warning: ${message}`),
    info: (message) => output.err(`taskgen emulator: ${message}`),
    debug: (message) => {
      if (verbose) output.err(`taskgen emulator: ${message}`);
    },
  };
}
