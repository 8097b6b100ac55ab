import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api.ts';
import { at, seedFreezeWorld, weekend } from '../support/freeze.ts';

/**
 * Symptom (issue 10, item 1): on a Saturday, `convoy report freeze` called the demo's prod deployments
 * unexplained. They were made before the weekend window was added to the calendar, and the report
 * judged every change by the calendar as it stood at the end of the period.
 */
describe('regression: the compliance report blamed changes on windows added after them', () => {
  let api: TestApi;
  const report = async () =>
    (await api.call('GET', '/reports/freeze-compliance?from=2026-12-01T00:00:00Z&to=2026-12-31T00:00:00Z'))
      .json as { changes: { environment: string; explained: boolean }[]; unexplained: number };

  beforeAll(async () => {
    api = await createTestApi();
    await seedFreezeWorld(api);
    // Saturday 5 Dec 2026, 11:00 UTC: a deploy to prod while the calendar is still empty...
    at(api, '2026-12-05T11:00:00Z');
    const deployed = await api.call('POST', '/environments/prod-eu/deployments', {
      body: { bundle: 'checkout-timeouts@3' },
    });
    expect(deployed.status).toBe(201);
    // ...then the weekend freeze is added: it covers that Saturday, but it was not there then.
    at(api, '2026-12-05T11:05:00Z');
    expect((await api.call('POST', '/freezes', { body: weekend })).status).toBe(201);
  });

  it('does not list the change, and says there is nothing unexplained', async () => {
    const before = await report();
    expect(before.changes).toEqual([]);
    expect(before.unexplained).toBe(0);
  });

  it('still judges later changes by the window, which now refuses them', async () => {
    at(api, '2026-12-05T11:10:00Z');
    const refused = await api.call('POST', '/environments/prod-eu/rollback', { body: {} });
    // A rollback stays permitted during the freeze, and is listed as permitted.
    expect(refused.status).toBe(201);
    const after = await report();
    expect(after.changes).toEqual([expect.objectContaining({ environment: 'prod-eu', explained: true })]);
    expect(after.unexplained).toBe(0);
  });
});
