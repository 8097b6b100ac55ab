import type { Problem } from '../domain/core/problem.ts';

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

/** HTTP status → exit code (see the README's table). */
export const exitCodeForStatus = (status: number): ExitCode => {
  if ([409, 412, 429].includes(status) || status >= 500) return exitCodes.retry;
  if ([400, 401, 405, 413, 415].includes(status)) return exitCodes.usage;
  return exitCodes.rejected;
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
