import type { TypeDesc } from "../../model/types.js";
import type { UnionDesc } from "./type-desc-kinds.js";

/** Members of a union with nested unions spread out and repeated members dropped. */
export function flattenUnion(type: UnionDesc): TypeDesc[] {
  const members: TypeDesc[] = [];
  const seen = new Set<string>();

  const visit = (member: TypeDesc): void => {
    if (member.kind === "union") {
      member.members.forEach(visit);
      return;
    }
    const key = JSON.stringify(member);
    if (seen.has(key)) return;
    seen.add(key);
    members.push(member);
  };

  type.members.forEach(visit);
  return members;
}
