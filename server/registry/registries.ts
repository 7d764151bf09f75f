/**
 * Each registry as the server keeps it: how a row (form or CSV) becomes its contract's payload
 * (personal fields sealed here, never sent on in clear), how a record reads back as a row (list and
 * export: only fields the reader may see, sealed ones never), and how an action on a record becomes
 * its contract's transaction. The contracts decide; this only translates.
 */
import { REGISTRY as IDENTITY_REGISTRY, type CardStatus } from "../../chain/contracts/identity";
import { cstMinute } from "../../chain/contracts/cst";
import { CARD_STATUSES, LICENCE_STATUSES } from "../../chain/contracts/enums";
import type { ImportableType } from "../../chain/contracts/import";
import type { Role } from "../../chain/contracts/types";
import { REGISTRIES, type RegistryKind } from "../../lib/registries";
import { NotFoundError } from "../errors";
import type { PortalLedger } from "../ledger/portal-ledger";
import { personPayloads } from "../identity/registry";
import { guardRead, listView } from "../sharing/guard";
import { driverPayload, driverSealer } from "../vehicles/drivers";
import { authorityLineFor, withAuthority } from "../vehicles/authority";
import { Cells } from "./cells";

export interface Official {
  id: string;
  dept: string;
  role: Role;
  clearance: number;
}

export interface Change {
  type: string;
  payload: Record<string, unknown>;
  purpose: string;
}

interface Registry {
  type: ImportableType;
  /** Payloads of rows, in order; a row that cannot be built is an Error (RowFaults names its cells). */
  build(ledger: PortalLedger, rows: Cells[]): Promise<(Record<string, unknown> | Error)[]>;
  /** Records as rows of the registry's columns (list and export). */
  list(ledger: PortalLedger, me: Official, q: string | undefined, limit: number): Promise<Record<string, unknown>[]>;
  /** The transaction of an action on a record. */
  act(ledger: PortalLedger, me: Official, id: string, action: string, cells: Cells, reason: string): Promise<Change>;
}

/** Builds each row independently, so one row's fault does not hide another's. */
const each = async (rows: Cells[], fn: (c: Cells) => Record<string, unknown> | Promise<Record<string, unknown>>) =>
  Promise.all(rows.map(async (c) => {
    try {
      return await fn(c);
    } catch (e) {
      return e as Error;
    }
  }));
const drop = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== "")) as T;

async function record<T>(ledger: PortalLedger, ns: string, key: string, what: string): Promise<T & { registered?: { dept?: string } }> {
  const r = await ledger.node.store.record<T & { registered?: { dept?: string } }>(ns, key);
  if (!r) throw new NotFoundError(`未知${what} unknown ${what} ${key}`);
  return r.value;
}

/** Ledger records of a namespace, filtered by key substring (plates, ids). */
async function rowsOf<T>(ledger: PortalLedger, ns: string, q: string | undefined, limit: number, prefix = ""): Promise<{ key: string; value: T }[]> {
  const { rows } = await ledger.db.query<{ key: string; value: T }>(
    `SELECT key, value FROM state_records WHERE ns = $1 AND key LIKE $2 AND ($3::text IS NULL OR key ILIKE '%' || $3 || '%' OR value->>'name' ILIKE '%' || $3 || '%') ORDER BY key LIMIT $4`,
    [ns, `${prefix}%`, q ?? null, limit],
  );
  return rows;
}

const companies: Registry = {
  type: "company.register",
  build: (_l, rows) => each(rows, (c) => c.done({ id: c.req("id"), name: c.req("name"), kind: c.req("kind"), ingestKey: c.req("ingest_key").toLowerCase() })),
  async list(ledger, _me, q, limit) {
    return (await rowsOf<Record<string, string> & { registered?: { dept: string } }>(ledger, "company", q, limit)).map(({ value: v }) => ({
      id: v.id,
      name: v.name,
      kind: v.kind,
      ingest_key: v.ingestKey,
      status: v.status,
      registered_dept: v.registered?.dept ?? "",
    }));
  },
  async act(ledger, me, id, action, cells, reason) {
    const co = await record<{ status: string }>(ledger, "company", id, "企业 company");
    const line = await authorityLineFor(ledger, me, co.registered?.dept ?? "");
    const change =
      action === "rotate_key"
        ? { ingestKey: cells.req("ingest_key").toLowerCase() }
        : { status: ({ suspend: "suspended", reinstate: "active", revoke: "revoked" } as Record<string, string>)[action] };
    return { type: "company.update", payload: withAuthority(cells.done({ id, ...change, reason }), line), purpose: `企业登记变更 company ${action}: ${reason}` };
  },
};

const vehicles: Registry = {
  type: "vehicle.register",
  build: (_l, rows) =>
    each(rows, (c) =>
      c.done(
        drop({
          plate: c.req("plate"),
          cls: c.req("cls"),
          company: c.req("company"),
          terminal: c.req("terminal"),
          licence: drop({ no: c.req("licence_no"), status: c.oneOf("licence_status", LICENCE_STATUSES, "valid"), expires: c.date("licence_expires") }),
          vin: c.opt("vin")?.toUpperCase(),
          odometerKm: c.number("odometer_km"),
        }),
      ),
    ),
  async list(ledger, me, q, limit) {
    const g = await guardRead(ledger, me, "vehicles");
    return (await rowsOf<Record<string, unknown>>(ledger, "vehicle", q, limit)).flatMap(({ key, value }) => {
      const v = listView(value, g) as (Record<string, unknown> & { licence?: { no?: string; status?: string; expires?: string }; registered?: { dept: string } }) | null;
      if (!v) return [];
      // The VIN is sensitive: revealed one record at a time in the explorer, not in lists.
      return { plate: key, cls: v.cls, company: v.company, terminal: v.terminal, licence_no: v.licence?.no, licence_status: v.licence?.status, licence_expires: v.licence?.expires, odometer_km: v.odometerKm, registered_dept: v.registered?.dept ?? "" };
    });
  },
  async act(ledger, me, plate, _action, cells, reason) {
    const v = await record<{ licence: { no: string; status: string; expires?: string } }>(ledger, "vehicle", plate, "车辆 vehicle");
    const line = await authorityLineFor(ledger, me, v.registered?.dept ?? "");
    const licence = drop({ no: v.licence.no, status: cells.oneOf("licence_status", LICENCE_STATUSES), expires: cells.date("licence_expires") ?? v.licence.expires });
    return { type: "vehicle.update", payload: withAuthority(cells.done({ plate, licence }), line), purpose: `道路运输证变更 vehicle licence ${licence.status}: ${reason}` };
  },
};

const drivers: Registry = {
  type: "driver.register",
  async build(ledger, rows) {
    const seal = driverSealer(ledger);
    return each(rows, async (c) => {
      const d = c.done({
        id: c.req("id"),
        name: c.req("name"),
        company: c.req("company"),
        licence: drop({ no: c.req("licence_no"), status: c.oneOf("licence_status", LICENCE_STATUSES, "valid"), expires: c.date("licence_expires") }) as { no: string; status: (typeof LICENCE_STATUSES)[number]; expires?: string },
        vehicles: c.list("vehicles"),
      });
      return driverPayload(seal, d);
    });
  },
  async list(ledger, me, q, limit) {
    const g = await guardRead(ledger, me, "drivers");
    return (await rowsOf<Record<string, unknown>>(ledger, "driver", q, limit)).flatMap(({ key, value }) => {
      const d = listView(value, g) as (Record<string, unknown> & { licence?: { status?: string; expires?: string }; vehicles?: string[]; registered?: { dept: string } }) | null;
      if (!d) return [];
      // Name and licence number are sealed: never listed or exported.
      return { id: key, company: d.company, licence_status: d.licence?.status, licence_expires: d.licence?.expires, vehicles: (d.vehicles ?? []).join(";"), registered_dept: d.registered?.dept ?? "" };
    });
  },
  async act(ledger, me, id, action, cells, reason) {
    const d = await record<{ licence: { status: string; expires?: string } }>(ledger, "driver", id, "驾驶员 driver");
    const line = await authorityLineFor(ledger, me, d.registered?.dept ?? "");
    const change =
      action === "vehicles" ? { vehicles: cells.list("vehicles") } : { licence: drop({ status: cells.oneOf("licence_status", LICENCE_STATUSES), expires: cells.date("licence_expires") ?? d.licence.expires }) };
    return { type: "driver.update", payload: withAuthority(cells.done({ id, ...change }), line), purpose: `驾驶员登记变更 driver ${action}: ${reason}` };
  },
};

const permits: Registry = {
  type: "hazmat.permit",
  build: (_l, rows) =>
    each(rows, (c) => c.done({ id: c.req("id"), plate: c.req("plate"), cargoClass: c.req("cargo_class"), cargo: c.req("cargo"), corridor: c.req("corridor"), from: c.time("from", true), to: c.time("to", true) })),
  async list(ledger, me, q, limit) {
    const g = await guardRead(ledger, me, "hazmat.permits");
    return (await rowsOf<Record<string, unknown>>(ledger, "permit", q, limit)).flatMap(({ key, value }) => {
      const p = listView(value, g) as (Record<string, unknown> & { approved?: { dept: string } }) | null;
      if (!p) return [];
      return { id: key, plate: p.plate, cargo_class: p.cargoClass, cargo: p.cargo, corridor: p.corridor, from: cst(p.from), to: cst(p.to), status: p.status, approved_dept: p.approved?.dept ?? "" };
    });
  },
  async act(ledger, me, id, action, cells, reason) {
    const p = await record<{ approved?: { dept?: string } }>(ledger, "permit", id, "许可 permit");
    const line = await authorityLineFor(ledger, me, p.approved?.dept ?? "");
    if (action === "revoke") return { type: "hazmat.permit.revoke", payload: withAuthority({ id, reason }, line), purpose: `撤销危化品运输许可 revoke permit: ${reason}` };
    const change = drop({ corridor: cells.opt("corridor"), cargo: cells.opt("cargo"), from: cells.time("from"), to: cells.time("to") });
    return { type: "hazmat.permit.amend", payload: withAuthority(cells.done({ id, ...change, reason }), line), purpose: `变更危化品运输许可 amend permit: ${reason}` };
  },
};

/** A time as officials write it, China Standard Time (what import reads back). */
const cst = (ms: unknown): string => (typeof ms === "number" ? cstMinute(ms) : "");

const units: Registry = {
  type: "unit.register",
  build: (_l, rows) =>
    each(rows, (c) =>
      c.done(
        drop({
          id: c.req("id"),
          name: c.req("name"),
          kind: c.req("kind"),
          station: { name: c.req("station_name"), lon: c.number("lon", true), lat: c.number("lat", true) },
          capabilities: c.list("capabilities"),
          plate: c.opt("plate"),
          crew: c.list("crew").length ? c.list("crew") : undefined,
        }),
      ),
    ),
  async list(ledger, _me, q, limit) {
    return (await rowsOf<Record<string, unknown> & { station: { name: string; lon: number; lat: number }; capabilities: string[]; crew?: string[] }>(ledger, "unit", q, limit)).map(({ key, value: u }) => ({
      id: key,
      name: u.name,
      kind: u.kind,
      station_name: u.station.name,
      lon: u.station.lon,
      lat: u.station.lat,
      capabilities: u.capabilities.join(";"),
      plate: u.plate ?? "",
      crew: (u.crew ?? []).join(";"),
      status: u.status,
      dept: u.dept,
    }));
  },
  async act(_ledger, _me, id, _action, cells) {
    return { type: "unit.crew", payload: cells.done({ unit: id, crew: cells.list("crew") }), purpose: "应急单元乘员变更 unit crew" };
  },
};

const people: Registry = {
  type: "identity.enrol",
  async build(ledger, rows) {
    const people = rows.map((c) => {
      try {
        const key = c.req("key");
        return c.done({
          key,
          attrs: { personId: key, cardStatus: c.oneOf("card_status", CARD_STATUSES, "valid"), cardIssued: c.date("card_issued", true)!, cardExpires: c.date("card_expires", true)!, authority: c.req("authority"), district: c.req("district") },
          sealed: drop({ name: c.req("name"), idNumber: c.req("id_number"), address: c.opt("address") }) as Record<string, string>,
        });
      } catch (e) {
        return e as Error;
      }
    });
    const ok = people.filter((p): p is Exclude<typeof p, Error> => !(p instanceof Error));
    const sealed = await personPayloads(ledger, ok);
    let i = 0;
    return people.map((p) => (p instanceof Error ? p : sealed[i++]));
  },
  async list(ledger, me, q, limit) {
    const g = await guardRead(ledger, me, IDENTITY_REGISTRY);
    const rows = await rowsOf<{ key: string; attrs: Record<string, unknown> }>(ledger, "dsrec", q, limit, `${IDENTITY_REGISTRY}/`);
    // Card attributes only, the sensitive ones masked: names, numbers and addresses stay sealed; a row-limited grant sees its rows.
    return rows.flatMap(({ value }) => {
      const a = listView(value.attrs, g);
      if (!a) return [];
      return { key: value.key, card_status: a.cardStatus, card_issued: a.cardIssued, card_expires: a.cardExpires, authority: a.authority, district: a.district };
    });
  },
  async act(_ledger, _me, record, _action, cells, reason) {
    const payload = cells.done(drop({ record, status: cells.oneOf("card_status", CARD_STATUSES) as CardStatus, cardExpires: cells.date("card_expires"), note: reason }));
    return { type: "identity.status", payload, purpose: `证件状态变更 card status change: ${reason}`.slice(0, 500) };
  },
};

export const REGISTRY_IMPL: Record<RegistryKind, Registry> = { companies, vehicles, drivers, permits, units, people };

/** Column ids of a registry's list and export, in order. */
export const exportColumns = (kind: RegistryKind) => [...REGISTRIES[kind].columns.filter((c) => !c.sealed), ...REGISTRIES[kind].listColumns].map((c) => c.id);
