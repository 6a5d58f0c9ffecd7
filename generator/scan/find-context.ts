import { ts } from "../typescript.js";

import { CODES, type Diagnostic, type DiagnosticCode } from "../diagnostics.js";
import type { TypeDescriber } from "./describe-type.js";
import type { Locator } from "./locator.js";
import type { Resolver } from "./resolver.js";
import type { Marker } from "./markers.js";

/** Everything the per-file analysis needs, built once per scan. */
export interface FindContext {
  readonly resolver: Resolver;
  readonly locator: Locator;
  readonly describer: TypeDescriber;
  readonly report: (diagnostic: Diagnostic) => void;
  /** Names a class on a chain to a taskgen base class can extend (see findTaskBase). */
  readonly baseNames: ReadonlySet<string>;
}

/** A taskgen decorator or function form used where it does not apply (TG1013). */
export function misplaced(file: string, marker: Marker, where: string, ctx: FindContext): void {
  reportError(
    ctx,
    file,
    marker.node,
    CODES.unsupportedTarget,
    `${marker.name} cannot be used on ${where}`,
  );
}

/** Reports an error at a node of `file`, with an optional hint. */
export function reportError(
  ctx: FindContext,
  file: string,
  node: ts.Node,
  code: DiagnosticCode,
  message: string,
  hint?: string,
): void {
  const location = ctx.locator.locate(file, node);
  ctx.report(
    hint
      ? { code, severity: "error", location, message, hint }
      : { code, severity: "error", location, message },
  );
}
