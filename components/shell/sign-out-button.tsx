"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";

export function SignOutButton() {
  const trpc = useTRPC();
  const { t } = useI18n();
  const router = useRouter();
  const queryClient = useQueryClient();
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSettled: () => {
        queryClient.clear();
        router.replace("/login");
        router.refresh();
      },
    }),
  );
  return (
    <button type="button" className="btn btn-ghost btn-sm" disabled={signOut.isPending} onClick={() => signOut.mutate()} data-testid="sign-out">
      {t.common.signOut}
    </button>
  );
}
