import { Argument, type Command } from 'commander';
import { alarmStates } from '../choices.ts';
import { lazy } from '../lazy.ts';

export const registerAlarm = (program: Command): void => {
  const alarm = program
    .command('alarm')
    .description(
      'the local CloudWatch alarms `convoy up` rollouts watch: flip them to see rollback and pause',
    );

  alarm
    .command('set')
    .description('set an alarm’s state (it exists from then on)')
    .argument('<name>', 'alarm name, e.g. prod-eu-5xx-rate')
    .addArgument(new Argument('<state>', 'the new state').choices(alarmStates))
    .action(lazy(async () => (await import('../actions/alarm.ts')).set));

  alarm
    .command('outage')
    .description('make DescribeAlarms fail (on) or answer again (off): the rollout sees "unknown"')
    .addArgument(new Argument('<switch>', 'on or off').choices(['on', 'off']))
    .action(lazy(async () => (await import('../actions/alarm.ts')).outage));

  alarm
    .command('list')
    .description('every alarm set so far, and whether monitoring is in an outage')
    .action(lazy(async () => (await import('../actions/alarm.ts')).list));
};
