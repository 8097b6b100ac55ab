import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startApiServer, type ApiServer } from '../../../lib/local/api-server.ts';
import { seedDemo } from '../../../lib/local/seed.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';
import { exposureOf, lines, simulate } from './support.ts';

/**
 * examples/rollouts/*.yaml on the demo data (`convoy up`'s seed), as their comments describe them:
 * `convoy rollout simulate --strategy examples/rollouts/standard.yaml --bundle checkout-timeouts@3
 * --scenario examples/rollouts/<scenario>.yaml`.
 */
const example = (file: string): unknown =>
  parse(readFileSync(new URL(`../../../examples/rollouts/${file}`, import.meta.url), 'utf8'));

let api: TestApi;
let server: ApiServer;
beforeAll(async () => {
  api = await createTestApi();
  server = await startApiServer({ port: 0 });
  await seedDemo(server.url);
});
afterAll(async () => {
  await server?.close();
  await api.table.drop();
});

const run = (scenario: string) =>
  simulate({
    catalog: { apiUrl: server.url, principal: 'olivia' },
    strategy: example('standard.yaml'),
    bundle: { ref: 'checkout-timeouts@3' },
    scenario: example(scenario),
  });

describe('examples/rollouts on the demo data', () => {
  it('alarm-in-prod-eu: the canary alarms, every deployed phase rolls back, prod-us is never exposed', async () => {
    const report = await run('alarm-in-prod-eu.yaml');
    expect([report.outcome, report.reason]).toEqual(['rolled-back', 'ALARM prod-eu-5xx-rate']);
    expect(exposureOf(report)).toEqual([
      'dev +00:00:00→+00:50:00 rolled back',
      'staging +00:05:00→+00:50:00 rolled back',
      'prod-eu +00:25:00→+00:50:00 rolled back',
    ]);
  });

  it('monitoring-outage: three unknown checks pause the rollout; it waits for an operator', async () => {
    const report = await run('monitoring-outage.yaml');
    expect(report.outcome).toBe('paused');
    expect(lines(report.timeline, ['Paused'])).toEqual(['+00:10:00 Paused staging -']);
    expect(report.notes).toEqual([expect.stringContaining('an operator would have to act')]);
  });

  it('approval-and-freeze: approved, held by the freeze after the canary, then prod-us refuses the bundle', async () => {
    const report = await run('approval-and-freeze.yaml');
    expect(
      lines(report.timeline, ['ApprovalGranted', 'FreezeApplied', 'Resumed', 'RollbackStarted']),
    ).toEqual([
      '+00:25:00 ApprovalGranted staging -',
      '+00:55:00 FreezeApplied prod-canary -',
      '+03:00:00 Resumed prod-canary -',
      '+03:01:00 RollbackStarted prod -',
    ]);
    // The demo's prod-us runs checkout-api 2.2.9; checkout-timeouts@3 requires >=2.3.0.
    expect([report.outcome, report.reason]).toEqual([
      'rolled-back',
      'workflow task failed: Convoy.ValidationFailed',
    ]);
  });
});
