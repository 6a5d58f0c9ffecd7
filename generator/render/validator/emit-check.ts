/**
 * The entry point of check rendering: picks the emitter for a type. The emitters of composite
 * types call back into `emitCheck` for their parts, so these modules import one another; that is
 * safe because none of them calls another while it loads.
 */
import type { TypeDesc } from "../../model/types.js";
import type { BodyWriter } from "./body-writer.js";
import { describe } from "./describe.js";
import { emitArray } from "./emit-array.js";
import { emitObject } from "./emit-object.js";
import { emitRef } from "./emit-ref.js";
import { emitTuple } from "./emit-tuple.js";
import { emitUnion } from "./emit-union.js";
import { at, expected } from "./message-part.js";
import type { Site } from "./site.js";
import { typeTests } from "./type-test.js";

/** Emits the statements that check the value at `s` against `type`. */
export function emitCheck(w: BodyWriter, type: TypeDesc, s: Site): void {
  switch (type.kind) {
    case "unknown":
      return;
    case "array":
      return emitArray(w, type, s);
    case "tuple":
      return emitTuple(w, type, s);
    case "object":
      return emitObject(w, type, s);
    case "union":
      return emitUnion(w, type, s);
    case "ref":
      return emitRef(w, type, s);
    default:
      w.guard(typeTests([type], s.x, false), "||", s.f, at(s.path, expected(describe(type), s.x)));
  }
}
