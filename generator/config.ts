import fs from "node:fs";
import path from "node:path";

/** Every option of a run, resolved once with its default; passed first to whatever needs it. */
export interface GenerateConfig {
  /** Absolute path of the tsconfig that lists the project's files. */
  readonly tsconfig: string;
  /** Absolute path of the folder the generated TypeScript and manifest go to. */
  readonly outDir: string;
  /** Absolute path of the generated cron.yaml. */
  readonly cronFile: string;
}

/** Options as a user gives them, on the command line or in `taskgen.config.json`. */
export interface ConfigInput {
  readonly project?: string | undefined;
  readonly out?: string | undefined;
  readonly cron?: string | undefined;
}

export const CONFIG_FILE = "taskgen.config.json";
export const DEFAULT_OUT = "src/generated";
export const DEFAULT_CRON = "cron.yaml";

/**
 * Merges command-line options over the config file (looked up in `cwd`). Paths in the config
 * file are relative to it; `out` and `cron` default to places beside the tsconfig.
 */
export function resolveConfig(cli: ConfigInput, cwd: string, configPath?: string): GenerateConfig {
  const file = configPath ? path.resolve(cwd, configPath) : path.join(cwd, CONFIG_FILE);
  const fromFile = readConfigFile(file, configPath !== undefined);
  const fileDir = path.dirname(file);

  const tsconfig = cli.project
    ? path.resolve(cwd, cli.project)
    : path.resolve(fileDir, fromFile.project ?? "tsconfig.json");
  const projectDir = path.dirname(tsconfig);
  const pick = (cliValue: string | undefined, fileValue: string | undefined, fallback: string) =>
    cliValue !== undefined
      ? path.resolve(cwd, cliValue)
      : fileValue !== undefined
        ? path.resolve(fileDir, fileValue)
        : path.resolve(projectDir, fallback);

  return {
    tsconfig,
    outDir: pick(cli.out, fromFile.out, DEFAULT_OUT),
    cronFile: pick(cli.cron, fromFile.cron, DEFAULT_CRON),
  };
}

export class ConfigError extends Error {}

function readConfigFile(file: string, required: boolean): ConfigInput {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (cause) {
    if (required) throw new ConfigError(`Cannot read the config file '${file}'`, { cause });
    return {};
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`The config file '${file}' is not valid JSON`, { cause });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`The config file '${file}' must hold a JSON object`);
  }

  const known = ["project", "out", "cron"];
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!known.includes(key)) {
      throw new ConfigError(`Unknown key '${key}' in '${file}'; valid keys: ${known.join(", ")}`);
    }
    if (typeof value !== "string") {
      throw new ConfigError(`'${key}' in '${file}' must be a string path`);
    }
    result[key] = value;
  }
  return result;
}
