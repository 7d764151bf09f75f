/**
 * Who may change a record: its owner department or a department above it in the tree. A contract
 * may read only state it declared from the payload, so the writer names the owner's line up to
 * itself (`authority`: [owner, parent, …, writer]) and the contract checks every link against the
 * department records on chain; a line that does not hold is refused like no line at all.
 */
import { z } from "zod";
import { recordId } from "./ids.js";
import type { ContractContext, StateKey } from "./types.js";

export const NOT_OWNER = "只有所属部门或其上级可修改 only the owner department or its ancestors may change this";

/** The owner's line up to the writer, nearest first; omitted when the writer is the owner. */
export const authorityLine = z.array(recordId()).min(2).max(16).optional();

/** The department records the line names (the contract reads them to check its links). */
export const authorityReads = (p: { authority?: readonly string[] }): StateKey[] => (p.authority ?? []).map((d) => ["dept", d] as const);

/**
 * True when `writerDept` is `ownerDept` or, along `line`, one of its ancestors. Pure over the state
 * getter so the server can run the same walk on projected departments.
 */
export function mayManage(dept: (id: string) => { parent?: string | null } | undefined, writerDept: string, ownerDept: string, line?: readonly string[]): boolean {
  if (writerDept === ownerDept) return true;
  if (!line || line[0] !== ownerDept || line[line.length - 1] !== writerDept) return false;
  for (let i = 0; i + 1 < line.length; i++) if (dept(line[i])?.parent !== line[i + 1]) return false;
  return true;
}

/** Refuses unless the submitting department may manage a record owned by `ownerDept` (the system actor and a system admin may act anywhere). */
export function requireOwnerOrAncestor(ctx: ContractContext, ownerDept: string, line?: readonly string[]): void {
  if (!ctx.user || ctx.user.role === "sys_admin") return;
  if (!mayManage((id) => ctx.get<{ parent?: string | null }>("dept", id), ctx.tx.dept, ownerDept, line)) ctx.refuse(NOT_OWNER);
}
