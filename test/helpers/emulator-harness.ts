/**
 * Shared pieces of the emulator tests: the emulator started in-process, the real Cloud Tasks
 * client pointed at it, and a local app that records every request it gets.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

import { CloudTasksClient } from "@google-cloud/tasks";
import { credentials } from "@grpc/grpc-js";

import type { EmulatorOptions } from "../../cli/emulator/emulator-options.js";
import { startEmulator, type RunningEmulator } from "../../cli/emulator/start-emulator.js";

export const LOCATION = "projects/demo/locations/local";
export const QUEUE = `${LOCATION}/queues/default`;

/** One request the recording app got. */
export interface RecordedRequest {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  /** Header names in lower case; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
  /** When it arrived, in milliseconds since the epoch. */
  readonly at: number;
}

/** Answers with a status code; 200 unless told otherwise. */
export type Responder = (request: RecordedRequest) => number;

/** A local HTTP server standing in for the app: it records requests and answers as told. */
export interface RecordingApp {
  readonly url: string;
  readonly requests: RecordedRequest[];
  respond: Responder;
  close(): Promise<void>;
}

export async function startRecordingApp(respond: Responder = () => 200): Promise<RecordingApp> {
  const requests: RecordedRequest[] = [];
  const app: RecordingApp = {
    url: "",
    requests,
    respond,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([key, value]) => [
            key,
            Array.isArray(value) ? value.join(", ") : value,
          ]),
        ),
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      };
      requests.push(request);
      res.writeHead(app.respond(request)).end();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(app, { url: `http://127.0.0.1:${port}` });
}

/** The client as docs/emulator.md tells apps to make it. */
export function emulatorClient(port: number): CloudTasksClient {
  return new CloudTasksClient({
    servicePath: "127.0.0.1",
    port,
    sslCreds: credentials.createInsecure(),
    // A fixed universe keeps the client from asking a metadata server for one.
    universeDomain: "googleapis.com",
  });
}

export interface EmulatorHarness {
  readonly emulator: RunningEmulator;
  readonly client: CloudTasksClient;
  readonly app: RecordingApp;
  close(): Promise<void>;
}

/** An emulator with the queue {@link QUEUE}, sending to a recording app, and a client for it. */
export async function emulatorHarness(options: EmulatorOptions = {}): Promise<EmulatorHarness> {
  const app = await startRecordingApp();
  const emulator = await startEmulator({ port: 0, target: app.url, queues: [QUEUE], ...options });
  const client = emulatorClient(emulator.port);

  return {
    emulator,
    client,
    app,
    close: async () => {
      await client.close();
      await emulator.close();
      await app.close();
    },
  };
}

/** The gRPC status code a call failed with, or undefined when it succeeded. */
export async function rpcCode(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return (error as { code?: number }).code;
  }
}

/** Seconds since the epoch as a protobuf Timestamp. */
export function timestamp(ms: number): { seconds: number; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1e6 };
}

/** A task's or queue's name, for the next call about it. */
export function nameOf(resource: { readonly name?: string | null }): string {
  return resource.name ?? "";
}
