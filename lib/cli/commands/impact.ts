import type { Command } from 'commander';
import { lazy } from '../lazy.ts';

export const registerImpact = (program: Command): void => {
  program
    .command('impact')
    .description(
      'what a change touches: a pushed bundle (name@version) or a bundle file; ' +
        'exit 1 when the plan has a cycle or needs sign-offs',
    )
    .argument('<bundle>', 'name@version of a pushed bundle, or a bundle file (YAML or JSON, - for stdin)')
    .option('--env <environment>', 'only this environment')
    .action(lazy(async () => (await import('../actions/impact.ts')).impact));
};
