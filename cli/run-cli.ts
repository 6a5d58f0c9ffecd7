import yargs from "yargs";

import {
  ConfigError,
  resolveConfig,
  type ConfigInput,
  type GenerateConfig,
} from "../generator/config.js";
import { emulatorOptions, runEmulatorCommand } from "./emulator/emulator-command.js";
import { runGenerate } from "./generate-command.js";
import { runList } from "./list-command.js";
import { EXIT, type Output } from "./output.js";

const STDIO: Output = {
  out: (text) => process.stdout.write(text + "\n"),
  err: (text) => process.stderr.write(text + "\n"),
};

/** Parses the arguments and runs a command; resolves to the process exit code. */
export async function runCli(argv: readonly string[], output: Output = STDIO): Promise<number> {
  let code: number = EXIT.ok;
  const config = (args: ConfigInput & { readonly config?: string | undefined }) =>
    resolveConfig(args, process.cwd(), args.config);
  let usageFailed = false;
  const guarded = async (action: () => Promise<number> | number) => {
    // yargs reports a bad argument through fail() and still calls the handler: run nothing.
    if (usageFailed) return;
    try {
      code = await action();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      output.err(`taskgen: ${error.message}`);
      code = EXIT.usage;
    }
  };

  const parser = yargs([...argv])
    .scriptName("taskgen")
    .usage("$0 <command> [options]")
    .option("project", { alias: "p", type: "string", describe: "tsconfig.json of the project" })
    .option("config", { type: "string", describe: "config file (default: taskgen.config.json)" })
    .command(
      "generate",
      "Scan the project and write the dispatch table, stubs, validators, manifest and cron.yaml",
      (y) =>
        y
          .option("out", { type: "string", describe: "folder for the generated files" })
          .option("cron", { type: "string", describe: "path of the generated cron.yaml" })
          .option("check", {
            type: "boolean",
            default: false,
            describe: "exit 1 if a file is stale",
          })
          .option("watch", { type: "boolean", default: false, describe: "regenerate on changes" })
          // A message, not a thrown error: yargs reports it as a usage error (exit 2).
          .check((args) =>
            args.check && args.watch ? "--check and --watch cannot be combined" : true,
          ),
      (args) => guarded(() => runGenerate(config(args) as GenerateConfig, args, output)),
    )
    .command(
      "list",
      "List the tasks of the project",
      (y) => y.option("json", { type: "boolean", default: false, describe: "print JSON" }),
      (args) => guarded(() => runList(config(args), args.json, output)),
    )
    .command(
      "emulator",
      "Run a local Cloud Tasks emulator that sends tasks and cron requests to the app",
      emulatorOptions,
      (args) => guarded(() => runEmulatorCommand(args, output)),
    )
    .demandCommand(1, "Name a command: generate, list or emulator")
    .strict()
    .help()
    .version()
    .wrap(100)
    .exitProcess(false)
    .fail((message, error) => {
      // yargs's own validation errors are usage errors; anything else is a bug to surface.
      if (error instanceof Error && error.name !== "YError") throw error;
      output.err(`taskgen: ${message}\nRun 'taskgen --help' for usage.`);
      usageFailed = true;
      code = EXIT.usage;
    });

  await parser.parseAsync();
  return code;
}
