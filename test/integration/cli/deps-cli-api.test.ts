import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '#local/api-server.ts';
import { demoBundles, demoCatalog } from '../../fixtures/dependencies/demo.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';
import { binRunner } from './run-bin.ts';

/**
 * `convoy impact` and `convoy deps` end to end: the real bin against the real dependency handlers
 * (embedded API server over a DynamoDB Local table) seeded with the dependency demo.
 */
let api: TestApi;
let server: ApiServer;

const convoy = binRunner(() => ({ CONVOY_API_URL: server.url, CONVOY_PRINCIPAL: 'olivia' }));

beforeAll(async () => {
  api = await createTestApi();
  const roles = [{ principal: 'olivia', roles: ['release-manager'] }];
  expect((await api.call('PUT', '/catalog', { body: { ...demoCatalog, roles } })).status).toBe(200);
  for (const bundle of demoBundles)
    expect((await api.call('POST', '/bundles', { body: bundle })).status).toBe(201);
  server = await startApiServer({ port: 0, deps: () => api.deps });
});

afterAll(async () => {
  await server.close();
});

describe('convoy impact and deps against the API', () => {
  it('impact of a bundle another team must sign off: summary first, then the plan; exit 1', async () => {
    const run = await convoy('impact', 'identity-session@2');
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/touches 2 teams/);
    expect(run.stdout).toContain(
      'key:payments.checkout.sessionTtlSeconds  via key:identity.session.ttlSeconds → key:payments.checkout.sessionTtlSeconds',
    );
    expect(run.stdout).toContain('  sign-off: payments\n');
    expect(run.stdout).toContain('  1. bundle:identity-session@2 (identity)');
  });

  it('impact --json prints the API answer; exit 0 with nothing to coordinate, 1 with a sign-off owed', async () => {
    const quiet = await convoy('impact', 'search-latency@1', '--json');
    expect(quiet.code).toBe(0);
    expect(JSON.parse(quiet.stdout).plan).toEqual({
      authors: ['search'],
      signOff: [],
      order: [{ id: 'bundle:search-latency@1', team: 'search', after: [] }],
      cycles: [],
    });
    const owed = await convoy('impact', 'checkout-timeouts@3', '--json');
    expect(owed.code).toBe(1);
    expect(JSON.parse(owed.stdout).plan.signOff).toEqual(['identity']);
  });

  it('deps graph draws the focus as DOT; deps why walks the reference', async () => {
    const graph = await convoy('deps', 'graph', '--focus', 'key:identity.session.ttlSeconds', '--depth', '1');
    expect(graph.code).toBe(0);
    expect(graph.stdout).toMatch(/^digraph dependencies \{/);
    expect(graph.stdout).toContain(
      '"service:checkout-api" -> "key:identity.session.ttlSeconds" [label="consumes"];',
    );
    const why = await convoy(
      'deps',
      'why',
      'key:payments.checkout.sessionTtlSeconds',
      'key:identity.session.ttlSeconds',
    );
    expect([why.code, why.stdout]).toEqual([
      0,
      'key:payments.checkout.sessionTtlSeconds\n  --references--> key:identity.session.ttlSeconds\n',
    ]);
  });

  it('a bundle never pushed is not found: exit 1', async () => {
    const run = await convoy('impact', 'nope@1');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nope@1');
  });
});
