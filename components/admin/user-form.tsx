"use client";
/** Creates a user with an initial password: one user.create transaction (the password only as an scrypt hash). */
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { errorText } from "@/components/ui/query-state";
import { ROLES, type Role } from "@/lib/access";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import type { RouterInputs, RouterOutputs } from "@/server/api/root";
import type { TxOutcome } from "./tx-notice";

type Dept = RouterOutputs["admin"]["departments"][number];
type Input = RouterInputs["admin"]["createUser"];

export function UserForm(props: { depts: Dept[]; fixedDept: string | null; maxClearance: number; roles: readonly Role[]; onCreated: (o: TxOutcome) => void }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const empty: Input = { id: "", dept: props.fixedDept ?? "sz", name: "", role: "operator", clearance: 2, password: "" };
  const [form, setForm] = useState<Input>(empty);
  const create = useMutation(
    trpc.admin.createUser.mutationOptions({
      onSuccess: (res) => {
        props.onCreated({ hash: res.hash, height: res.height, label: `${t.txTypes["user.create"]} ${form.name} (${form.id})` });
        setForm(empty);
        setOpen(false);
      },
    }),
  );
  if (!open) {
    return (
      <div>
        <button type="button" className="btn" onClick={() => setOpen(true)} data-testid="new-user">
          + {t.admin.newUser}
        </button>
      </div>
    );
  }
  const set = <K extends keyof Input>(k: K, v: Input[K]) => setForm((f) => ({ ...f, [k]: v }));
  const depts = props.depts.filter((d) => d.status === "active" && (!props.fixedDept || d.id === props.fixedDept));
  return (
    <form
      className="panel"
      style={{ padding: 16 }}
      data-testid="user-form"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(form);
      }}
    >
      <div className="form-grid">
        <div className="field">
          <label htmlFor="user-id">{t.admin.id}</label>
          <input id="user-id" className="input mono" placeholder="futian.ops2" value={form.id} onChange={(e) => set("id", e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="user-name">{t.admin.userName}</label>
          <input id="user-name" className="input" value={form.name} onChange={(e) => set("name", e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="user-dept">{t.admin.dept}</label>
          <select id="user-dept" className="input" value={form.dept} onChange={(e) => set("dept", e.target.value)} disabled={!!props.fixedDept}>
            {depts.map((d) => (
              <option key={d.id} value={d.id}>
                {locale === "en" ? d.nameEn : d.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="user-role">{t.admin.role}</label>
          <select id="user-role" className="input" value={form.role} onChange={(e) => set("role", e.target.value as Role)}>
            {ROLES.filter((r) => props.roles.includes(r)).map((r) => (
              <option key={r} value={r}>
                {t.roles[r]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="user-clearance">{t.clearance}</label>
          <select id="user-clearance" className="input" value={form.clearance} onChange={(e) => set("clearance", Number(e.target.value))}>
            {[1, 2, 3, 4].filter((c) => c <= props.maxClearance).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="user-password">{t.admin.password}</label>
          <input id="user-password" className="input" type="password" autoComplete="new-password" minLength={8} value={form.password} onChange={(e) => set("password", e.target.value)} required />
        </div>
      </div>
      {create.error ? (
        <div className="notice bad" role="alert" style={{ marginTop: 12 }}>
          {errorText(create.error, t)}
        </div>
      ) : null}
      <div className="row" style={{ marginTop: 12 }}>
        <button type="submit" className="btn" disabled={create.isPending} data-testid="create-user-submit">
          {t.common.create}
        </button>
        <button type="button" className="btn btn-ghost" onClick={() => setOpen(false)}>
          {t.common.cancel}
        </button>
      </div>
    </form>
  );
}
