/**
 * Passes the requested path to server components (header x-cityledger-path), so a page that needs
 * sign-in sends the user back to where they were going. No auth decisions here: pages and tRPC
 * procedures check the session themselves.
 */
import { NextResponse, type NextRequest } from "next/server";

export const PATH_HEADER = "x-cityledger-path";

export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!api/|_next/|favicon.ico).*)"],
};
