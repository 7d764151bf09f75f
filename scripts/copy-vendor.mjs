// Copies browser files that must be served from the app's own origin (the map works offline) into
// public/vendor/ (gitignored). Runs at postinstall and from scripts/setup.mjs.
//   maplibre-gl-worker.mjs — maplibre's worker: it does not load from the Next bundle, so the map
//   component points maplibre at /vendor/maplibre-gl-worker.mjs (setWorkerUrl).
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { basename, join } from "node:path";

const OUT = join("public", "vendor");
const FILES = ["node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs"];

mkdirSync(OUT, { recursive: true });
let missing = 0;
for (const src of FILES) {
  if (!existsSync(src)) {
    console.warn(`vendor: ${src} not found (run npm install)`);
    missing++;
    continue;
  }
  copyFileSync(src, join(OUT, basename(src)));
}
console.log(`vendor: ${FILES.length - missing} file(s) copied to ${OUT}`);
if (missing) process.exitCode = 1;
