import { isConvoyError, type ErrorCode } from '#domain/core/errors.ts';
import { formatTimeline } from '#domain/rollout/simulation-report.ts';
import type { Command } from 'commander';
import { contextOf } from './context.ts';
import { parseRef } from './bundle-ref.ts';
import { assertJava } from '#local/dynamodb-local.ts';
import { CliError, exitCodes, usageError, type ExitCode } from './exit-codes.ts';
import { nameOrDocument, readDocument } from './rollout-input.ts';

export interface SimulateFlags {
  strategy: string;
  bundle?: string;
  release?: string;
  scenario: string;
  catalog?: string;
  start?: string;
}

const EXIT_FOR: Partial<Record<ErrorCode, ExitCode>> = {
  'validation-failed': exitCodes.usage,
  'bad-request': exitCodes.usage,
  unavailable: exitCodes.retry,
};

/** The simulator's ConvoyError as a CLI failure: invalid input is a usage error, with every problem. */
export const simulationError = (error: unknown): unknown => {
  if (!isConvoyError(error)) return error;
  const exitCode = EXIT_FOR[error.code] ?? exitCodes.rejected;
  return new CliError(error.message, exitCode, {
    problem: { code: error.code, ...error.context, problems: error.problems },
    ...(exitCode === exitCodes.usage ? { hint: 'Fix the problems listed and retry; nothing ran.' } : {}),
  });
};

/** Without CONVOY_DYNAMODB_ENDPOINT the simulator starts DynamoDB Local, which needs Java. */
const requireJava = (): void => {
  try {
    assertJava();
  } catch (error) {
    throw new CliError((error as Error).message, exitCodes.rejected, {
      hint: 'Install Java 17+, or point CONVOY_DYNAMODB_ENDPOINT at a running DynamoDB Local.',
    });
  }
};

/** `convoy rollout simulate` (declared in commands/rollout.ts, loaded when it runs). */
export const simulate = async (flags: SimulateFlags, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const strategy = await nameOrDocument(flags.strategy);
  if ((flags.bundle === undefined) === (flags.release === undefined))
    throw usageError('Pass --bundle <file|ref> or --release <release> (one of them).');
  const bundle = flags.bundle === undefined ? undefined : await nameOrDocument(flags.bundle);
  if (bundle && 'name' in bundle) parseRef(bundle.name);
  const scenario = await readDocument(flags.scenario);
  const catalog =
    flags.catalog === undefined
      ? { apiUrl: ctx.apiUrl, principal: ctx.principal }
      : { document: await readDocument(flags.catalog) };
  if (!process.env.CONVOY_DYNAMODB_ENDPOINT) requireJava();
  // Loaded on demand: it brings the workflow runner and the handlers.
  const { simulateRollout } = await import('#local/rollout-simulator.ts');
  const report = await simulateRollout({
    strategy: 'name' in strategy ? { name: strategy.name } : strategy.document,
    scenario,
    bundle:
      bundle === undefined
        ? { release: flags.release ?? '' }
        : 'name' in bundle
          ? { ref: bundle.name }
          : { document: bundle.document },
    catalog,
    ...(flags.start === undefined ? {} : { start: flags.start }),
  }).catch((error: unknown) => {
    throw simulationError(error);
  });
  if (ctx.json) {
    ctx.out.data(report);
    return;
  }
  ctx.out.raw(formatTimeline(report));
  for (const note of report.notes) ctx.out.line(ctx.out.style('yellow', `note: ${note}`));
  const { totalMs, engineMs } = report.wall;
  ctx.out.note(
    ctx.out.style(
      'dim',
      `simulated in ${(totalMs / 1000).toFixed(1)} s (engine ${(engineMs / 1000).toFixed(1)} s)`,
    ),
  );
};
