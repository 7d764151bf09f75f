/**
 * Domain errors: what domain modules (server/*) throw, each with a message for the user in Chinese
 * and English. They know nothing of tRPC: server/api/errors.ts maps each class to its tRPC code, in
 * one table.
 */
import type { DenialCode } from "./sharing/policy";

export abstract class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The thing asked for does not exist (or is not on this ledger). */
export class NotFoundError extends DomainError {}

/** The input cannot be used as given (a bad file, a bad cell, a missing purpose). */
export class InvalidInputError extends DomainError {}

/** The request contradicts the current state (a duplicate, a record already changed). */
export class ConflictError extends DomainError {}

/** This node cannot do it now: a key or a registry it needs is missing here. */
export class UnavailableError extends DomainError {}

/** Too many requests: retry after `retryAfterS` seconds. */
export class RateLimitedError extends DomainError {
  constructor(
    readonly retryAfterS: number,
    message: string,
  ) {
    super(message);
  }
}

/** A refused read or action, with the reason (`code`: the policy's rule, the submitter's role, or the owner-or-ancestor rule). */
export class AccessDeniedError extends DomainError {
  constructor(
    readonly code: DenialCode | "role" | "not_owner",
    readonly reason: string,
  ) {
    super(`拒绝访问 Access denied: ${reason}`);
  }
}
