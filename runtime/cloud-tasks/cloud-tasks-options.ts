/**
 * The Cloud Tasks transport's options, and the context object that holds them resolved: from the
 * options first, else from the environment. Resolved when the transport first needs them, never
 * at import, and checked all at once.
 */
import { SILENT_LOGGER, type Logger } from "../logger.js";
import type { CloudTasksClientLike } from "./cloud-tasks-client.js";
import { CloudTasksConfigError } from "./cloud-tasks-errors.js";

/** Variables that name the Google Cloud project, in the order they are read. */
export const PROJECT_VARIABLES = ["GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT"] as const;

/** The variable that names the queues' location (region), such as `europe-west1`. */
export const LOCATION_VARIABLE = "CLOUD_TASKS_LOCATION";

/**
 * Tasks go to an App Engine service of the queue's project, at `<basePath>/deferred` or
 * `<basePath>/queryIter`. App Engine proves where such a request came from with its
 * `X-AppEngine-*` headers: see the handler's `trustAppEngineTasks`.
 */
export interface AppEngineTarget {
  readonly kind: "appEngine";
  /** The service; by default the one that is the default when the task is delivered. */
  readonly service?: string | undefined;
  /**
   * The version, for tasks that name none themselves (`targetVersion`, from a call or a
   * declaration, wins); by default the version serving when the task is delivered.
   */
  readonly version?: string | undefined;
}

/**
 * Tasks go to a URL (Cloud Run, GKE, any HTTPS server), at `<url><basePath>/<route>`, with an
 * OIDC token Cloud Tasks signs for `serviceAccountEmail`: see the handler's `oidc` option. A
 * task's `targetVersion` has no meaning here and is ignored.
 */
export interface HttpTarget {
  readonly kind: "http";
  /** Where the task handler is served, such as `https://worker-abc-ew.a.run.app`. */
  readonly url: string;
  /**
   * The service account Cloud Tasks makes tokens for; whoever creates tasks needs the
   * `iam.serviceAccounts.actAs` permission on it.
   */
  readonly serviceAccountEmail: string;
  /** The token's audience; by default the origin of `url`, which Cloud Run expects. */
  readonly audience?: string | undefined;
}

export type CloudTasksTarget = AppEngineTarget | HttpTarget;

/** Options of {@link cloudTasksTransport}. Only `target` is required. */
export interface CloudTasksTransportOptions {
  readonly target: CloudTasksTarget;
  /** The project of the queues; else `GOOGLE_CLOUD_PROJECT`, else `GCLOUD_PROJECT`. */
  readonly project?: string | undefined;
  /** The location of the queues, such as `europe-west1`; else `CLOUD_TASKS_LOCATION`. */
  readonly location?: string | undefined;
  /**
   * Cloud Tasks queue ids by taskgen queue name, such as `{ mail: "prod-mail" }`. A queue not
   * listed keeps its name, which must then be a valid queue id (letters, digits, hyphens).
   */
  readonly queueNames?: Readonly<Record<string, string>>;
  /** The handler's base path; `/_tasks` by default, as the handler's. */
  readonly basePath?: string;
  /**
   * A client to use instead of creating one; the transport does not close it. Without it, the
   * transport loads `@google-cloud/tasks` when it first queues a task and closes the client it
   * made in `stop()`.
   */
  readonly client?: CloudTasksClientLike;
  /** Options for the `CloudTasksClient` the transport creates (credentials, endpoint, ...). */
  readonly clientOptions?: Readonly<Record<string, unknown>>;
  /** Where `project` and `location` are read from when not given; `process.env` by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger;
}

export type ResolvedTarget =
  | { readonly kind: "appEngine"; readonly service?: string; readonly version?: string }
  | {
      readonly kind: "http";
      /** The URL without a trailing slash; a task goes to `<url><basePath>/<route>`. */
      readonly url: string;
      readonly serviceAccountEmail: string;
      readonly audience: string;
    };

/** Every option resolved, built once and passed first. */
export interface CloudTasksContext {
  readonly project: string;
  readonly location: string;
  readonly target: ResolvedTarget;
  readonly basePath: string;
  readonly queueNames: Readonly<Record<string, string>>;
  readonly logger: Logger;
}

/** Queue ids: letters, digits and hyphens, at most 100. */
const QUEUE_ID = /^[A-Za-z0-9-]{1,100}$/;
const PROJECT_ID = /^[A-Za-z0-9.:-]+$/;
const LOCATION_ID = /^[a-z0-9-]+$/;

/** Resolves the options, or throws a {@link CloudTasksConfigError} naming every problem. */
export function resolveCloudTasksOptions(options: CloudTasksTransportOptions): CloudTasksContext {
  const env = options.env ?? process.env;
  const problems: string[] = [];

  const project = options.project || PROJECT_VARIABLES.map((name) => env[name]).find(Boolean);
  if (!project) {
    problems.push(`no project: set the project option or ${PROJECT_VARIABLES.join(" or ")}`);
  } else if (!PROJECT_ID.test(project)) {
    problems.push(`the project ${JSON.stringify(project)} is not a valid project id`);
  }

  const location = options.location || env[LOCATION_VARIABLE];
  if (!location) {
    problems.push(`no location: set the location option or ${LOCATION_VARIABLE}`);
  } else if (!LOCATION_ID.test(location)) {
    problems.push(`the location ${JSON.stringify(location)} is not a location id`);
  }

  const basePath = (options.basePath ?? "/_tasks").replace(/\/+$/, "");
  if (!basePath.startsWith("/")) {
    problems.push(`the basePath ${JSON.stringify(options.basePath)} does not start with "/"`);
  }

  const queueNames = options.queueNames ?? {};
  for (const [queue, id] of Object.entries(queueNames)) {
    if (!QUEUE_ID.test(id)) problems.push(queueIdProblem(id, queue));
  }

  const target = resolveTarget(options.target, problems);
  if (problems.length > 0 || !project || !location || !target) {
    throw new CloudTasksConfigError(problems);
  }
  return {
    project,
    location,
    target,
    basePath,
    queueNames,
    logger: options.logger ?? SILENT_LOGGER,
  };
}

function resolveTarget(
  target: CloudTasksTarget | undefined,
  problems: string[],
): ResolvedTarget | undefined {
  if (target?.kind === "appEngine") {
    return {
      kind: "appEngine",
      ...(target.service && { service: target.service }),
      ...(target.version && { version: target.version }),
    };
  }
  if (target?.kind !== "http") {
    const kind = (target as { kind?: unknown } | undefined)?.kind;
    problems.push(`the target kind is ${JSON.stringify(kind)}; use "appEngine" or "http"`);
    return undefined;
  }

  let url: URL | undefined;
  try {
    url = new URL(target.url);
  } catch {
    // Reported below.
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    problems.push(`the target url ${JSON.stringify(target.url)} is not an http(s) URL`);
  } else if (url.search || url.hash) {
    problems.push(`the target url ${JSON.stringify(target.url)} has a query or fragment`);
  }
  if (!target.serviceAccountEmail?.includes("@")) {
    problems.push("the http target needs the serviceAccountEmail its OIDC tokens are made for");
  }
  if (!url || problems.length > 0) return undefined;
  return {
    kind: "http",
    url: target.url.replace(/\/+$/, ""),
    serviceAccountEmail: target.serviceAccountEmail,
    audience: target.audience || url.origin,
  };
}

/** The Cloud Tasks queue id of a taskgen queue, or a configuration error. */
export function queueIdOf(ctx: CloudTasksContext, queue: string): string {
  const id = Object.hasOwn(ctx.queueNames, queue) ? ctx.queueNames[queue]! : queue;
  if (!QUEUE_ID.test(id)) throw new CloudTasksConfigError([queueIdProblem(id, queue)]);
  return id;
}

function queueIdProblem(id: string, queue: string): string {
  return (
    `the queue id ${JSON.stringify(id)} (for the queue ${JSON.stringify(queue)}) may hold only ` +
    "letters, digits and hyphens, at most 100; map the queue with the queueNames option"
  );
}
