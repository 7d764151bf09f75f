import { join } from "node:path";
import type { NextConfig } from "next";

const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

/** Next hydrates with inline scripts, so scripts need 'unsafe-inline'; everything else is same-origin only. */
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${process.env.NODE_ENV === "production" ? "" : " 'unsafe-eval'"}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");
securityHeaders.push({ key: "Content-Security-Policy", value: csp });

const nextConfig: NextConfig = {
  // forbidden() and app/forbidden.tsx: a real 403 page for pages a role may not open.
  experimental: { authInterrupts: true },
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  outputFileTracingExcludes: { "*": [".data/**/*"] },
  poweredByHeader: false,
  turbopack: {
    rules: {
      // chain/ imports "./x.js" for "./x.ts" (Node ESM style); see the loader.
      "*.ts": {
        condition: { all: [{ not: "foreign" }, { path: /^chain\// }] },
        loaders: [join(process.cwd(), "lib/build/strip-js-specifiers-loader.cjs")],
        as: "*.ts",
      },
    },
  },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
