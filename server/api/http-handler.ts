/** tRPC over fetch for given services: the request guard, the batch limit, and a log without inputs. */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { guardTrpcRequest, MAX_BATCH } from "./request-guard";
import { appRouter } from "./root";
import { createContext, type Services } from "./trpc";

export async function handleTrpc(req: Request, services: Services): Promise<Response> {
  const refused = guardTrpcRequest(req, services.appOrigins);
  if (refused) return refused;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    maxBatchSize: MAX_BATCH,
    // Queries travel as POST too: their inputs stay out of URLs and logs.
    allowMethodOverride: true,
    createContext: ({ resHeaders }) => createContext({ services, headers: req.headers, resHeaders, url: req.url }),
    onError({ error, path }) {
      // The path and the error only: inputs (ID numbers, names, search terms) never reach the log.
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path}: ${error.cause instanceof Error ? error.cause.message : error.message}`);
    },
  });
}
