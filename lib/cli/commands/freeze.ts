import { Option, type Command } from 'commander';
import { changeKinds, freezeLevels, inFlightPolicies } from '../choices.ts';
import { lazy } from '../lazy.ts';

/** Repeatable, comma-separated list option: `--env prod-eu --env prod-us` or `--env prod-eu,prod-us`. */
export const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];

const registerAdd = (freeze: Command): void => {
  freeze
    .command('add [file]')
    .description('add (or replace, by id) freeze windows from a YAML/JSON calendar file, or one from flags')
    .option('--id <id>', 'window id (default: from --name)')
    .option('--name <name>', 'what people call the window, e.g. "Year-end freeze"')
    .option('--description <text>', 'why the window exists')
    .option('--env <glob>', 'environments it covers (repeatable; default: all)', collect)
    .option('--namespace <glob>', 'namespaces it covers (repeatable; default: all)', collect)
    .option('--team <glob>', 'teams it covers (repeatable; default: all)', collect)
    .option('--kind <glob>', `change kinds it covers (repeatable; ${changeKinds.join(', ')})`, collect)
    .option(
      '--start <when>',
      'one-off: ISO 8601 start (offset, or local with --timezone), or "now" (the next whole second)',
    )
    .option('--end <when>', 'one-off: ISO 8601 end')
    .option('--rrule <rule>', 'recurring: RFC 5545 rule, e.g. "FREQ=WEEKLY;BYDAY=FR;BYHOUR=18"')
    .option('--duration <iso>', 'how long each occurrence (or a one-off from --start) lasts, e.g. P2DT12H')
    .option('--until <when>', 'recurring: no occurrence starts after this')
    .option('--timezone <zone>', 'IANA time zone of local times, e.g. Europe/Berlin')
    .addOption(
      new Option('--level <level>', 'hard: only an override passes; soft: one approval').choices(
        freezeLevels,
      ),
    )
    .option('--allow <kind>', 'change kinds still permitted (repeatable), e.g. flag-kill-switch', collect)
    .option('--forbid-rollback', 'rollback is frozen too (it is permitted by default)')
    .addOption(
      new Option('--in-flight <policy>', 'what a running rollout does when it starts').choices(
        inFlightPolicies,
      ),
    )
    .action(lazy(async () => (await import('../actions/freeze.ts')).add));
};

export const registerFreeze = (program: Command): void => {
  const freeze = program
    .command('freeze')
    .description('freeze windows: when configuration changes stop, and for what');

  registerAdd(freeze);

  freeze
    .command('list')
    .description('every freeze window')
    .action(lazy(async () => (await import('../actions/freeze.ts')).list));

  freeze
    .command('status')
    .description('is an environment frozen now (or --at), for which kinds, and until when')
    .requiredOption('--env <env>', 'environment')
    .option('--at <instant>', 'ISO 8601 instant to ask about (default: now)')
    .option('--namespace <namespace>', 'a change touching these namespaces (comma-separated)')
    .option('--team <team>', 'a change by these teams (comma-separated)')
    .addOption(new Option('--kind <kind>', 'only this kind of change (default: any)').choices(changeKinds))
    .action(lazy(async () => (await import('../actions/freeze.ts')).status));

  freeze
    .command('remove <id>')
    .description('remove a freeze window')
    .action(lazy(async () => (await import('../actions/freeze.ts')).remove));

  freeze
    .command('import <file>')
    .description(
      'add the events of an iCalendar (.ics) file as freeze windows, e.g. from SSM Change Calendar',
    )
    .addOption(
      new Option('--level <level>', 'level of events that do not say (default hard)').choices(freezeLevels),
    )
    .option(
      '--timezone <zone>',
      'zone of floating times and all-day dates (default: the calendar’s, else UTC)',
    )
    .option(
      '--skip-invalid',
      'import the events that can be imported and list the others (default: all or nothing)',
    )
    .action(lazy(async () => (await import('../actions/freeze.ts')).importCalendar));

  freeze
    .command('export')
    .description('the freeze calendar as iCalendar (VCALENDAR), for calendar subscriptions')
    .option('--out <file>', 'write it to this file instead of stdout')
    .action(lazy(async () => (await import('../actions/freeze.ts')).exportCalendar));
};
