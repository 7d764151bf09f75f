"use client";
/** Password sign-in: on success the server sets the session cookie and we go where the user was headed. */
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { errorText } from "@/components/ui/query-state";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";

export function LoginForm({ next }: { next: string }) {
  const trpc = useTRPC();
  const { t } = useI18n();
  const router = useRouter();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      onSuccess: () => {
        router.replace(next);
        router.refresh();
      },
    }),
  );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        signIn.mutate({ username, password });
      }}
    >
      <div className="field">
        <label htmlFor="username">{t.login.username}</label>
        <input id="username" name="username" className="input" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="password">{t.login.password}</label>
        <input id="password" name="password" type="password" className="input" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </div>
      {signIn.error ? (
        <div className="notice bad" role="alert" data-testid="login-error">
          {errorText(signIn.error, t)}
        </div>
      ) : null}
      <button type="submit" className="btn" disabled={signIn.isPending || signIn.isSuccess} style={{ width: "100%", minHeight: 38 }}>
        {signIn.isPending ? t.login.submitting : t.login.submit}
      </button>
      <p className="panel-hint" style={{ margin: 0 }}>
        {t.login.hint}
      </p>
    </form>
  );
}
