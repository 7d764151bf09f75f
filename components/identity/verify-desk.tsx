"use client";
/**
 * The verifier's desk, phone first: ID number (checked as it is typed), name, purpose, verification
 * point and an optional card photo; the answer in one big card. The entered number and name are
 * cleared once answered: the desk keeps no personal data, only the answer and its ledger record.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { errorText, QueryState } from "@/components/ui/query-state";
import { formatTime } from "@/lib/format";
import { idNumberProblem, normalizeIdNumber } from "@/lib/id-number";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import { IDCHECK_STRINGS, resultTone } from "./strings";

const SITE_KEY = "cl_idcheck_site";
type Photo = { mime: "image/jpeg" | "image/png" | "image/webp"; data: string; name: string };

function readPhoto(file: File): Promise<Photo> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve({ mime: file.type as Photo["mime"], data: String(r.result).replace(/^data:[^,]*,/, ""), name: file.name });
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

export function VerifyDesk() {
  const { locale, t } = useI18n();
  const s = IDCHECK_STRINGS[locale];
  const trpc = useTRPC();
  const qc = useQueryClient();
  const desk = useQuery(trpc.identity.desk.queryOptions());
  const mine = useQuery({ ...trpc.identity.mine.queryOptions({ limit: 10 }), refetchInterval: 15_000 });
  const verify = useMutation(trpc.identity.verify.mutationOptions({ onSuccess: () => void qc.invalidateQueries({ queryKey: trpc.identity.mine.queryKey() }) }));
  const photoCheck = useMutation(trpc.identity.photoCheck.mutationOptions());

  const [idNumber, setIdNumber] = useState("");
  const [name, setName] = useState("");
  const [purposeChoice, setPurposeChoice] = useState(s.purposes[0]);
  const [purposeOther, setPurposeOther] = useState("");
  const [site, setSite] = useState("");
  const [photo, setPhoto] = useState<Photo | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const saved = localStorage.getItem(SITE_KEY);
    const sites = desk.data?.sites ?? [];
    if (sites.length && !site) setSite(sites.some((x) => x.id === saved) ? saved! : sites[0].id);
  }, [desk.data, site]);

  const typed = normalizeIdNumber(idNumber);
  const problem = typed.length >= 18 ? idNumberProblem(typed) : null;
  const purpose = purposeChoice === s.other ? purposeOther.trim() : purposeChoice;
  const allowed = desk.data?.basis.ok ?? false;
  const ready = allowed && typed.length === 18 && !problem && name.trim() && purpose.length >= 4 && site;
  const answer = verify.data;

  function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!ready) return;
    localStorage.setItem(SITE_KEY, site);
    verify.mutate(
      { idNumber: typed, name: name.trim(), purpose, site, ...(photo ? { photo: { mime: photo.mime, data: photo.data } } : {}) },
      {
        onSuccess: () => {
          setIdNumber("");
          setName("");
          setPhoto(null);
          if (fileRef.current) fileRef.current.value = "";
        },
      },
    );
  }

  return (
    <QueryState isLoading={desk.isLoading} error={desk.error}>
      <div className="stack" style={{ gap: 12 }}>
        {desk.data && !desk.data.basis.ok ? (
          <div className="notice bad" role="alert" data-testid="idcheck-no-grant">
            <strong>{s.notAllowed}</strong> · {desk.data.basis.reason}
          </div>
        ) : null}

        {answer ? (
          <div className={`panel panel-body idcheck-answer tone-${resultTone(answer.result)}`} data-testid="idcheck-result" data-result={answer.result} role="status">
            <div className="idcheck-answer-head">{s.results[answer.result] ?? answer.result}</div>
            <div>{s.advice[answer.result]}</div>
            {answer.duplicate ? (
              <div className="notice bad" data-testid="idcheck-duplicate">
                {s.duplicate}
              </div>
            ) : null}
            {answer.alert ? <span className="badge bad">{s.alerted}</span> : null}
            <div className="panel-hint">
              {s.checkId} <span className="mono">{answer.check}</span> · {s.onLedger} #{answer.seq} · {formatTime(answer.time, locale)}
            </div>
            <button type="button" className="btn btn-ghost" onClick={() => verify.reset()} data-testid="idcheck-next">
              {s.next}
            </button>
          </div>
        ) : (
          <form className="panel panel-body stack" style={{ gap: 12 }} onSubmit={submit} data-testid="idcheck-form">
            <div className="field">
              <label htmlFor="idc-number">{s.idNumber}</label>
              <input
                id="idc-number"
                className="input idcheck-big mono"
                value={idNumber}
                onChange={(e) => setIdNumber(e.target.value)}
                placeholder={s.idPlaceholder}
                autoComplete="off"
                spellCheck={false}
                inputMode="text"
                maxLength={22}
                aria-invalid={!!problem}
                data-testid="idcheck-number"
              />
              {problem ? (
                <span className="field-error" data-testid="idcheck-number-problem">
                  {problem}
                </span>
              ) : typed.length === 18 ? (
                <span className="panel-hint">✓ {s.ok}</span>
              ) : null}
            </div>
            <div className="field">
              <label htmlFor="idc-name">{s.name}</label>
              <input id="idc-name" className="input idcheck-big" value={name} onChange={(e) => setName(e.target.value)} placeholder={s.namePlaceholder} autoComplete="off" maxLength={40} data-testid="idcheck-name" />
            </div>
            <div className="field">
              <label htmlFor="idc-purpose">{s.purpose}</label>
              <select id="idc-purpose" className="input" value={purposeChoice} onChange={(e) => setPurposeChoice(e.target.value)} data-testid="idcheck-purpose">
                {[...s.purposes, s.other].map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
              {purposeChoice === s.other ? <input className="input" value={purposeOther} onChange={(e) => setPurposeOther(e.target.value)} placeholder={s.purposeOther} maxLength={200} data-testid="idcheck-purpose-other" /> : null}
            </div>
            <div className="field">
              <label htmlFor="idc-site">{s.site}</label>
              <select id="idc-site" className="input" value={site} onChange={(e) => setSite(e.target.value)} data-testid="idcheck-site">
                {desk.data?.sites.map((x) => (
                  <option key={x.id} value={x.id}>
                    {locale === "en" ? x.nameEn : x.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="idc-photo">{s.photo}</label>
              <input
                id="idc-photo"
                ref={fileRef}
                type="file"
                accept="image/jpeg,image/png,image/webp"
                capture="environment"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  if (f) void readPhoto(f).then(setPhoto);
                  else setPhoto(null);
                }}
                data-testid="idcheck-photo"
              />
            </div>
            {verify.error ? (
              <div className="notice bad" role="alert" data-testid="idcheck-error">
                {errorText(verify.error, t)}
              </div>
            ) : null}
            <button type="submit" className="btn idcheck-submit" disabled={!ready || verify.isPending} data-testid="idcheck-submit">
              {verify.isPending ? s.checking : s.submit}
            </button>
          </form>
        )}

        <section className="panel" data-testid="idcheck-mine">
          <div className="panel-head">
            <h2>{s.mine}</h2>
          </div>
          <QueryState isLoading={mine.isLoading} error={mine.error}>
            {mine.data && !mine.data.checks.length ? <div className="empty">{s.noChecks}</div> : null}
            <ul className="list">
              {mine.data?.checks.map((c) => (
                <li key={c.id} data-check={c.id}>
                  <span className={`badge ${resultTone(c.result)}`}>{s.short[c.result] ?? c.result}</span>
                  <div className="grow">
                    <div className="ellipsis">{c.purpose}</div>
                    <div className="meta ellipsis">
                      {formatTime(c.time, locale)} · {c.site}
                      {c.duplicate ? ` · ⚠ ${s.short.duplicate ?? "!"}` : ""}
                    </div>
                    {photoCheck.variables?.check === c.id && photoCheck.data ? (
                      <div className={`meta ${photoCheck.data.stored === "unchanged" ? "" : "text-bad"}`} data-testid="idcheck-photo-status">
                        {photoCheck.data.stored === "unchanged" ? `✓ ${s.photoUnchanged}` : photoCheck.data.stored === "altered" ? `✗ ${s.photoAltered}` : s.photoMissing}
                      </div>
                    ) : null}
                  </div>
                  {c.photo ? (
                    <button type="button" className="btn btn-ghost btn-sm" onClick={() => photoCheck.mutate({ check: c.id })} disabled={photoCheck.isPending}>
                      {s.photoCheck}
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
          </QueryState>
        </section>
      </div>
    </QueryState>
  );
}
