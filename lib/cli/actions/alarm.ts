import type { Command } from 'commander';
import { segment } from '#api/client.ts';
import { contextOf, type CommandContext } from '../context.ts';
import { CliError, exitCodes } from '../exit-codes.ts';

interface LocalAlarmList {
  alarms: { name: string; state: string }[];
  outage: boolean;
}

/**
 * The embedded runtime's alarm source (`/local/...`). Any other API answers 404: on AWS the rollout
 * reads CloudWatch, which Convoy does not pretend to own.
 */
const localCall = async <T>(
  ctx: CommandContext,
  method: string,
  path: string,
  json?: unknown,
): Promise<T> => {
  const response = await ctx
    .client()
    .request(method, path, { ...(json === undefined ? {} : { json }), accept: [404] });
  if (response.status === 404) {
    throw new CliError(
      `${ctx.apiUrl} has no local alarm source: on AWS, health alarms are CloudWatch's.`,
      exitCodes.rejected,
      {
        hint:
          '`convoy alarm` drives the alarms of `convoy up`. On AWS, flip a real alarm for a test with ' +
          '`aws cloudwatch set-alarm-state --alarm-name <name> --state-value ALARM --state-reason test`.',
      },
    );
  }
  return JSON.parse(response.text) as T;
};

const STATE_COLOURS = { OK: 'green', ALARM: 'red', INSUFFICIENT_DATA: 'yellow' } as const;

const painted = (ctx: CommandContext, state: string): string =>
  state in STATE_COLOURS ? ctx.out.style(STATE_COLOURS[state as keyof typeof STATE_COLOURS], state) : state;

/** `convoy alarm set <name> <state>`. */
export const set = async (
  name: string,
  state: string,
  _options: unknown,
  command: Command,
): Promise<void> => {
  const ctx = contextOf(command);
  const result = await localCall<{ name: string; state: string }>(
    ctx,
    'PUT',
    `/local/alarms/${segment(name)}`,
    {
      state,
    },
  );
  if (ctx.json) ctx.out.data(result);
  else ctx.out.line(`${ctx.out.style('green', '✓')} alarm ${result.name} is ${painted(ctx, result.state)}`);
};

/** `convoy alarm outage on|off`. */
export const outage = async (toggle: 'on' | 'off', _options: unknown, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const result = await localCall<{ unavailable: boolean }>(ctx, 'PUT', '/local/monitoring', {
    unavailable: toggle === 'on',
  });
  if (ctx.json) ctx.out.data(result);
  else
    ctx.out.line(
      result.unavailable
        ? `${ctx.out.style('yellow', '!')} monitoring outage on: DescribeAlarms fails until \`convoy alarm outage off\``
        : `${ctx.out.style('green', '✓')} monitoring available again`,
    );
};

/** `convoy alarm list`. */
export const list = async (_options: unknown, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const result = await localCall<LocalAlarmList>(ctx, 'GET', '/local/alarms');
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  ctx.out.line(
    `monitoring  ${result.outage ? ctx.out.style('yellow', 'OUTAGE (DescribeAlarms fails)') : 'available'}`,
  );
  if (result.alarms.length === 0) {
    ctx.out.line('No alarms yet: an alarm the rollout asks for and nobody set is missing (unknown).');
    return;
  }
  ctx.out.line();
  ctx.out.table(
    result.alarms.map((a) => [a.name, painted(ctx, a.state)]),
    { header: ['ALARM', 'STATE'] },
  );
};
