import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startApiServer, type ApiServer } from '#local/api-server.ts';
import { seedDemo } from '#local/seed.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';
import { exposureOf, lines, simulate } from './support.ts';

/**
 * examples/rollouts/*.yaml on the demo data (`convoy up`'s seed), as their comments describe them:
 * `convoy rollout simulate --strategy examples/rollouts/standard.yaml --bundle search-cache@1
 * --scenario examples/rollouts/<scenario>.yaml`.
 */
const example = (file: string): unknown =>
  parse(readFileSync(new URL(`../../../examples/rollouts/${file}`, import.meta.url), 'utf8'));

let api: TestApi;
let server: ApiServer | undefined;
let apiUrl = '';
beforeAll(async () => {
  api = await createTestApi();
  server = await startApiServer({ port: 0, deps: () => api.deps });
  apiUrl = server.url;
  await seedDemo(apiUrl, undefined, () => api.clock.now.getTime());
});
afterAll(async () => {
  await server?.close();
  await api.table.drop();
});

const run = (scenario: string, bundle = 'search-cache@1') =>
  simulate({
    catalog: { apiUrl, principal: 'olivia' },
    strategy: example('standard.yaml'),
    bundle: { ref: bundle },
    scenario: example(scenario),
  });

const killedInProdEu = expect.stringMatching(/^prod-eu: rebuilt from its bundles .* differs from the API's/);

describe('examples/rollouts on the demo data', () => {
  it('alarm-in-prod-eu: the canary alarms, every deployed phase rolls back, prod-us is never exposed', async () => {
    const report = await run('alarm-in-prod-eu.yaml');
    expect([report.outcome, report.reason]).toEqual(['rolled-back', 'ALARM prod-eu-5xx-rate']);
    expect(exposureOf(report)).toEqual([
      'dev +00:00:00→+00:50:00 rolled back',
      'staging +00:05:00→+00:50:00 rolled back',
      'prod-eu +00:25:00→+00:50:00 rolled back',
    ]);
    // The demo killed a flag in prod-eu (no bundle holds a kill): the simulator says its rebuild differs.
    expect(report.notes).toEqual([killedInProdEu]);
  });

  it('monitoring-outage: three unknown checks pause the rollout; it waits for an operator', async () => {
    const report = await run('monitoring-outage.yaml');
    expect(report.outcome).toBe('paused');
    expect(lines(report.timeline, ['Paused'])).toEqual(['+00:10:00 Paused staging -']);
    expect(report.notes).toEqual([killedInProdEu, expect.stringContaining('an operator would have to act')]);
  });

  it('approval-and-freeze: approved, held by the freeze after the canary baked, then on to success', async () => {
    const report = await run('approval-and-freeze.yaml');
    expect(
      lines(report.timeline, ['ApprovalGranted', 'FreezeApplied', 'Resumed', 'PhaseDeployed', 'Succeeded']),
    ).toEqual([
      '+00:00:00 PhaseDeployed dev dev',
      '+00:05:00 PhaseDeployed staging staging',
      '+00:25:00 ApprovalGranted staging -',
      '+00:25:00 PhaseDeployed prod-canary prod-eu',
      '+00:55:00 FreezeApplied prod-canary -',
      '+03:00:00 Resumed prod-canary -',
      '+03:01:00 PhaseDeployed prod prod-us',
      '+04:31:00 Succeeded prod -',
    ]);
  });

  it('stops before starting a bundle that an environment of the strategy cannot take', async () => {
    // The demo's prod-us runs checkout-api 2.2.9; checkout-timeouts@3 requires >=2.3.0.
    await expect(run('alarm-in-prod-eu.yaml', 'checkout-timeouts@3')).rejects.toMatchObject({
      code: 'validation-failed',
      message: expect.stringContaining('prod-us'),
    });
  });
});
