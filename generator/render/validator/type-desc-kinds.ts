/** The members of `TypeDesc` that the validator renders with more than one expression. */
import type { TypeDesc } from "../../model/types.js";

export type ArrayDesc = Extract<TypeDesc, { readonly kind: "array" }>;
export type TupleDesc = Extract<TypeDesc, { readonly kind: "tuple" }>;
export type ObjectDesc = Extract<TypeDesc, { readonly kind: "object" }>;
export type UnionDesc = Extract<TypeDesc, { readonly kind: "union" }>;
export type RefDesc = Extract<TypeDesc, { readonly kind: "ref" }>;
