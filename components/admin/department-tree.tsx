"use client";
/** The department tree; system admins create, rename, disable and re-enable departments (each a ledger transaction). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { RouterOutputs } from "@/server/api/root";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import { TxNotice, type TxOutcome } from "./tx-notice";
import { DepartmentForm } from "./department-form";

type Dept = RouterOutputs["admin"]["departments"][number];

export function DepartmentTree({ depts, editable, canExplore }: { depts: Dept[]; editable: boolean; canExplore: boolean }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [outcome, setOutcome] = useState<TxOutcome | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  const children = useMemo(() => {
    const m = new Map<string | null, Dept[]>();
    for (const d of depts) m.set(d.parent, [...(m.get(d.parent) ?? []), d]);
    const order = { city: 0, district: 1, bureau: 2 } as const;
    for (const list of m.values()) list.sort((a, b) => order[a.kind] - order[b.kind] || a.id.localeCompare(b.id));
    return m;
  }, [depts]);
  const update = useMutation(
    trpc.admin.updateDepartment.mutationOptions({
      onSuccess: (res, input) => {
        setOutcome({ hash: res.hash, height: res.height, label: `${t.txTypes["dept.update"]} ${input.id}` });
        setEditing(null);
        void queryClient.invalidateQueries({ queryKey: trpc.admin.pathKey() });
      },
    }),
  );
  const nameOf = (d: Dept) => (locale === "en" ? d.nameEn : d.name);

  const renderNode = (d: Dept) => {
    const kids = children.get(d.id) ?? [];
    const disabled = d.status === "disabled";
    return (
      <li key={d.id}>
        <div className={`tree-node ${disabled ? "is-disabled" : ""}`} data-testid={`dept-${d.id}`}>
          {editing === d.id ? (
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault();
                update.mutate(locale === "en" ? { id: d.id, nameEn: draft } : { id: d.id, name: draft });
              }}
            >
              <input className="input" style={{ width: 260, maxWidth: "60vw" }} value={draft} onChange={(e) => setDraft(e.target.value)} autoFocus aria-label={t.admin.name} />
              <button className="btn btn-sm" type="submit" disabled={update.isPending}>
                {t.common.save}
              </button>
              <button className="btn btn-ghost btn-sm" type="button" onClick={() => setEditing(null)}>
                {t.common.cancel}
              </button>
            </form>
          ) : (
            <span className="tree-name">{nameOf(d)}</span>
          )}
          <span className="badge">{t.kinds[d.kind]}</span>
          {d.bureau ? <span className="badge blue">{t.bureaus[d.bureau as keyof typeof t.bureaus]}</span> : null}
          {disabled ? <span className="badge bad">{t.common.disabled}</span> : null}
          <span className="mono panel-hint hide-sm">{d.id}</span>
          {editable && editing !== d.id ? (
            <span className="row" style={{ marginLeft: "auto" }}>
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                onClick={() => {
                  setEditing(d.id);
                  setDraft(nameOf(d));
                }}
              >
                {t.admin.rename}
              </button>
              {d.parent !== null ? (
                <button
                  type="button"
                  className={disabled ? "btn btn-ghost btn-sm" : "btn btn-danger btn-sm"}
                  disabled={update.isPending}
                  onClick={() => update.mutate({ id: d.id, status: disabled ? "active" : "disabled" })}
                >
                  {disabled ? t.common.enable : t.common.disable}
                </button>
              ) : null}
            </span>
          ) : null}
        </div>
        {kids.length ? <ul className="tree">{kids.map(renderNode)}</ul> : null}
      </li>
    );
  };

  return (
    <div className="stack">
      {editable ? (
        <DepartmentForm
          depts={depts}
          onCreated={(o) => {
            setOutcome(o);
            void queryClient.invalidateQueries({ queryKey: trpc.admin.pathKey() });
          }}
        />
      ) : (
        <div className="notice info">{t.admin.readOnly}</div>
      )}
      <TxNotice outcome={outcome} error={update.error} canExplore={canExplore} />
      <ul className="tree">{(children.get(null) ?? []).map(renderNode)}</ul>
    </div>
  );
}
