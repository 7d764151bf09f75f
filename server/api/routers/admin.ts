/**
 * Departments and users. Every change is a ledger transaction submitted as the signed-in admin and
 * signed with their department's key; the contracts have the last word (a department admin acts only
 * within their own department and on lower roles).
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { ACCOUNT_STATUSES, DEPT_KINDS } from "../../../chain/contracts/enums";
import { ADMIN, SYS_ADMIN } from "../../../lib/access";
import { newCredential } from "../../auth/credential-seal";
import { deleteUserSessions } from "../../auth/sessions";
import { listDepartments, listUsers, subtreeIds } from "../../ledger/directory";
import { bureau, clearance, displayName, password, recordId, role } from "../inputs";
import { txResult } from "../errors";
import { createTRPCRouter, permissionProcedure } from "../trpc";


export const adminRouter = createTRPCRouter({
  departments: permissionProcedure(ADMIN).query(({ ctx }) => listDepartments(ctx.services.ledger.node.store)),

  users: permissionProcedure(ADMIN).query(async ({ ctx }) => {
    const store = ctx.services.ledger.node.store;
    const [users, depts] = await Promise.all([listUsers(store), listDepartments(store)]);
    const me = ctx.session.user;
    if (me.role === "sys_admin") return users;
    const scope = subtreeIds(depts, me.dept);
    return users.filter((u) => scope.has(u.dept));
  }),

  createDepartment: permissionProcedure(SYS_ADMIN)
    .input(
      z
        .object({ id: recordId, parent: recordId, name: displayName, nameEn: displayName, kind: z.enum(DEPT_KINDS).exclude(["city"]), bureau: bureau.optional() })
        .refine((d) => (d.kind === "bureau") === (d.bureau !== undefined), { message: "职能局须选择类别 a bureau needs its bureau type", path: ["bureau"] }),
    )
    .mutation(async ({ ctx, input }) => {
      const { ledger } = ctx.services;
      const me = ctx.session.user;
      const created = await ledger.submitAs(me, "dept.create", input, "新建部门 create department");
      // The new department signs its own transactions from now on: give it a key at once.
      const key = await ledger.registerDeptKey(me, input.id);
      return { ...txResult(created), keyTx: txResult(key) };
    }),

  updateDepartment: permissionProcedure(SYS_ADMIN)
    .input(z.object({ id: recordId, name: displayName.optional(), nameEn: displayName.optional(), status: z.enum(ACCOUNT_STATUSES).optional() }))
    .mutation(async ({ ctx, input }) => {
      if (input.name === undefined && input.nameEn === undefined && input.status === undefined) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "没有需要修改的内容 nothing to change" });
      }
      return txResult(await ctx.services.ledger.submitAs(ctx.session.user, "dept.update", input, "修改部门 update department"));
    }),

  createUser: permissionProcedure(ADMIN)
    .input(z.object({ id: recordId, dept: recordId, name: displayName, role, clearance, password }))
    .mutation(async ({ ctx, input }) => {
      const me = ctx.session.user;
      if (me.role !== "sys_admin" && input.dept !== me.dept) {
        throw new TRPCError({ code: "FORBIDDEN", message: `部门管理员只能在本部门创建用户 a department admin creates users only in ${me.dept}` });
      }
      const { password: pw, ...rest } = input;
      const credential = await newCredential(ctx.services.ledger.keystore, rest.id, pw);
      return txResult(await ctx.services.ledger.submitAs(me, "user.create", { ...rest, credential }, "新建用户 create user"));
    }),

  updateUser: permissionProcedure(ADMIN)
    .input(
      z.object({
        id: recordId,
        name: displayName.optional(),
        role: role.optional(),
        clearance: clearance.optional(),
        status: z.enum(ACCOUNT_STATUSES).optional(),
        password: password.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { password: pw, ...rest } = input;
      if (Object.values(input).filter((v) => v !== undefined).length < 2) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "没有需要修改的内容 nothing to change" });
      }
      const payload: Record<string, unknown> = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
      if (pw) payload.credential = await newCredential(ctx.services.ledger.keystore, input.id, pw);
      const { ledger } = ctx.services;
      const res = await ledger.submitAs(ctx.session.user, "user.update", payload, "修改用户 update user");
      if (input.status === "disabled" || pw) await deleteUserSessions(ledger.db, input.id);
      return txResult(res);
    }),
});
