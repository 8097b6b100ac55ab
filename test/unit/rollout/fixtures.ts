import { parse } from 'yaml';
import type { Catalog } from '#domain/catalog/catalog.ts';
import type { RolloutEvent } from '#domain/rollout/events.ts';
import { strategySchema } from '#domain/rollout/strategy.ts';
import type { Strategy } from '#domain/rollout/strategy.ts';

export const catalog: Pick<Catalog, 'environments'> = {
  environments: [
    { name: 'dev' },
    { name: 'staging' },
    {
      name: 'prod-eu',
      appconfig: {
        application: 'shop',
        environment: 'prod-eu',
        profile: 'main',
        deploymentStrategy: 'linear',
      },
    },
    { name: 'prod-us' },
  ],
};

/** The strategy of issue 4 §1, verbatim. */
export const standardYaml = `
name: standard
phases:
  - { name: dev,         environments: [dev],     bake: PT5M }
  - { name: staging,     environments: [staging], bake: PT15M, approval: true }
  - { name: prod-canary, environments: [prod-eu], bake: PT30M }
  - { name: prod,        environments: [prod-us], bake: PT1H }
health:
  alarms: ["{env}-5xx-rate", "{env}-checkout-p99"]   # CloudWatch alarm names, {env} expanded
  interval: PT1M
  insufficientData: unknown        # unknown | unhealthy | ignore
  unknown: { after: 3, action: pause }   # monitoring unavailable: pause | rollback after N checks in a row
finalWatch: PT30M                  # keep watching after the last phase
rollback: { automatic: true }
`;

export const standardInput = (): Record<string, unknown> => parse(standardYaml) as Record<string, unknown>;
export const standard: Strategy = strategySchema.parse(standardInput());

/** A two-phase strategy without approval, for short streams. */
export const twoPhases: Strategy = strategySchema.parse({
  name: 'two',
  phases: [
    { name: 'first', environments: ['dev', 'staging'], bake: 'PT10M' },
    { name: 'second', environments: ['prod-eu'], bake: 'PT10M' },
  ],
  health: { alarms: ['{env}-5xx'] },
});

export const T0 = '2026-12-01T09:00:00.000Z';
export const atMinute = (minutes: number): string =>
  new Date(Date.parse(T0) + minutes * 60_000).toISOString();

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type Draft = DistributiveOmit<RolloutEvent, 'seq' | 'at'>;

/** Number drafts 1, 2, 3… at the given minutes since T0. */
export const stream = (drafts: ReadonlyArray<readonly [number, Draft]>, firstSeq = 1): RolloutEvent[] =>
  drafts.map(([minute, draft], i) => ({ ...draft, at: atMinute(minute), seq: firstSeq + i }));

export const started = (strategy: Strategy = twoPhases): Draft => ({
  type: 'RolloutStarted',
  rolloutId: 'ro-1',
  bundle: { name: 'checkout-timeouts', version: '3', hash: 'b'.repeat(64) },
  strategy,
  environmentsBefore: {
    dev: 'snap-dev-0',
    staging: 'snap-staging-0',
    'prod-eu': 'snap-eu-0',
    'prod-us': 'snap-us-0',
  },
  by: 'olivia',
});

export const deployed = (phase: string, environment: string, n = 1): Draft => ({
  type: 'PhaseDeployed',
  phase,
  environment,
  deploymentId: `dpl-${environment}-${n}`,
  previousSnapshot: `snap-${environment}-${n - 1}`,
  snapshot: `snap-${environment}-${n}`,
});

export const checked = (
  phase: string,
  verdict: 'healthy' | 'unhealthy' | 'unknown' = 'healthy',
  consecutiveUnknown = 0,
): Draft => ({
  type: 'HealthChecked',
  phase,
  verdict,
  alarms: [{ name: `${phase}-5xx`, state: verdict === 'unhealthy' ? 'ALARM' : 'OK' }],
  consecutiveUnknown,
});

/** Both phases of `twoPhases` deployed and baked, then Succeeded: 11 events. */
export const happyTwoPhases = (): RolloutEvent[] =>
  stream([
    [0, started()],
    [0, { type: 'PhaseStarted', phase: 'first' }],
    [1, deployed('first', 'dev')],
    [2, deployed('first', 'staging')],
    [12, checked('first')],
    [12, { type: 'PhaseBaked', phase: 'first' }],
    [12, { type: 'PhaseStarted', phase: 'second' }],
    [13, deployed('second', 'prod-eu')],
    [23, checked('second')],
    [23, { type: 'PhaseBaked', phase: 'second' }],
    [23, { type: 'Succeeded' }],
  ]);

/**
 * A long, realistic stream of about `total` events: `standard` through its four phases with one
 * health check a minute (the bench's 10,000-event rollout), approvals on the gated phase.
 */
export const longRollout = (total: number): RolloutEvent[] => {
  const drafts: Array<[number, Draft]> = [[0, started(standard)]];
  const fixed =
    2 +
    standard.phases.reduce((sum, phase) => sum + 2 + phase.environments.length + (phase.approval ? 2 : 0), 0);
  const perPhase = Math.max(1, Math.ceil((total - fixed) / standard.phases.length));
  let minute = 0;
  for (const phase of standard.phases) {
    drafts.push([minute, { type: 'PhaseStarted', phase: phase.name }]);
    for (const env of phase.environments) drafts.push([minute, deployed(phase.name, env)]);
    for (let i = 0; i < perPhase; i += 1) {
      minute += 1;
      drafts.push([minute, checked(phase.name, i % 97 === 5 ? 'unknown' : 'healthy', i % 97 === 5 ? 1 : 0)]);
    }
    drafts.push([minute, { type: 'PhaseBaked', phase: phase.name }]);
    if (phase.approval) {
      drafts.push([minute, { type: 'ApprovalRequested', phase: phase.name }]);
      drafts.push([minute + 1, { type: 'ApprovalGranted', phase: phase.name, by: 'olivia' }]);
    }
  }
  drafts.push([minute, { type: 'Succeeded' }]);
  return stream(drafts);
};
