import { Option, type Command } from 'commander';
import { lazy } from '../lazy.ts';

export const registerRelease = (program: Command): void => {
  const release = program
    .command('release')
    .description('releases: many teams’ bundles signed off, deployed and rolled back together');

  release
    .command('define <file>')
    .description('define (or replace) a release from its manifest file (YAML or JSON; name = file name)')
    .option('--name <release>', 'the release name (default: the manifest’s `name`)')
    .action(lazy(async () => (await import('../actions/release.ts')).define));

  release
    .command('list')
    .description('every release: bundles, teams, progress, partial environments, sign-offs, readiness')
    .action(lazy(async () => (await import('../actions/release.ts')).list));

  release
    .command('status <release>')
    .description('which bundles are live where, the ways out of a partial release, sign-offs, readiness')
    .action(lazy(async () => (await import('../actions/release.ts')).status));

  release
    .command('notes <release>')
    .description(
      'what the release changes, per team and key, with values before and after (masked when sensitive)',
    )
    .option('--env <env>', 'compare with this environment’s HEAD (default: values after only)')
    .addOption(new Option('--format <format>', 'md (default) or json').choices(['md', 'json']).default('md'))
    .action(lazy(async () => (await import('../actions/release-notes.ts')).notes));

  release
    .command('signoff <release>')
    .description('sign off for your team (--team), or approve as a release manager (--approve)')
    .option('--team <team>', 'the team you sign off for (you must be a member)')
    .option('--approve', 'approve the whole release as a release manager')
    .option('--note <text>', 'a note kept with the sign-off')
    .action(lazy(async () => (await import('../actions/release.ts')).signoff));

  release
    .command('deploy <release>')
    .description('deploy every bundle of the release to one environment in one HEAD flip')
    .requiredOption('--env <env>', 'environment')
    .option('--override-signoffs', 'go ahead without every sign-off (release managers; needs --reason)')
    .option('--reason <text>', 'why the sign-offs are overridden (audited)')
    .option('--override <id>', 'an emergency override id, to pass a freeze window')
    .action(lazy(async () => (await import('../actions/release.ts')).deploy));

  release
    .command('rollback <release>')
    .description('restore the environment’s snapshot from before the release')
    .requiredOption('--env <env>', 'environment')
    .option('--override <id>', 'an emergency override id, to pass a freeze window')
    .action(lazy(async () => (await import('../actions/release.ts')).rollback));

  release
    .command('rollout <release>')
    .description('a progressive rollout whose every phase deploys the whole release in one HEAD flip')
    .requiredOption(
      '--strategy <file|name>',
      'a strategy file (YAML/JSON), or the name of a catalog strategy',
    )
    .option('--id <id>', 'the rollout id (default: one the API picks)')
    .option('--idempotency-key <key>', 'retry-safe key (default: a new key per invocation)')
    .option('--override-signoffs', 'go ahead without every sign-off (release managers; needs --reason)')
    .option('--reason <text>', 'why the sign-offs are overridden (audited)')
    .action(lazy(async () => (await import('../actions/release-rollout.ts')).rollout));
};
