import type { Problem } from './problem.ts';

/**
 * Stable error codes. Clients branch on these, so they never change meaning once shipped.
 * The HTTP mapping lives in lib/api/problems.ts, nowhere else.
 */
export const errorCodes = [
  'bad-request', // malformed input: syntax, wrong types, unknown fields
  'validation-failed', // well-formed input that breaks a rule (carries problems)
  'unauthenticated', // no principal at all
  'forbidden',
  'not-found',
  'method-not-allowed',
  'conflict', // optimistic concurrency lost, or an immutable thing would change
  'already-deployed',
  'idempotency.mismatch', // an Idempotency-Key reused with another route, body or principal (24 h)
  'precondition-failed', // If-Match did not match
  'payload-too-large',
  'frozen', // a freeze window applies (issue 3)
  'unavailable', // a dependency (DynamoDB, AWS) failed; safe to retry
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/**
 * The `reason` of a `conflict` problem that no retry changes: the request is refused by a rule (nothing
 * to roll back, a pushed version that would change, an override already decided), not a lost race.
 * Clients (the CLI's exit codes) treat these as rejected; every other conflict is worth a retry.
 */
export const finalConflictReasons = [
  'nothing-to-roll-back',
  'same-snapshot',
  'bundle.immutable',
  'override.already-approved',
  'override.not-pending',
  'override.request-expired',
] as const;

export interface ConvoyErrorOptions {
  cause?: unknown;
  context?: Record<string, unknown>;
  problems?: Problem[];
}

/** The one error base of Convoy: a stable code, a human message, optional cause and context. */
export class ConvoyError extends Error {
  readonly code: ErrorCode;
  readonly context: Record<string, unknown>;
  readonly problems: Problem[];

  constructor(code: ErrorCode, message: string, options: ConvoyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConvoyError';
    this.code = code;
    this.context = options.context ?? {};
    this.problems = options.problems ?? [];
  }
}

export const isConvoyError = (value: unknown): value is ConvoyError => value instanceof ConvoyError;

export const badRequest = (message: string, problems: Problem[] = []): ConvoyError =>
  new ConvoyError('bad-request', message, { problems });
export const validationFailed = (message: string, problems: Problem[]): ConvoyError =>
  new ConvoyError('validation-failed', message, { problems });
export const forbidden = (message: string, context: Record<string, unknown> = {}): ConvoyError =>
  new ConvoyError('forbidden', message, { context });
export const notFound = (message: string, context: Record<string, unknown> = {}): ConvoyError =>
  new ConvoyError('not-found', message, { context });
export const conflict = (message: string, context: Record<string, unknown> = {}): ConvoyError =>
  new ConvoyError('conflict', message, { context });
