/** tRPC over fetch at /api/trpc (see server/api/http-handler.ts). */
import { handleTrpc } from "@/server/api/http-handler";
import { getServices } from "@/server/services";

export const dynamic = "force-dynamic";

async function handler(req: Request): Promise<Response> {
  return handleTrpc(req, await getServices());
}

export { handler as GET, handler as POST };
