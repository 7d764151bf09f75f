/** The app's tRPC router: only composes the domain routers. */
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { adminRouter } from "./routers/admin";
import { authRouter } from "./routers/auth";
import { bigscreenRouter } from "./routers/bigscreen";
import { dispatchRouter } from "./routers/dispatch";
import { explorerRouter } from "./routers/explorer";
import { identityRouter } from "./routers/identity";
import { nodesRouter } from "./routers/nodes";
import { portalRouter } from "./routers/portal";
import { registryRouter } from "./routers/registry";
import { sharingRouter } from "./routers/sharing";
import { alarmsRouter, geofencesRouter, ridehailRouter, vehiclesRouter } from "./routers/vehicles";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  portal: portalRouter,
  admin: adminRouter,
  explorer: explorerRouter,
  bigscreen: bigscreenRouter,
  vehicles: vehiclesRouter,
  alarms: alarmsRouter,
  geofences: geofencesRouter,
  ridehail: ridehailRouter,
  sharing: sharingRouter,
  dispatch: dispatchRouter,
  identity: identityRouter,
  registry: registryRouter,
  nodes: nodesRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export const createCaller = createCallerFactory(appRouter);
