import type { BodyWriter } from "./body-writer.js";
import { describe } from "./describe.js";
import { emitCheck } from "./emit-check.js";
import { at, expected, indexSegment } from "./message-part.js";
import { child, type Site } from "./site.js";
import type { ArrayDesc } from "./type-desc-kinds.js";

/** `T[]`: an array, then every element checked in a loop unless `T` accepts anything. */
export function emitArray(w: BodyWriter, type: ArrayDesc, s: Site): void {
  const { x } = s;
  w.guard([`!Array.isArray(${x})`], "||", s.f, at(s.path, expected(describe(type), x)));
  if (type.element.kind === "unknown") return;

  const i = w.fresh("i");
  const e = w.fresh("e");
  w.open(`for (let ${i} = 0; ${i} < ${x}.length; ${i}++) {`);
  w.line(`const ${e}: unknown = ${x}[${i}];`);
  emitCheck(w, type.element, child(s, e, indexSegment(i)));
  w.close();
}
