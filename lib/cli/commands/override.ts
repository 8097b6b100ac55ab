import { InvalidArgumentError, Option, type Command } from 'commander';
import { changeKinds, overrideStatuses } from '../choices.ts';
import { lazy } from '../lazy.ts';
import { collect } from './freeze.ts';

const parseCount = (value: string): number => {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return count;
};

export const registerOverride = (program: Command): void => {
  const override = program
    .command('override')
    .description('emergency overrides: approved, time-boxed, single-use passes through a freeze');

  override
    .command('request')
    .description('ask for an override of the freeze on an environment, for one bundle or some change kinds')
    .requiredOption('--env <env>', 'environment')
    .option('--bundle <ref>', 'the bundle (name@version) it lets through')
    .addOption(
      new Option(
        '--kind <kind>',
        `change kinds it lets through (repeatable): ${changeKinds.join(', ')}`,
      ).argParser(collect),
    )
    .requiredOption('--reason <text>', 'why this cannot wait (at least 10 characters)')
    .requiredOption('--ticket <id>', 'incident or change ticket, e.g. INC-4711')
    .option('--duration <iso>', 'time box once approved (default PT2H, at most PT24H)')
    .option('--approvals <n>', 'approvals to require (at least what the freeze level needs)', parseCount)
    .option('--reusable', 'may be used more than once inside its time box (default: single-use)')
    .action(lazy(async () => (await import('../actions/override.ts')).request));

  override
    .command('approve <id>')
    .description('approve an override you were routed to (never your own)')
    .option('--comment <text>', 'a note kept with the approval')
    .action(lazy(async () => (await import('../actions/override.ts')).decide('approve')));

  override
    .command('reject <id>')
    .description('reject an override; a rejection ends the request')
    .requiredOption('--reason <text>', 'why it is rejected')
    .action(lazy(async () => (await import('../actions/override.ts')).decide('reject')));

  override
    .command('show <id>')
    .description('one override: scope, reason, approvals, time box and uses')
    .action(lazy(async () => (await import('../actions/override.ts')).show));

  override
    .command('list')
    .description('overrides: pending, approved, rejected, expired and used')
    .addOption(new Option('--status <status>', 'only overrides in this state').choices(overrideStatuses))
    .option('--env <env>', 'only overrides for this environment')
    .action(lazy(async () => (await import('../actions/override.ts')).list));
};
