import { SILENT_LOGGER, type Logger } from "../../runtime/logger.js";
import { EmulatorError } from "./emulator-error.js";

export interface EmulatorOptions {
  /** The address the Cloud Tasks API listens on. Default `127.0.0.1`. */
  readonly host?: string;
  /** Its port; 0 picks a free one. Default 8123. */
  readonly port?: number;
  /**
   * The app: App Engine tasks go to this base URL plus their `relativeUri`, and so do cron
   * requests. HTTP tasks go to their own `url`. Default `http://127.0.0.1:8080`.
   */
  readonly target?: string;
  /** A `cron.yaml` whose jobs are requested on their schedules. */
  readonly cron?: string;
  /** Request every cron job this often instead of on its schedule; for tests and demos. */
  readonly cronEverySeconds?: number;
  /** Create a queue on its first CreateTask instead of answering NOT_FOUND. Default false. */
  readonly autoCreateQueues?: boolean;
  /** Queues to create at start, by full name (`projects/P/locations/L/queues/Q`). */
  readonly queues?: readonly string[];
  /**
   * How long a task's name stays taken after the task ran or was deleted. Default 3600, the
   * hour Cloud Tasks documents for queues created through its API.
   */
  readonly dedupWindowSeconds?: number;
  /**
   * Write the public keys of the emulator's OIDC tokens to this file at start, as JSON
   * (`{ "<kid>": "<PEM>" }`), for the task handler's `oidc.certificates`.
   */
  readonly oidcKeysFile?: string;
  /** Where the emulator reports dispatches and failures; silent by default. */
  readonly logger?: Logger;
}

/** Every option resolved, defaults filled in; built once and handed to each part. */
export interface EmulatorContext {
  readonly host: string;
  readonly port: number;
  /** The target without a trailing slash. */
  readonly target: string;
  readonly cron: string | undefined;
  readonly cronEveryMs: number | undefined;
  readonly autoCreateQueues: boolean;
  readonly queues: readonly string[];
  readonly dedupWindowMs: number;
  readonly oidcKeysFile: string | undefined;
  readonly logger: Logger;
  readonly now: () => number;
}

export const DEFAULT_PORT = 8123;
export const DEFAULT_TARGET = "http://127.0.0.1:8080";

export function resolveEmulatorOptions(options: EmulatorOptions): EmulatorContext {
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new EmulatorError(`The port must be a whole number from 0 to 65535, not ${port}`);
  }

  const cronEvery = options.cronEverySeconds;
  if (cronEvery !== undefined && !(cronEvery > 0)) {
    throw new EmulatorError(`--cron-every-seconds must be more than 0, not ${cronEvery}`);
  }
  const dedup = options.dedupWindowSeconds ?? 3600;
  if (!(dedup >= 0)) {
    throw new EmulatorError(`--dedup-window-seconds must be 0 or more, not ${dedup}`);
  }

  return {
    host: options.host ?? "127.0.0.1",
    port,
    target: targetUrl(options.target ?? DEFAULT_TARGET),
    cron: options.cron,
    cronEveryMs: cronEvery === undefined ? undefined : cronEvery * 1000,
    autoCreateQueues: options.autoCreateQueues ?? false,
    queues: options.queues ?? [],
    dedupWindowMs: dedup * 1000,
    oidcKeysFile: options.oidcKeysFile,
    logger: options.logger ?? SILENT_LOGGER,
    now: Date.now,
  };
}

function targetUrl(target: string): string {
  let url: URL | undefined;
  try {
    url = new URL(target);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.search) {
    throw new EmulatorError(
      `The target ${JSON.stringify(target)} is not a base URL; ` +
        `give one like http://127.0.0.1:8080, without a query string`,
    );
  }
  return target.replace(/\/+$/, "");
}
