import type { Metadata } from "next";
import { VEHICLE_STRINGS } from "@/components/vehicles/strings";
import { VehiclesConsole } from "@/components/vehicles/vehicles-console";
import { allows, SUPERVISION_DEFINE, SUPERVISION_VIEW, SUPERVISION_WORK } from "@/lib/access";
import { getDictionary } from "@/lib/i18n/server";
import { requireAccess } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "车辆监管 Vehicle supervision" };

export default async function VehiclesPage() {
  const user = await requireAccess(SUPERVISION_VIEW, "/vehicles");
  const { locale } = await getDictionary();
  const s = VEHICLE_STRINGS[locale];
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{s.title}</h1>
          <p>{s.subtitle}</p>
        </div>
      </div>
      <VehiclesConsole canAct={allows(SUPERVISION_WORK, user)} canDefine={allows(SUPERVISION_DEFINE, user)} />
    </>
  );
}
