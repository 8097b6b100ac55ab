import type { RolloutPhaseView, RolloutView } from '#api/rollout-view.ts';

/** 10:00 start; dev baked 10:00-10:05; staging deployed 10:05, bakes until 10:20. */
export const NOW = new Date('2026-11-23T10:10:00.000Z');

export const phase = (
  overrides: Partial<RolloutPhaseView> & Pick<RolloutPhaseView, 'name'>,
): RolloutPhaseView => ({
  environments: [overrides.name],
  status: 'pending',
  deployedAt: null,
  bakedUntil: null,
  approval: false,
  ...overrides,
});

export const runningView = (overrides: Partial<RolloutView> = {}): RolloutView => ({
  id: 'ro-1',
  bundle: 'checkout-timeouts@3',
  bundleHash: 'h',
  strategy: 'standard',
  status: 'running',
  reason: null,
  startedAt: '2026-11-23T10:00:00.000Z',
  startedBy: 'olivia',
  endedAt: null,
  currentPhase: 'staging',
  health: {
    verdict: 'healthy',
    at: '2026-11-23T10:09:00.000Z',
    reason: 'all alarms OK',
    alarms: [
      { name: 'staging-5xx-rate', state: 'OK' },
      { name: 'staging-checkout-p99', state: 'OK' },
    ],
  },
  consecutiveUnknown: 0,
  promoted: false,
  freeze: null,
  phases: [
    phase({
      name: 'dev',
      status: 'baked',
      deployedAt: '2026-11-23T10:00:00.000Z',
      bakedUntil: '2026-11-23T10:05:00.000Z',
    }),
    phase({
      name: 'staging',
      status: 'baking',
      deployedAt: '2026-11-23T10:05:00.000Z',
      bakedUntil: '2026-11-23T10:20:00.000Z',
    }),
    phase({ name: 'prod-canary', environments: ['prod-eu'] }),
    phase({ name: 'prod', environments: ['prod-us', 'prod-ap'] }),
  ],
  events: [
    {
      seq: 0,
      at: '2026-11-23T10:00:00.000Z',
      type: 'RolloutStarted',
      phase: null,
      environment: null,
      detail: 'checkout-timeouts@3 with strategy standard (4 phases) by olivia',
    },
    {
      seq: 1,
      at: '2026-11-23T10:00:00.000Z',
      type: 'PhaseStarted',
      phase: 'dev',
      environment: null,
      detail: 'phase started',
    },
    {
      seq: 2,
      at: '2026-11-23T10:00:01.000Z',
      type: 'PhaseDeployed',
      phase: 'dev',
      environment: 'dev',
      detail: 'deployed dpl-dev-1',
    },
    {
      seq: 3,
      at: '2026-11-23T10:05:00.000Z',
      type: 'PhaseBaked',
      phase: 'dev',
      environment: null,
      detail: 'baked',
    },
    {
      seq: 4,
      at: '2026-11-23T10:05:00.000Z',
      type: 'PhaseStarted',
      phase: 'staging',
      environment: null,
      detail: 'phase started',
    },
    {
      seq: 5,
      at: '2026-11-23T10:05:01.000Z',
      type: 'PhaseDeployed',
      phase: 'staging',
      environment: 'staging',
      detail: 'deployed dpl-staging-1',
    },
  ],
  anomalies: [],
  ...overrides,
});
