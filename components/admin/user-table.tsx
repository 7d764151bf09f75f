"use client";
/** Users in the admin's scope: edit role and clearance, reset password, disable or re-enable (each a user.update transaction). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { ROLES, type Role } from "@/lib/access";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import type { RouterInputs, RouterOutputs } from "@/server/api/root";
import { TxNotice, type TxOutcome } from "./tx-notice";
import { UserForm } from "./user-form";

type User = RouterOutputs["admin"]["users"][number];
type Dept = RouterOutputs["admin"]["departments"][number];
type Update = RouterInputs["admin"]["updateUser"];

export function UserTable(props: { users: User[]; depts: Dept[]; me: { id: string; role: Role; dept: string; clearance: number }; canExplore: boolean }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState("");
  const [editing, setEditing] = useState<Update | null>(null);
  const [outcome, setOutcome] = useState<TxOutcome | null>(null);
  const deptName = useMemo(() => new Map(props.depts.map((d) => [d.id, locale === "en" ? d.nameEn : d.name])), [props.depts, locale]);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.admin.pathKey() });
  const update = useMutation(
    trpc.admin.updateUser.mutationOptions({
      onSuccess: (res, input) => {
        setOutcome({ hash: res.hash, height: res.height, label: `${t.txTypes["user.update"]} ${input.id}` });
        setEditing(null);
        refresh();
      },
    }),
  );
  const isSys = props.me.role === "sys_admin";
  const grantable = isSys ? ROLES : ROLES.filter((r) => ROLES.indexOf(r) < ROLES.indexOf(props.me.role));
  const needle = filter.trim().toLowerCase();
  const shown = props.users.filter((u) => !needle || u.id.includes(needle) || u.name.toLowerCase().includes(needle) || (deptName.get(u.dept) ?? "").toLowerCase().includes(needle));

  return (
    <div className="stack">
      <div className="row">
        <UserForm
          depts={props.depts}
          fixedDept={isSys ? null : props.me.dept}
          maxClearance={props.me.clearance}
          roles={grantable}
          onCreated={(o) => {
            setOutcome(o);
            refresh();
          }}
        />
        <span className="spacer" />
        <input className="input" style={{ maxWidth: 260 }} type="search" placeholder={t.admin.filter} aria-label={t.admin.filter} value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      <TxNotice outcome={outcome} error={update.error} canExplore={props.canExplore} />
      <div className="panel table-wrap">
        <table data-testid="user-table">
          <thead>
            <tr>
              <th>{t.admin.userName}</th>
              <th className="hide-sm">{t.admin.dept}</th>
              <th>{t.admin.role}</th>
              <th className="hide-sm">{t.clearance}</th>
              <th className="hide-sm">{t.common.status}</th>
              <th>{t.common.actions}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((u) =>
              editing?.id === u.id ? (
                <tr key={u.id} data-testid={`user-row-${u.id}`}>
                  <td colSpan={6}>
                    <form
                      className="form-grid"
                      onSubmit={(e) => {
                        e.preventDefault();
                        const changes: Update = { id: u.id };
                        if (editing.role && editing.role !== u.role) changes.role = editing.role;
                        if (editing.clearance && editing.clearance !== u.clearance) changes.clearance = editing.clearance;
                        if (editing.password) changes.password = editing.password;
                        update.mutate(changes);
                      }}
                    >
                      <div className="field">
                        <label>{u.name}</label>
                        <span className="mono panel-hint">{u.id}</span>
                      </div>
                      <div className="field">
                        <label htmlFor={`role-${u.id}`}>{t.admin.role}</label>
                        <select id={`role-${u.id}`} className="input" value={editing.role} onChange={(e) => setEditing({ ...editing, role: e.target.value as Role })}>
                          {ROLES.filter((r) => grantable.includes(r) || r === u.role).map((r) => (
                            <option key={r} value={r}>
                              {t.roles[r]}
                            </option>
                          ))}
                        </select>
                      </div>
                      <div className="field">
                        <label htmlFor={`clr-${u.id}`}>{t.clearance}</label>
                        <select id={`clr-${u.id}`} className="input" value={editing.clearance} onChange={(e) => setEditing({ ...editing, clearance: Number(e.target.value) })}>
                          {[1, 2, 3, 4].map((c) => (
                            <option key={c} value={c}>
                              {c}
                            </option>
                          ))}
                        </select>
                      </div>
                      <div className="field">
                        <label htmlFor={`pw-${u.id}`}>{t.admin.newPassword}</label>
                        <input id={`pw-${u.id}`} className="input" type="password" autoComplete="new-password" minLength={8} value={editing.password ?? ""} onChange={(e) => setEditing({ ...editing, password: e.target.value || undefined })} />
                      </div>
                      <div className="row">
                        <button className="btn btn-sm" type="submit" disabled={update.isPending}>
                          {t.common.save}
                        </button>
                        <button className="btn btn-ghost btn-sm" type="button" onClick={() => setEditing(null)}>
                          {t.common.cancel}
                        </button>
                      </div>
                    </form>
                  </td>
                </tr>
              ) : (
                <tr key={u.id} data-testid={`user-row-${u.id}`}>
                  <td>
                    <div>{u.name}</div>
                    <div className="mono panel-hint">{u.id}</div>
                  </td>
                  <td className="hide-sm">{deptName.get(u.dept) ?? u.dept}</td>
                  <td>
                    <span className="badge">{t.roles[u.role]}</span>
                    <div className="show-sm panel-hint">
                      {t.clearance} {u.clearance} · {u.status === "active" ? t.common.active : t.common.disabled}
                    </div>
                  </td>
                  <td className="num hide-sm">{u.clearance}</td>
                  <td className="hide-sm">{u.status === "active" ? <span className="badge ok">{t.common.active}</span> : <span className="badge bad">{t.common.disabled}</span>}</td>
                  <td>
                    {u.id !== props.me.id ? (
                      <span className="row actions-sm" style={{ flexWrap: "nowrap" }}>
                        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setEditing({ id: u.id, role: u.role, clearance: u.clearance })}>
                          {t.common.edit}
                        </button>
                        <button
                          type="button"
                          className={u.status === "active" ? "btn btn-danger btn-sm" : "btn btn-ghost btn-sm"}
                          disabled={update.isPending}
                          onClick={() => update.mutate({ id: u.id, status: u.status === "active" ? "disabled" : "active" })}
                        >
                          {u.status === "active" ? t.common.disable : t.common.enable}
                        </button>
                      </span>
                    ) : null}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
        {shown.length === 0 ? <div className="empty">{t.common.none}</div> : null}
      </div>
    </div>
  );
}
