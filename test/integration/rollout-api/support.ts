import { checkoutTimeouts, sessionTtl } from '../../fixtures/bundles.ts';
import { fixtureCatalogYaml, type TestApi } from '../../support/api.ts';

/** Health alarms of the test strategies. */
export const health = { alarms: ['{env}-5xx-rate', '{env}-checkout-p99'], interval: 'PT1M' };

/** The standard strategy over the fixture environments. */
export const standard = {
  name: 'standard',
  phases: [
    { name: 'dev', environments: ['dev'], bake: 'PT5M' },
    { name: 'staging', environments: ['staging'], bake: 'PT15M', approval: true },
    { name: 'prod-canary', environments: ['prod-eu'], bake: 'PT30M' },
    { name: 'prod', environments: ['prod-us'], bake: 'PT1H' },
  ],
  health,
  finalWatch: 'PT30M',
};

/** Starts in prod: for the frozen-first-phase refusals. */
export const prodFirst = {
  name: 'prod-first',
  phases: [{ name: 'prod', environments: ['prod-eu', 'prod-us'], bake: 'PT10M' }],
  health,
};

/**
 * The fixture catalog plus the test strategies and the CodePipeline principal as a release manager
 * (a deployment maps its pipeline role's ARN the same way).
 */
export const rolloutCatalogYaml = `${fixtureCatalogYaml.trimEnd()}
  - { principal: 'pipeline:codepipeline', roles: [release-manager] }
  - { principal: rita, roles: [release-manager] }
strategies:
  - ${JSON.stringify(standard)}
  - ${JSON.stringify(prodFirst)}
`;

/** The rollout catalog (as olivia), two bundles pushed, and the service checkout-timeouts needs reported. */
export const seedRolloutWorld = async (api: TestApi, catalogYaml = rolloutCatalogYaml): Promise<void> => {
  const catalog = await api.call('PUT', '/catalog', {
    raw: catalogYaml,
    headers: { 'content-type': 'application/yaml' },
  });
  if (catalog.status !== 200) throw new Error(`catalog: ${catalog.text}`);
  for (const bundle of [checkoutTimeouts, sessionTtl]) {
    const pushed = await api.call('POST', '/bundles', { body: bundle });
    if (pushed.status !== 201) throw new Error(`push: ${pushed.text}`);
  }
  for (const env of ['dev', 'staging', 'prod-eu', 'prod-us']) {
    const reported = await api.call('PUT', `/environments/${env}/services/checkout-api`, {
      as: 'priya',
      body: { version: '2.4.0' },
    });
    if (reported.status !== 200) throw new Error(`report: ${reported.text}`);
  }
};

export const startBody = (strategy: unknown = 'standard', bundle = 'checkout-timeouts@3') => ({
  bundle,
  strategy,
});

type Draft = { type: string; [field: string]: unknown };

/** Append events as the workflow would (after the stored last seq, at the test clock). */
export const advance = async (api: TestApi, rolloutId: string, drafts: Draft[]): Promise<void> => {
  const events = await api.store.rollouts.events(rolloutId);
  const last = events.at(-1)?.seq ?? 0;
  const at = api.clock.now.toISOString();
  await api.store.rollouts.append(
    rolloutId,
    drafts.map((draft, i) => ({ ...draft, at, seq: last + 1 + i }) as never),
  );
};

/** The events that deploy `phase` to `environment` and start its bake. */
export const deployed = (phase: string, environment: string): Draft[] => [
  { type: 'PhaseStarted', phase },
  {
    type: 'PhaseDeployed',
    phase,
    environment,
    deploymentId: `dpl-${environment}-1`,
    previousSnapshot: 'a'.repeat(64),
    snapshot: 'b'.repeat(64),
  },
];

/** Through dev and staging's bake, to staging's approval gate (standard strategy). */
export const toApproval: Draft[] = [
  ...deployed('dev', 'dev'),
  { type: 'PhaseBaked', phase: 'dev' },
  ...deployed('staging', 'staging'),
  { type: 'PhaseBaked', phase: 'staging' },
  { type: 'ApprovalRequested', phase: 'staging' },
];
