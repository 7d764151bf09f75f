"use client";
/** Call intake: location from the map or a typed landmark, type, severity, description, caller; opens the incident on the ledger. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorText } from "@/components/ui/query-state";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import { DISPATCH_STRINGS, LANDMARKS } from "./strings";

const TYPES = ["medical", "fire", "traffic_accident", "hazmat_spill", "public_security"] as const;
const SEVERITIES = ["low", "medium", "high", "critical"] as const;

export function IntakeForm({ picked, onPick, onCreated }: { picked: [number, number] | null; onPick: (p: [number, number] | null) => void; onCreated: (id: string) => void }) {
  const { locale, t } = useI18n();
  const s = DISPATCH_STRINGS[locale];
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [form, setForm] = useState({ address: "", type: "medical" as (typeof TYPES)[number], severity: "high" as (typeof SEVERITIES)[number], notes: "", caller: "" });
  const create = useMutation(
    trpc.dispatch.create.mutationOptions({
      onSuccess: (r) => {
        setForm({ ...form, address: "", notes: "", caller: "" });
        onPick(null);
        void qc.invalidateQueries({ queryKey: trpc.dispatch.incidents.queryKey() });
        onCreated(r.id);
      },
    }),
  );
  const typed = (address: string) => {
    setForm({ ...form, address });
    const l = LANDMARKS.find((x) => x.name === address.trim() || x.nameEn.toLowerCase() === address.trim().toLowerCase());
    if (l) onPick([l.lon, l.lat]);
  };

  return (
    <form
      className="stack"
      style={{ gap: 8 }}
      data-testid="intake-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!picked) return;
        create.mutate({ type: form.type, severity: form.severity, lon: picked[0], lat: picked[1], address: form.address, notes: form.notes, caller: form.caller || undefined });
      }}
    >
      <div className="panel-hint">{s.pickHint}</div>
      <label className="field">
        <span>{s.landmark}</span>
        <input className="input" list="dispatch-landmarks" required value={form.address} placeholder={s.landmarkPlaceholder} onChange={(e) => typed(e.target.value)} data-testid="intake-address" />
        <datalist id="dispatch-landmarks">
          {LANDMARKS.map((l) => (
            <option key={l.name} value={locale === "en" ? l.nameEn : l.name} />
          ))}
        </datalist>
      </label>
      <div className="panel-hint" data-testid="intake-position">
        {s.position}: {picked ? `${picked[0].toFixed(5)}, ${picked[1].toFixed(5)}` : s.notPicked}
      </div>
      <div className="row">
        <label className="field" style={{ flex: 1 }}>
          <span>{s.type}</span>
          <select className="input" value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value as never })} data-testid="intake-type">
            {TYPES.map((x) => (
              <option key={x} value={x}>
                {s.types[x]}
              </option>
            ))}
          </select>
        </label>
        <label className="field" style={{ flex: 1 }}>
          <span>{s.severity}</span>
          <select className="input" value={form.severity} onChange={(e) => setForm({ ...form, severity: e.target.value as never })}>
            {SEVERITIES.map((x) => (
              <option key={x} value={x}>
                {s.severities[x]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="field">
        <span>{s.notes}</span>
        <input className="input" value={form.notes} maxLength={500} onChange={(e) => setForm({ ...form, notes: e.target.value })} data-testid="intake-notes" />
      </label>
      <label className="field">
        <span>{s.caller}</span>
        <input className="input" value={form.caller} maxLength={60} onChange={(e) => setForm({ ...form, caller: e.target.value })} data-testid="intake-caller" />
      </label>
      <button className="btn" type="submit" disabled={!picked || create.isPending} data-testid="intake-submit">
        {s.create}
      </button>
      {create.error ? <div className="notice bad">{errorText(create.error, t)}</div> : null}
    </form>
  );
}
