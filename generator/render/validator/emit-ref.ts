import type { BodyWriter } from "./body-writer.js";
import { joined } from "./message-part.js";
import type { Site } from "./site.js";
import type { RefDesc } from "./type-desc-kinds.js";

/**
 * A named definition: calls its check function. Inside a union member only the verdict counts;
 * otherwise the nested message is returned, prefixed with the path that leads to it.
 */
export function emitRef(w: BodyWriter, type: RefDesc, s: Site): void {
  const fn = w.ref(type.name);
  if (s.f) {
    w.guard([`${fn}(${s.x}) !== undefined`], "||", s.f, []);
    return;
  }

  const r = w.fresh("r");
  w.line(`const ${r} = ${fn}(${s.x});`);
  w.openIf([`${r} !== undefined`], "||");
  w.failWith(s.f, [joined(s.path, r)]);
  w.close();
}
