import { finalConflictReasons, type ErrorCode } from '#domain/core/errors.ts';
import type { Problem } from '#domain/core/problem.ts';

/** What a pipeline can branch on. */
export const exitCodes = {
  ok: 0,
  /** Rejected by a rule: validation, authorization, freeze, a broken audit chain, not found. */
  rejected: 1,
  /** Bad command line, unreadable or malformed input. */
  usage: 2,
  /** Conflict or transient: re-read and retry. */
  retry: 3,
} as const;
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** HTTP status → exit code, for answers without a known problem code (see the README's table). */
export const exitCodeForStatus = (status: number): ExitCode => {
  if ([409, 412, 429].includes(status) || status >= 500) return exitCodes.retry;
  if ([400, 401, 405, 413, 415].includes(status)) return exitCodes.usage;
  return exitCodes.rejected;
};

/**
 * The decision for every problem code the API answers (a Record: a new code does not compile without
 * one). Retry (3) only where re-reading and retrying can succeed; a refusal that a retry cannot change is
 * rejected (1), whatever its HTTP status (`already-deployed` is a 409).
 */
export const exitCodeForCode: Record<ErrorCode, ExitCode> = {
  'bad-request': exitCodes.usage,
  'validation-failed': exitCodes.rejected,
  unauthenticated: exitCodes.usage,
  forbidden: exitCodes.rejected,
  'not-found': exitCodes.rejected,
  'method-not-allowed': exitCodes.usage,
  conflict: exitCodes.retry,
  'already-deployed': exitCodes.rejected,
  'idempotency.mismatch': exitCodes.rejected,
  'precondition-failed': exitCodes.retry,
  'payload-too-large': exitCodes.usage,
  frozen: exitCodes.rejected,
  unavailable: exitCodes.retry,
  internal: exitCodes.retry,
};

const isErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === 'string' && Object.hasOwn(exitCodeForCode, code);

const finalReasons: ReadonlySet<unknown> = new Set(finalConflictReasons);

/**
 * The exit code of a problem answer: by its code (a `conflict` whose reason no retry changes is
 * rejected), else by its HTTP status.
 */
export const exitCodeForProblem = (
  status: number,
  problem: { code?: unknown; reason?: unknown },
): ExitCode => {
  if (!isErrorCode(problem.code)) return exitCodeForStatus(status);
  if (problem.code === 'conflict' && finalReasons.has(problem.reason)) return exitCodes.rejected;
  return exitCodeForCode[problem.code];
};

/** An RFC 9457 problem as the API sends it. */
export interface ProblemDocument {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  problems?: Problem[];
  [extension: string]: unknown;
}

/** A failure the CLI reports and exits with; `hint` says what to do next. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  readonly problem: ProblemDocument | undefined;
  /** Lines for people between the message and the hint (e.g. the freeze windows that refused a change). */
  readonly details: readonly string[];

  constructor(
    message: string,
    exitCode: ExitCode,
    options: { hint?: string; problem?: ProblemDocument; details?: readonly string[] } = {},
  ) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.problem = options.problem;
    this.details = options.details ?? [];
  }
}

export const usageError = (message: string, hint?: string): CliError =>
  new CliError(message, exitCodes.usage, hint === undefined ? {} : { hint });
