/** Departments and users as the ledger projection holds them, without secrets. */
import type { Role } from "../../chain/contracts/types";
import type { LedgerStore } from "../../chain/store/ledger-store";

export interface Department {
  id: string;
  parent: string | null;
  name: string;
  nameEn: string;
  kind: "city" | "district" | "bureau";
  bureau?: string;
  adcode?: string;
  status: "active" | "disabled";
  seq: number;
}

export interface PublicUser {
  id: string;
  dept: string;
  name: string;
  role: Role;
  clearance: number;
  status: "active" | "disabled";
  seq: number;
}

export async function listDepartments(store: LedgerStore): Promise<Department[]> {
  const rows = await store.records<Omit<Department, "seq">>("dept");
  return rows.map((r) => toDepartment(r.value, r.seq));
}

export async function getDepartment(store: LedgerStore, id: string): Promise<Department | null> {
  const r = await store.record<Omit<Department, "seq">>("dept", id);
  return r ? toDepartment(r.value, r.seq) : null;
}

function toDepartment(v: Omit<Department, "seq">, seq: number): Department {
  return {
    id: v.id,
    parent: v.parent ?? null,
    name: v.name,
    nameEn: v.nameEn,
    kind: v.kind,
    ...(v.bureau ? { bureau: v.bureau } : {}),
    ...(v.adcode ? { adcode: v.adcode } : {}),
    status: v.status,
    seq,
  };
}

export async function listUsers(store: LedgerStore): Promise<PublicUser[]> {
  const rows = await store.records<PublicUser & { credential?: string }>("user");
  return rows.map((r) => toPublicUser(r.value, r.seq));
}

export async function getUser(store: LedgerStore, id: string): Promise<(PublicUser & { credential?: string }) | null> {
  const r = await store.record<PublicUser & { credential?: string }>("user", id);
  return r ? { ...toPublicUser(r.value, r.seq), credential: r.value.credential } : null;
}

export function toPublicUser(v: Omit<PublicUser, "seq">, seq: number): PublicUser {
  return { id: v.id, dept: v.dept, name: v.name, role: v.role, clearance: v.clearance, status: v.status, seq };
}

/** Ids of `rootId` and every department below it. */
export function subtreeIds(depts: Department[], rootId: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const d of depts) if (d.parent) children.set(d.parent, [...(children.get(d.parent) ?? []), d.id]);
  const out = new Set<string>();
  const stack = [rootId];
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}
