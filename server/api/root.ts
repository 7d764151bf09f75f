/** The app's tRPC router: only composes the domain routers. */
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { adminRouter } from "./routers/admin";
import { alarmsRouter } from "./routers/alarms";
import { authRouter } from "./routers/auth";
import { bigscreenRouter } from "./routers/bigscreen";
import { dispatchActsRouter } from "./routers/dispatch-acts";
import { dispatchReadsRouter } from "./routers/dispatch-reads";
import { explorerRouter } from "./routers/explorer";
import { explorerRevealRouter } from "./routers/explorer-reveal";
import { geofencesRouter } from "./routers/geofences";
import { identityDeskRouter } from "./routers/identity-desk";
import { identityReviewRouter } from "./routers/identity-review";
import { nodesRouter } from "./routers/nodes";
import { portalRouter } from "./routers/portal";
import { registryRouter } from "./routers/registry";
import { ridehailRouter } from "./routers/ridehail";
import { sharingAccessRouter } from "./routers/sharing-access";
import { sharingCatalogueRouter } from "./routers/sharing-catalogue";
import { sharingReadRouter } from "./routers/sharing-read";
import { vehiclesRouter } from "./routers/vehicles";
import { createCallerFactory, createTRPCRouter, mergeTRPCRouters } from "./trpc";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  portal: portalRouter,
  admin: adminRouter,
  explorer: mergeTRPCRouters(explorerRouter, explorerRevealRouter),
  bigscreen: bigscreenRouter,
  vehicles: vehiclesRouter,
  alarms: alarmsRouter,
  geofences: geofencesRouter,
  ridehail: ridehailRouter,
  sharing: mergeTRPCRouters(sharingCatalogueRouter, sharingReadRouter, sharingAccessRouter),
  dispatch: mergeTRPCRouters(dispatchReadsRouter, dispatchActsRouter),
  identity: mergeTRPCRouters(identityDeskRouter, identityReviewRouter),
  registry: registryRouter,
  nodes: nodesRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export const createCaller = createCallerFactory(appRouter);
