/**
 * The handler's `trustAppEngineTasks` option: App Engine's task headers as proof that a request
 * comes from Cloud Tasks (App Engine targets), as the original system took them.
 */

/**
 * Also check the source address App Engine reports in `X-AppEngine-User-IP`: Cloud Tasks'
 * requests come from `0.1.0.2` (App Engine's documentation; the original also allowed
 * `0.1.0.1` and `10.0.0.1`).
 */
export interface AppEngineTaskTrust {
  readonly sourceAddresses: readonly string[];
}

/**
 * Undefined when the request carries App Engine's `X-AppEngine-QueueName` header (and, when
 * asked, comes from one of `sourceAddresses`); else why not. Header names are in lower case.
 */
export function appEngineTaskProblem(
  headers: Readonly<Record<string, string | undefined>>,
  trust: true | AppEngineTaskTrust,
): string | undefined {
  if (!headers["x-appengine-queuename"]) return "there is no X-AppEngine-QueueName header";
  if (trust === true) return undefined;
  const address = headers["x-appengine-user-ip"];
  if (address !== undefined && trust.sourceAddresses.includes(address)) return undefined;
  return `the source address ${JSON.stringify(address)} is not one of App Engine's task addresses`;
}
