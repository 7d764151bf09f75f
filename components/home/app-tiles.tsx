/** App tiles by role: built apps link, the rest show as coming soon. */
import Link from "next/link";
import type { PortalApp } from "@/lib/apps";
import type { Dictionary } from "@/lib/i18n/dictionaries";

export function AppTiles({ apps, t }: { apps: PortalApp[]; t: Dictionary }) {
  return (
    <div className="tiles" data-testid="app-tiles">
      {apps.map((app) => {
        const label = t.apps[app.id];
        const body = (
          <>
            <span className="tile-glyph" aria-hidden>
              {app.glyph}
            </span>
            <span style={{ minWidth: 0 }}>
              <div className="tile-name">{label.name}</div>
              <div className="tile-desc">{label.desc}</div>
              {app.ready ? null : <span className="badge outline tile-badge">{t.home.comingSoon}</span>}
            </span>
          </>
        );
        return app.ready ? (
          <Link key={app.id} href={app.href} className="tile" data-testid={`app-${app.id}`}>
            {body}
          </Link>
        ) : (
          <div key={app.id} className="tile soon" aria-disabled="true" data-testid={`app-${app.id}`} title={t.home.comingSoon}>
            {body}
          </div>
        );
      })}
    </div>
  );
}
