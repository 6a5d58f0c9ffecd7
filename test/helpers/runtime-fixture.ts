import type { Logger } from "../../runtime/logger.js";
import { CaptureTransport } from "./capture-transport.js";

// The app and its generated files are imported the way the dispatch table imports the app's
// modules, so the test and the table see one and the same module (test files themselves are
// loaded as CommonJS).
export const runtimeFixture = Promise.all([
  import("taskgen"),
  import("../fixtures/runtime-app/src/app.js"),
  import("../fixtures/runtime-app/src/generated/dispatch.js"),
  import("../fixtures/runtime-app/src/generated/stubs.js"),
]).then(([taskgen, app, dispatch, stubs]) => ({
  ...taskgen,
  ...app,
  dispatchTable: dispatch.dispatchTable,
  createDeferredStubs: stubs.createDeferredStubs,
}));

export const SECRET = "a test secret of enough length";

type Fixture = Awaited<typeof runtimeFixture>;
type ExtraOptions = Omit<
  Parameters<Fixture["createRuntime"]>[0],
  "table" | "instances" | "transport" | "secret"
>;

/** A logger that keeps every line, with its level, for tests to read. */
export function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    error: (message) => lines.push(`error ${message}`),
    warn: (message) => lines.push(`warn ${message}`),
    info: (message) => lines.push(`info ${message}`),
    debug: (message) => lines.push(`debug ${message}`),
  };
}

/**
 * A runtime of the fixture app on a `CaptureTransport`, with a fresh log. The caller stops it
 * (`runtime.stop()`), so that deferred calls of the next test find no runtime of this one.
 */
export async function startFixtureRuntime(options: ExtraOptions = {}) {
  const f = await runtimeFixture;
  f.log.length = 0;
  const transport = new CaptureTransport();
  const mailer = new f.Mailer();
  const runtime = f.createRuntime({
    table: f.dispatchTable,
    instances: { Mailer: mailer },
    transport,
    secret: SECRET,
    ...options,
  });
  return { ...f, transport, mailer, runtime };
}
