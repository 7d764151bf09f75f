import type { Metadata } from "next";
import { RegistryConsole } from "@/components/registry/registry-console";
import { REGISTRY_STRINGS } from "@/components/registry/strings";
import { REGISTRY_APP } from "@/lib/access";
import { getDictionary } from "@/lib/i18n/server";
import { requireAccess } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "登记管理 Registries" };

export default async function RegistryPage() {
  await requireAccess(REGISTRY_APP, "/registry");
  const { locale } = await getDictionary();
  const s = REGISTRY_STRINGS[locale];
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{s.title}</h1>
          <p>{s.subtitle}</p>
        </div>
      </div>
      <RegistryConsole />
    </>
  );
}
