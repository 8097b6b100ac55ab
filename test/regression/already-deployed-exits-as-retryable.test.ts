import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '#local/api-server.ts';
import type { ApiLambda } from '#local/lambda-runtime.ts';
import { checkoutTimeouts } from '../fixtures/bundles.ts';
import { cli } from '../integration/cli/support.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

/**
 * Symptom (issue 10, item 7): `convoy deploy` of a bundle the environment already runs exited 3
 * ("conflict, retry"), so a pipeline retried a refusal that no retry can change. Exit codes: 0 ok,
 * 1 rejected by a rule, 2 usage, 3 conflict or retry; the CLI decides by the problem's code.
 */
describe('regression: already-deployed exited as retryable', () => {
  let api: TestApi;
  let server: ApiServer;
  const convoy = (...args: string[]) => cli(...args, '--api', server.url, '--as', 'olivia');

  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
    expect((await api.call('POST', '/bundles', { body: { ...checkoutTimeouts, requires: [] } })).status).toBe(
      201,
    );
    const { bundles, deployments } = api.handlers;
    const handlers: Partial<Record<string, ApiLambda>> = { bundles, deployments };
    server = await startApiServer({
      port: 0,
      loadHandler: (group) => {
        const handler = handlers[group];
        return handler ? Promise.resolve(handler) : Promise.reject(new Error(`no ${group} handler here`));
      },
    });
  });

  afterAll(async () => {
    await server.close();
    await api.table.drop();
  });

  it('exits 1 when the bundle is already deployed (HTTP 409 already-deployed)', async () => {
    expect((await convoy('deploy', 'checkout-timeouts@3', '--env', 'dev')).code).toBe(0);
    const again = await convoy('deploy', 'checkout-timeouts@3', '--env', 'dev');
    expect(again.stderr).toMatch(/already deployed/);
    expect(again.stderr).toMatch(/live there already: nothing to deploy/);
    expect(again.stderr).not.toMatch(/and retry/);
    expect(again.code).toBe(1);
  });

  it('exits 1 when there is nothing to roll back (a 409 conflict no retry changes)', async () => {
    const run = await convoy('rollback', '--env', 'staging');
    expect(run.stderr).toMatch(/no deployment to roll back/);
    expect(run.stderr).toMatch(/A retry would be refused the same way/);
    expect(run.code).toBe(1);
  });

  it('still exits 3 for a lost race: HEAD moved since it was read (412)', async () => {
    const run = await convoy('rollback', '--env', 'dev');
    expect(run.code).toBe(0);
    const stale = await convoy('deploy', 'checkout-timeouts@3', '--env', 'dev', '--if-match', '1');
    expect(stale.code).toBe(3);
  });
});
