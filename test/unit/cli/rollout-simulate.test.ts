import { describe, expect, it } from 'vitest';
import { CliError, exitCodes } from '#cli/exit-codes.ts';
import { simulationError } from '#cli/rollout-simulate.ts';
import { ConvoyError, type ErrorCode } from '#domain/core/errors.ts';

describe('simulationError', () => {
  const problems = [
    {
      code: 'strategy.unknown-environment',
      path: 'phases[0].environments[0]',
      message: 'unknown environment "mars"',
    },
    { code: 'scenario.invalid-duration', path: 'alarms[0].from', message: 'not an ISO 8601 duration' },
  ];

  it.each<[ErrorCode, number]>([
    ['validation-failed', exitCodes.usage],
    ['bad-request', exitCodes.usage],
    ['not-found', exitCodes.rejected],
    ['forbidden', exitCodes.rejected],
    ['unavailable', exitCodes.retry],
  ])('%s → exit %i, with every problem', (code, exitCode) => {
    const error = simulationError(new ConvoyError(code, 'nope', { problems, context: { strategy: 'x' } }));
    expect(error).toBeInstanceOf(CliError);
    const cli = error as CliError;
    expect(cli.exitCode).toBe(exitCode);
    expect(cli.message).toBe('nope');
    expect(cli.problem).toEqual({ code, strategy: 'x', problems });
    expect(cli.hint === undefined).toBe(exitCode !== exitCodes.usage);
  });

  it('leaves other errors as they are', () => {
    const error = new Error('boom');
    expect(simulationError(error)).toBe(error);
  });
});
