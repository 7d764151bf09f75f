/** The portal's app catalogue (统一平台入口): which apps exist, who sees them, and which are built. */
import { ADMIN, ALL_ROLES, BIGSCREEN, DISPATCH_VIEW, EXPLORER, IDCHECK_USE, REGISTRY_APP, SUPERVISION_VIEW, allows, type Access, type AccessSubject } from "./access";

export type AppId = "explorer" | "admin" | "bigscreen" | "vehicles" | "idcheck" | "dispatch" | "sharing" | "registry";

export interface PortalApp {
  id: AppId;
  href: string;
  /** Built and usable now; the others show as "coming soon". */
  ready: boolean;
  access: Access;
  /** Two-letter glyph shown on the tile. */
  glyph: string;
}

export const APPS: readonly PortalApp[] = [
  { id: "bigscreen", href: "/bigscreen", ready: true, glyph: "屏", access: BIGSCREEN },
  { id: "vehicles", href: "/vehicles", ready: true, glyph: "车", access: SUPERVISION_VIEW },
  { id: "idcheck", href: "/idcheck", ready: true, glyph: "证", access: IDCHECK_USE },
  { id: "dispatch", href: "/dispatch", ready: true, glyph: "调", access: DISPATCH_VIEW },
  { id: "registry", href: "/registry", ready: true, glyph: "登", access: REGISTRY_APP },
  { id: "sharing", href: "/catalogue", ready: true, glyph: "享", access: { roles: ALL_ROLES } },
  { id: "explorer", href: "/explorer", ready: true, glyph: "链", access: EXPLORER },
  { id: "admin", href: "/admin", ready: true, glyph: "管", access: ADMIN },
];

export function appsFor(who: AccessSubject): PortalApp[] {
  return APPS.filter((a) => allows(a.access, who));
}
