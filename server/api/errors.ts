/**
 * The one table from domain errors (server/errors.ts) and ledger refusals (TxRejectedError) to tRPC
 * codes. Every procedure passes through `mapDomainErrors` (server/api/trpc.ts), so domain modules
 * throw their own errors and no router maps them by hand.
 */
import { TRPCError } from "@trpc/server";
import { TxRejectedError } from "../../chain/contracts/types";
import { AccessDeniedError, ConflictError, InvalidInputError, NotFoundError, RateLimitedError, UnavailableError } from "../errors";

type Code = TRPCError["code"];

/** Each domain error class and its code; a class not listed is a server error. */
export const DOMAIN_ERROR_CODES: readonly [new (...a: never[]) => Error, (e: never) => Code][] = [
  // A refused read says why; an unknown dataset is not found, a missing purpose is the caller's input to fix.
  [AccessDeniedError, (e: AccessDeniedError) => (e.code === "unknown_dataset" ? "NOT_FOUND" : e.code === "purpose" ? "BAD_REQUEST" : "FORBIDDEN")],
  [NotFoundError, () => "NOT_FOUND"],
  [InvalidInputError, () => "BAD_REQUEST"],
  [ConflictError, () => "CONFLICT"],
  [UnavailableError, () => "PRECONDITION_FAILED"],
  [RateLimitedError, () => "TOO_MANY_REQUESTS"],
  // The ledger's refusal carries the contract's message: the caller's fault unless it was the ledger's own.
  [TxRejectedError, (e: TxRejectedError) => (e.code === "unauthorized" ? "FORBIDDEN" : e.code === "internal" ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST")],
];

/** The tRPC code of an error (INTERNAL_SERVER_ERROR for anything that is not a domain error or a ledger refusal). */
export function codeOf(e: unknown): Code {
  if (e instanceof TRPCError) return e.code;
  for (const [cls, code] of DOMAIN_ERROR_CODES) if (e instanceof cls) return code(e as never);
  return "INTERNAL_SERVER_ERROR";
}

/** A domain error or ledger refusal as the TRPCError the client sees, with its own message. */
export function toTRPCError(e: unknown): TRPCError {
  if (e instanceof TRPCError) return e;
  return new TRPCError({ code: codeOf(e), message: e instanceof Error ? e.message : String(e), cause: e });
}

/** What a mutation that submitted one transaction answers: where it landed. */
export const txResult = (c: { hash: string; seq: number; height: number }) => ({ hash: c.hash, seq: c.seq, height: c.height });

/** What a client was told, when `e` is an answer of a procedure (tests outside server/api check codes through this). */
export function clientErrorOf(e: unknown): { code: TRPCError["code"]; message: string } | null {
  return e instanceof TRPCError ? { code: e.code, message: e.message } : null;
}
