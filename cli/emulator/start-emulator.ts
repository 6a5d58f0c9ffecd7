import fs from "node:fs";

import { Server, ServerCredentials } from "@grpc/grpc-js";

import { cloudTasksService } from "./cloud-tasks-service.js";
import { CronDriver } from "./cron-driver.js";
import { readCronFile, type CronJob } from "./cron-file.js";
import { EmulatorError } from "./emulator-error.js";
import {
  resolveEmulatorOptions,
  type EmulatorContext,
  type EmulatorOptions,
} from "./emulator-options.js";
import { EmulatorStore } from "./emulator-store.js";
import { HttpSender } from "./http-sender.js";
import { loadCloudTasksService } from "./load-cloud-tasks-service.js";
import { OidcTokenMinter } from "./oidc-token-minter.js";
import { RpcError } from "./rpc-error.js";
import { TaskDispatcher } from "./task-dispatcher.js";

/** How long `close` lets open calls finish before cutting them off. */
const SHUTDOWN_GRACE_MS = 1000;

export interface RunningEmulator {
  readonly host: string;
  /** The port the Cloud Tasks API listens on; the real one when 0 was asked for. */
  readonly port: number;
  /** Where App Engine tasks and cron requests go. */
  readonly target: string;
  /** The cron jobs being driven. */
  readonly cronJobs: readonly CronJob[];
  /** The public keys of the OIDC tokens the emulator signs, PEM by key id. */
  readonly oidcKeys: Readonly<Record<string, string>>;
  /** Stops serving, dispatching and cron; requests under way are abandoned. */
  close(): Promise<void>;
}

/**
 * Starts a local Cloud Tasks emulator: a gRPC server speaking the Cloud Tasks v2 API, with
 * queues and tasks in memory, that sends each due task as an HTTP request, and optionally
 * requests the jobs of a `cron.yaml` as App Engine cron does.
 *
 * @example
 * const emulator = await startEmulator({ port: 0, target: "http://127.0.0.1:8080" });
 * const client = new CloudTasksClient({
 *   servicePath: "127.0.0.1",
 *   port: emulator.port,
 *   sslCreds: credentials.createInsecure(),
 * });
 * // ...
 * await emulator.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const context = resolveEmulatorOptions(options);
  const service = loadCloudTasksService();
  const jobs = context.cron ? await readCronFile(context.cron) : [];

  const minter = new OidcTokenMinter(context.now);
  if (context.oidcKeysFile) writeKeys(context.oidcKeysFile, minter.keys);

  const sender = new HttpSender();
  const store = new EmulatorStore(context, () => dispatcher.wake());
  const dispatcher = new TaskDispatcher(context, store, sender, minter);
  createQueues(store, context.queues);

  const server = new Server();
  server.addService(service, cloudTasksService(context, store, dispatcher));
  const port = await bind(server, context);
  const cron = new CronDriver(context, jobs, sender);
  cron.start();

  return {
    host: context.host,
    port,
    target: context.target,
    cronJobs: jobs,
    get oidcKeys() {
      return minter.keys;
    },
    close: async () => {
      cron.close();
      dispatcher.close();
      sender.close();
      await shutdown(server);
    },
  };
}

function createQueues(store: EmulatorStore, names: readonly string[]): void {
  for (const name of names) {
    try {
      store.updateQueue({ name }, undefined);
    } catch (error) {
      if (!(error instanceof RpcError)) throw error;
      throw new EmulatorError(`--queue ${JSON.stringify(name)}: ${error.message}`);
    }
  }
}

function writeKeys(file: string, keys: Readonly<Record<string, string>>): void {
  try {
    fs.writeFileSync(file, JSON.stringify(keys, null, 2) + "\n");
  } catch (error) {
    throw new EmulatorError(`Cannot write the OIDC keys to ${file}`, { cause: error });
  }
}

function bind(server: Server, context: EmulatorContext): Promise<number> {
  const host = context.host.includes(":") ? `[${context.host}]` : context.host;
  const address = `${host}:${context.port}`;

  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, port) => {
      if (error) {
        reject(
          new EmulatorError(`Cannot listen on ${address}: ${error.message}`, { cause: error }),
        );
      } else {
        resolve(port);
      }
    });
  });
}

function shutdown(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, SHUTDOWN_GRACE_MS);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}
