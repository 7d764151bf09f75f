"use client";
/** The admin page: departments and users in two tabs. */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { QueryState } from "@/components/ui/query-state";
import type { Role } from "@/lib/access";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import { DepartmentTree } from "./department-tree";
import { UserTable } from "./user-table";

export function AdminConsole({ me, canExplore }: { me: { id: string; role: Role; dept: string; clearance: number }; canExplore: boolean }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const [tab, setTab] = useState<"users" | "depts">("users");
  const depts = useQuery(trpc.admin.departments.queryOptions());
  const users = useQuery(trpc.admin.users.queryOptions());
  return (
    <>
      <div className="tabs" role="tablist">
        <button type="button" role="tab" className="tab" aria-selected={tab === "users"} onClick={() => setTab("users")} data-testid="tab-users">
          {t.admin.users} {users.data ? <span className="badge">{users.data.length}</span> : null}
        </button>
        <button type="button" role="tab" className="tab" aria-selected={tab === "depts"} onClick={() => setTab("depts")} data-testid="tab-depts">
          {t.admin.departments} {depts.data ? <span className="badge">{depts.data.length}</span> : null}
        </button>
      </div>
      <QueryState isLoading={depts.isLoading || users.isLoading} error={depts.error ?? users.error}>
        {depts.data && users.data ? (
          tab === "users" ? (
            <UserTable users={users.data} depts={depts.data} me={me} canExplore={canExplore} />
          ) : (
            <div className="panel" style={{ padding: 16 }}>
              <DepartmentTree depts={depts.data} editable={me.role === "sys_admin"} canExplore={canExplore} />
            </div>
          )
        ) : null}
      </QueryState>
    </>
  );
}
