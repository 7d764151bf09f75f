/** Sign-in, sign-out and the current session. */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { sessionCookie } from "../../auth/cookies";
import { openCredential } from "../../auth/credential-seal";
import { DUMMY_CREDENTIAL, verifyPassword } from "../../auth/password";
import { deviceCookie } from "../../auth/sign-in-throttle";
import { createSession, deleteSession, purgeExpiredSessions, SESSION_MAX_MS } from "../../auth/sessions";
import { getDepartment, getUser } from "../../ledger/directory";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";

export const authRouter = createTRPCRouter({
  me: publicProcedure.query(({ ctx }) => ctx.session?.user ?? null),

  signIn: publicProcedure
    .input(z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const { ledger, limiter } = ctx.services;
      const attempt = { username: input.username, ip: ctx.ip, device: ctx.device };
      const verdict = limiter.check(attempt);
      if (!verdict.allowed) {
        const seconds = Math.ceil(verdict.retryAfterMs / 1000);
        throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `登录失败次数过多，请在 ${seconds} 秒后重试 Too many failed sign-ins; retry in ${seconds} s` });
      }
      const user = await getUser(ledger.node.store, input.username.trim());
      const ok = await verifyPassword(input.password, (user && openCredential(ledger.keystore, user.id, user.credential)) ?? DUMMY_CREDENTIAL);
      if (!user || !ok) {
        limiter.fail(attempt);
        throw new TRPCError({ code: "UNAUTHORIZED", message: "用户名或密码错误 Wrong username or password" });
      }
      const dept = await getDepartment(ledger.node.store, user.dept);
      if (user.status !== "active" || dept?.status !== "active") {
        throw new TRPCError({ code: "FORBIDDEN", message: "账号已停用 This account is disabled" });
      }
      limiter.succeed(attempt);
      // This browser is now known for the account: its failures are its own from here on.
      if (!limiter.deviceOf(user.id, ctx.device)) ctx.resHeaders.append("Set-Cookie", deviceCookie(limiter.issueDevice(user.id), { secure: ctx.secure }));
      await purgeExpiredSessions(ledger.db);
      const { token } = await createSession(ledger.db, user.id, { ip: ctx.ip, userAgent: ctx.userAgent });
      ctx.resHeaders.append("Set-Cookie", sessionCookie(token, { secure: ctx.secure, maxAgeSec: SESSION_MAX_MS / 1000 }));
      return { id: user.id, name: user.name, role: user.role };
    }),

  signOut: protectedProcedure.mutation(async ({ ctx }) => {
    await deleteSession(ctx.services.ledger.db, ctx.session.token);
    ctx.resHeaders.append("Set-Cookie", sessionCookie("", { secure: ctx.secure, maxAgeSec: 0 }));
    return { ok: true };
  }),
});
