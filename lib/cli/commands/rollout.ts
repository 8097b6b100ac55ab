import { InvalidArgumentError, type Command } from 'commander';
import { lazy } from '../lazy.ts';
import { rolloutActions, type RolloutAction } from '#domain/rollout/operator-action-names.ts';

const positiveInteger =
  (max: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new InvalidArgumentError(`must be a whole number from 1 to ${max}`);
    return n;
  };

const registerStart = (rollout: Command): void => {
  rollout
    .command('start <bundle>')
    .description('start a progressive rollout of a pushed bundle (name@version) with a strategy')
    .requiredOption(
      '--strategy <file|name>',
      'a strategy file (YAML/JSON), or the name of a catalog strategy',
    )
    .option('--id <id>', 'the rollout id (default: one the API picks)')
    .option('--idempotency-key <key>', 'retry-safe key (default: a new key per invocation)')
    .action(lazy(async () => (await import('../actions/rollout.ts')).start));
};

const registerRead = (rollout: Command): void => {
  rollout
    .command('status <id>')
    .description('one rollout: its phases, health and event timeline')
    .action(lazy(async () => (await import('../actions/rollout.ts')).status));

  rollout
    .command('list')
    .description('rollouts, newest first')
    .option('--limit <n>', 'at most this many (1-100)', positiveInteger(100))
    .action(lazy(async () => (await import('../actions/rollout.ts')).list));
};

const registerWatch = (rollout: Command): void => {
  rollout
    .command('watch <id>')
    .description('follow a rollout live until it ends: exit 0 when it succeeds, 1 when it does not')
    .option('--interval-ms <ms>', 'poll interval', positiveInteger(600_000), 1000)
    .action(lazy(async () => (await import('../actions/rollout.ts')).watch));
};

const registerAction = (rollout: Command, action: RolloutAction): void => {
  const needsReason = action === 'abort' || action === 'reject';
  const command = rollout.command(`${action} <id>`).description(
    {
      approve: 'approve the gate the rollout waits at: the next phase starts',
      reject: 'reject the gate the rollout waits at: every deployed phase rolls back',
      pause: 'hold the rollout where it is (health is still watched)',
      resume: 'continue a paused rollout',
      abort: 'stop the rollout and roll back every deployed phase',
      promote: 'end the current bake early: the next healthy check advances',
    }[action],
  );
  if (needsReason) command.requiredOption('--reason <text>', 'why (kept in the audit trail)');
  else command.option('--reason <text>', 'why (kept in the audit trail)');
  command.action(lazy(async () => (await import('../actions/rollout.ts')).act(action)));
};

const registerSimulate = (rollout: Command): void => {
  rollout
    .command('simulate')
    .description(
      'dry-run a rollout: the real state machine and handlers on a virtual clock, the world scripted by a scenario',
    )
    .requiredOption(
      '--strategy <file|name>',
      'a strategy file (YAML/JSON), or the name of a catalog strategy',
    )
    .option('--bundle <file|ref>', 'a bundle file, or name@version of a bundle pushed to the API')
    .option('--release <release>', 'a release the API has, instead of a bundle: each phase deploys all of it')
    .requiredOption(
      '--scenario <file>',
      'alarms, monitoring outages, approvals and freezes over time (YAML/JSON)',
    )
    .option('--catalog <file>', 'the catalog to simulate against (default: the API’s)')
    .option('--start <instant>', 'ISO 8601 instant the virtual clock starts at (default: now)')
    // Loaded when it runs: the simulator brings DynamoDB Local, the workflow runner and the handlers.
    .action(lazy(async () => (await import('../rollout-simulate.ts')).simulate));
};

export const registerRollout = (program: Command): void => {
  const rollout = program
    .command('rollout')
    .description('progressive rollouts: a bundle through environments phase by phase, watched by alarms');
  registerStart(rollout);
  registerRead(rollout);
  registerWatch(rollout);
  for (const action of rolloutActions) registerAction(rollout, action);
  registerSimulate(rollout);
};
