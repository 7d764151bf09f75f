import type { Metadata } from "next";
import Link from "next/link";
import { VEHICLE_STRINGS } from "@/components/vehicles/strings";
import { TrackReplay } from "@/components/vehicles/track-replay";
import { SUPERVISION_VIEW } from "@/lib/access";
import { getDictionary } from "@/lib/i18n/server";
import { requireAccess } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "轨迹回放 Track replay" };

export default async function VehiclePage({ params, searchParams }: { params: Promise<{ plate: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { plate: raw } = await params;
  const plate = decodeURIComponent(raw);
  const sp = await searchParams;
  await requireAccess(SUPERVISION_VIEW, `/vehicles/${raw}`);
  const { locale } = await getDictionary();
  const s = VEHICLE_STRINGS[locale];
  const at = typeof sp.at === "string" && /^\d+$/.test(sp.at) ? Number(sp.at) : undefined;
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href="/vehicles">{s.title}</Link> /
          </div>
          <h1>
            {plate} · {s.replay.title}
          </h1>
        </div>
      </div>
      <TrackReplay plate={plate} at={at} />
    </>
  );
}
