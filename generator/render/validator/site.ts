import type { OnFail } from "./body-writer.js";
import type { Part } from "./message-part.js";

/** The value a check looks at: the local holding it, its path, and where a failure goes. */
export interface Site {
  readonly x: string;
  readonly path: readonly Part[];
  readonly f: OnFail;
}

/** The site of a value inside `s`, held by the local `x` and reached through `segment`. */
export function child(s: Site, x: string, segment: readonly Part[]): Site {
  return { x, path: [...s.path, ...segment], f: s.f };
}
