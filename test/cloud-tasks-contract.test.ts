import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { startEmulator, type RunningEmulator } from "../cli/emulator/start-emulator.js";
import { cloudTasksTransport } from "../runtime/cloud-tasks/index.js";
import { emulatorClient } from "./helpers/emulator-harness.js";
import { transportContract } from "./helpers/transport-contract.js";

/**
 * The contract suite on the Cloud Tasks transport, end to end: the real @google-cloud/tasks
 * client queues on the local emulator, which sends each task to the runtime's Node handler
 * over HTTP with Cloud Tasks' headers, and retries by the queue's policy.
 */
type NodeHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

let app: Server | undefined;
let emulator: RunningEmulator | undefined;
let client: ReturnType<typeof emulatorClient> | undefined;
let handler: NodeHandler | undefined;
let createNodeHandler: typeof import("taskgen").createNodeHandler | undefined;

transportContract({
  name: "Cloud Tasks on the emulator",
  async create() {
    ({ createNodeHandler } = await import("taskgen"));
    app = createServer((req, res) => {
      if (handler) void handler(req, res);
      else res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => app!.listen(0, "127.0.0.1", resolve));
    const target = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    emulator = await startEmulator({ port: 0, target, autoCreateQueues: true });
    client = emulatorClient(emulator.port);
    return cloudTasksTransport({
      target: { kind: "appEngine" },
      project: "contract-test",
      location: "local",
      client,
    });
  },
  attach(runtime) {
    handler = createNodeHandler!(runtime);
  },
  async cleanup() {
    handler = undefined;
    await client?.close();
    await emulator?.close();
    await new Promise((resolve) => app?.close(resolve));
  },
});
