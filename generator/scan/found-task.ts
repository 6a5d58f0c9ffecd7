import type { SourceLocation, TaskKind, TaskTarget, TypeDesc } from "../model/types.js";

/** A literal option value as written in a declaration, with where it was written. */
export interface RawOption {
  readonly value: string | number | boolean;
  readonly location: SourceLocation;
}

/** A declaration the scanner found; the model checks its options and gives it an id. */
export interface FoundTask {
  readonly kind: TaskKind;
  readonly symbol: string;
  readonly location: SourceLocation;
  readonly target: TaskTarget;
  /** What travels in the payload; absent when nothing does. */
  readonly payload?: TypeDesc;
  readonly options: ReadonlyMap<string, RawOption>;
}
