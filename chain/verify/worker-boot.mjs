// Entry of the auditor's worker thread when chain/ runs from its TypeScript sources (tsx, vitest):
// a new thread has no loader, so register tsx here before loading the worker.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
