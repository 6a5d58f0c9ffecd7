import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import type { ServiceDefinition } from "@grpc/grpc-js";
import { fromJSON } from "@grpc/proto-loader";

import { EmulatorError } from "./emulator-error.js";

const SERVICE = "google.cloud.tasks.v2.CloudTasks";
/** The subpath @google-cloud/tasks exports for its bundled protocol definitions. */
const PROTOS_EXPORT = "@google-cloud/tasks/build/protos";

/**
 * The Cloud Tasks v2 service, loaded from the protocol definitions the installed
 * `@google-cloud/tasks` ships (`build/protos/protos.json`, which its own client loads), so the
 * emulator speaks exactly the schema of the client that talks to it. The app's copy is preferred
 * to the one beside taskgen.
 */
export function loadCloudTasksService(): ServiceDefinition {
  const file = protosFile();
  const definition = fromJSON(JSON.parse(fs.readFileSync(file, "utf8")), {
    keepCase: false,
    longs: Number,
    enums: String,
    defaults: false,
    oneofs: true,
  });

  const service = definition[SERVICE];
  if (!service || !("CreateTask" in service)) {
    throw new EmulatorError(`${file} does not define the ${SERVICE} service`);
  }
  return service as unknown as ServiceDefinition;
}

function protosFile(): string {
  const from = [path.join(process.cwd(), "package.json"), import.meta.url];
  for (const base of from) {
    try {
      const entry = createRequire(base).resolve(PROTOS_EXPORT);
      const file = path.join(path.dirname(entry), "protos.json");
      if (fs.existsSync(file)) return file;
    } catch {
      // Not installed where this base looks; try the next.
    }
  }

  throw new EmulatorError(
    "The emulator needs the protocol definitions of @google-cloud/tasks; " +
      "install it in the project (npm install --save-dev @google-cloud/tasks)",
  );
}
