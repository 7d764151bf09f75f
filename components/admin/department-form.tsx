"use client";
/** Creates a department (and registers its signing key): two ledger transactions. */
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import type { RouterInputs, RouterOutputs } from "@/server/api/root";
import { errorText } from "@/components/ui/query-state";
import type { TxOutcome } from "./tx-notice";

type Dept = RouterOutputs["admin"]["departments"][number];
type Input = RouterInputs["admin"]["createDepartment"];
const BUREAUS = ["traffic_police", "transport", "public_security", "emergency", "fire", "health", "environment"] as const;

export function DepartmentForm({ depts, onCreated }: { depts: Dept[]; onCreated: (o: TxOutcome) => void }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const empty: Input = { id: "", parent: "sz", name: "", nameEn: "", kind: "bureau", bureau: "traffic_police" };
  const [form, setForm] = useState<Input>(empty);
  const create = useMutation(
    trpc.admin.createDepartment.mutationOptions({
      onSuccess: (res) => {
        onCreated({ hash: res.hash, height: res.height, label: `${t.txTypes["dept.create"]} ${form.name}` });
        setForm(empty);
        setOpen(false);
      },
    }),
  );
  if (!open) {
    return (
      <div>
        <button type="button" className="btn" onClick={() => setOpen(true)} data-testid="new-dept">
          + {t.admin.newDept}
        </button>
      </div>
    );
  }
  const set = <K extends keyof Input>(k: K, v: Input[K]) => setForm((f) => ({ ...f, [k]: v }));
  const parents = depts.filter((d) => d.status === "active" && d.kind !== "bureau");
  return (
    <form
      className="panel"
      style={{ padding: 16 }}
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(form.kind === "bureau" ? form : { ...form, bureau: undefined });
      }}
    >
      <div className="form-grid">
        <div className="field">
          <label htmlFor="dept-parent">{t.admin.parent}</label>
          <select id="dept-parent" className="input" value={form.parent} onChange={(e) => set("parent", e.target.value)}>
            {parents.map((d) => (
              <option key={d.id} value={d.id}>
                {locale === "en" ? d.nameEn : d.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="dept-kind">{t.admin.kind}</label>
          <select id="dept-kind" className="input" value={form.kind} onChange={(e) => set("kind", e.target.value as Input["kind"])}>
            <option value="district">{t.kinds.district}</option>
            <option value="bureau">{t.kinds.bureau}</option>
          </select>
        </div>
        {form.kind === "bureau" ? (
          <div className="field">
            <label htmlFor="dept-bureau">{t.admin.bureau}</label>
            <select id="dept-bureau" className="input" value={form.bureau} onChange={(e) => set("bureau", e.target.value as Input["bureau"])}>
              {BUREAUS.map((b) => (
                <option key={b} value={b}>
                  {t.bureaus[b]}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="dept-id">{t.admin.id}</label>
          <input id="dept-id" className="input mono" placeholder="sz.longhua.tp" value={form.id} onChange={(e) => set("id", e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="dept-name">{t.admin.name}</label>
          <input id="dept-name" className="input" placeholder="龙华交警大队" value={form.name} onChange={(e) => set("name", e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="dept-name-en">{t.admin.nameEn}</label>
          <input id="dept-name-en" className="input" placeholder="Longhua Traffic Police Brigade" value={form.nameEn} onChange={(e) => set("nameEn", e.target.value)} required />
        </div>
      </div>
      {create.error ? (
        <div className="notice bad" role="alert" style={{ marginTop: 12 }}>
          {errorText(create.error, t)}
        </div>
      ) : null}
      <div className="row" style={{ marginTop: 12 }}>
        <button type="submit" className="btn" disabled={create.isPending}>
          {t.common.create}
        </button>
        <button type="button" className="btn btn-ghost" onClick={() => setOpen(false)}>
          {t.common.cancel}
        </button>
      </div>
    </form>
  );
}
