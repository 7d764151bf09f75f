"use client";
/** The vehicle supervision page: alarms, registry, geofences and ride-hailing compliance in tabs. */
import { useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { AlarmInbox } from "./alarm-inbox";
import { ComplianceTable } from "./compliance-table";
import { GeofenceTable } from "./geofence-table";
import { VEHICLE_STRINGS } from "./strings";
import { VehicleTable } from "./vehicle-table";

type Tab = "alarms" | "vehicles" | "geofences" | "compliance";

export function VehiclesConsole({ canAct, canDefine }: { canAct: boolean; canDefine: boolean }) {
  const { locale } = useI18n();
  const s = VEHICLE_STRINGS[locale];
  const [tab, setTab] = useState<Tab>("alarms");
  return (
    <>
      <div className="tabs" role="tablist">
        {(Object.keys(s.tabs) as Tab[]).map((k) => (
          <button key={k} type="button" role="tab" className="tab" aria-selected={tab === k} onClick={() => setTab(k)} data-testid={`tab-${k}`}>
            {s.tabs[k]}
          </button>
        ))}
      </div>
      {tab === "alarms" ? <AlarmInbox canAct={canAct} /> : tab === "vehicles" ? <VehicleTable /> : tab === "geofences" ? <GeofenceTable canDefine={canDefine} /> : <ComplianceTable />}
    </>
  );
}
