/** One step into a value: an array index or an object member name. */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * The access path of a value below `root`, as JavaScript would write it: `payload[0].user` or
 * `env.custom["odd key"]`.
 */
export function formatPath(root: string, segments: readonly PathSegment[]): string {
  let path = root;

  for (const segment of segments) {
    if (typeof segment === "number") {
      path += `[${segment}]`;
    } else {
      path += IDENTIFIER.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`;
    }
  }

  return path;
}

/** A path short enough for a one-line message: the start and end of a deep one. */
export function abbreviatePath(path: string): string {
  return path.length <= 120 ? path : `${path.slice(0, 50)}…${path.slice(-60)}`;
}
