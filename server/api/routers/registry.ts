/**
 * Registries officials keep themselves: companies, vehicles and terminals, drivers, hazmat permits,
 * response units and the identity registry. One procedure set, keyed by registry: each procedure
 * declares (and the middleware enforces) the union of the registries' roles, then checks the named
 * registry's own access; the contracts check department and ownership again on the ledger.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { allows, REGISTRY_APP, type Access, type Role } from "../../../lib/access";
import { REGISTRIES, REGISTRY_KINDS, type RegistryKind } from "../../../lib/registries";
import { Cells } from "../../registry/cells";
import { commitRegistryImport, exportRegistry, previewRegistryImport } from "../../registry/import";
import { REGISTRY_IMPL } from "../../registry/registries";
import { txResult } from "../errors";
import { createTRPCRouter, permissionProcedure, type Context } from "../trpc";

const kind = z.enum(REGISTRY_KINDS);
const cells = z.record(z.string().regex(/^[a-z_]{1,30}$/), z.string().max(500)).refine((r) => Object.keys(r).length <= 30, { message: "too many fields" });
const reason = z.string().trim().max(300);
const csv = z.string().min(1, "文件为空 empty file").max(2_000_000, "文件过大 file above 2 MB");
const fileName = z.string().trim().min(1).max(200).default("import.csv");
const recordId = z.string().trim().min(1).max(80);

/** Everyone some registry admits (the procedure's declared access); the registry's own is checked inside. */
const union = (pick: (k: RegistryKind) => Access): Access => ({ roles: [...new Set(REGISTRY_KINDS.flatMap((k) => pick(k).roles))] as Role[] });
/** Seeing some registry: the app's departments (every registry's view lies within them). */
const VIEW_ANY = REGISTRY_APP;
const WRITE_ANY = union((k) => REGISTRIES[k].write);

function require(ctx: Context & { session: NonNullable<Context["session"]> }, k: RegistryKind, what: "view" | "write"): void {
  const access = REGISTRIES[k][what];
  if (!allows(access, ctx.session.user)) {
    throw new TRPCError({ code: "FORBIDDEN", message: `权限不足 Forbidden: ${REGISTRIES[k].zh} (${k}) ${what === "view" ? "is not shown to" : "cannot be changed by"} your role or department` });
  }
}


export const registryRouter = createTRPCRouter({
  /** Which registries this user may see and change (the page's tabs). */
  mine: permissionProcedure(VIEW_ANY).query(({ ctx }) =>
    REGISTRY_KINDS.filter((k) => allows(REGISTRIES[k].view, ctx.session.user)).map((k) => ({ kind: k, write: allows(REGISTRIES[k].write, ctx.session.user) })),
  ),

  list: permissionProcedure(VIEW_ANY)
    .input(z.object({ kind, q: z.string().trim().max(40).optional(), limit: z.number().int().min(1).max(1000).default(200) }))
    .query(async ({ ctx, input }) => {
      require(ctx, input.kind, "view");
      return REGISTRY_IMPL[input.kind].list(ctx.services.ledger, ctx.session.user, input.q || undefined, input.limit);
    }),

  /** One record from the form: the same row as a CSV line, through the registry's own contract. */
  create: permissionProcedure(WRITE_ANY)
    .input(z.object({ kind, row: cells }))
    .mutation(async ({ ctx, input }) => {
      require(ctx, input.kind, "write");
      const impl = REGISTRY_IMPL[input.kind];
      const [built] = await impl.build(ctx.services.ledger, [new Cells(input.row)]);
      if (built instanceof Error) throw built;
      return txResult(await ctx.services.ledger.submitAs(ctx.session.user, impl.type, built, `登记 ${REGISTRIES[input.kind].zh} register ${input.kind.replace(/s$/, "")}`));
    }),

  /** An action on a record (suspend, revoke, licence status, amend, crew, card status). */
  act: permissionProcedure(WRITE_ANY)
    .input(z.object({ kind, id: recordId, action: z.string().regex(/^[a-z_]{1,30}$/), fields: cells.default({}), reason }))
    .mutation(async ({ ctx, input }) => {
      require(ctx, input.kind, "write");
      const def = REGISTRIES[input.kind].actions.find((a) => a.id === input.action);
      if (!def) throw new TRPCError({ code: "BAD_REQUEST", message: `未知操作 unknown action ${input.action} for ${input.kind}` });
      if (def.reason && !input.reason) throw new TRPCError({ code: "BAD_REQUEST", message: "reason: 请填写原因 a reason is required" });
      const change = await REGISTRY_IMPL[input.kind].act(ctx.services.ledger, ctx.session.user, input.id, input.action, new Cells(input.fields), input.reason || def.zh);
      return txResult(await ctx.services.ledger.submitAs(ctx.session.user, change.type, change.payload, change.purpose));
    }),

  /** Judges a CSV file row by row; writes nothing. A mutation: the file (personal data) travels in the body. */
  preview: permissionProcedure(WRITE_ANY)
    .input(z.object({ kind, csv }))
    .mutation(async ({ ctx, input }) => {
      require(ctx, input.kind, "write");
      return previewRegistryImport(ctx.services.ledger, ctx.session.user, input.kind, input.csv);
    }),

  /** Imports a CSV file as one transaction when every row is valid; otherwise nothing, with the faults. */
  import: permissionProcedure(WRITE_ANY)
    .input(z.object({ kind, csv, fileName }))
    .mutation(async ({ ctx, input }) => {
      require(ctx, input.kind, "write");
      return commitRegistryImport(ctx.services.ledger, ctx.session.user, input.kind, input.csv, input.fileName);
    }),

  /** The registry as CSV (what this reader may see; sealed fields never). */
  export: permissionProcedure(VIEW_ANY)
    .input(z.object({ kind }))
    .mutation(async ({ ctx, input }) => {
      require(ctx, input.kind, "view");
      return exportRegistry(ctx.services.ledger, ctx.session.user, input.kind);
    }),
});
