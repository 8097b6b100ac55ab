import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlagReport } from '#domain/flags/flag-report.ts';
import { startApiServer, type ApiServer } from '#local/api-server.ts';
import { seedDemo } from '#local/seed.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';

/** The demo (`convoy up`'s seed): `convoy flag report --env dev --stale-days 0` shows one stale flag. */
let api: TestApi;
let server: ApiServer | undefined;
beforeAll(async () => {
  api = await createTestApi();
  server = await startApiServer({ port: 0, deps: () => api.deps });
  await seedDemo(server.url, undefined, () => api.clock.now.getTime());
});
afterAll(async () => {
  await server?.close();
  await api.table.drop();
});

describe('the demo flag report', () => {
  it('has telemetry for dev and exactly one stale flag (the demo flags were just deployed: --stale-days 0)', async () => {
    const res = await api.call('GET', '/environments/dev/flags/report?staleDays=0');
    const report = res.json as FlagReport;
    const stale = report.flags.filter((f) => f.findings.some((x) => x.kind === 'stale')).map((f) => f.key);
    expect(stale).toEqual(['identity.mfa.passkeyPrompt']);
    expect(report.flags.find((f) => f.key === 'search.ranking.engine')?.evaluations).toBe(2391);
  });

  it('seeds the counts once: a second seed counts nothing more', async () => {
    await seedDemo(server?.url ?? '', undefined, () => api.clock.now.getTime());
    const res = await api.call('GET', '/environments/dev/flags/report');
    expect((res.json as FlagReport).flags.find((f) => f.key === 'search.ranking.engine')?.evaluations).toBe(
      2391,
    );
  });
});
