import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessionTtl } from '../fixtures/bundles.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

describe('audit routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
    await api.call('POST', '/bundles', { body: sessionTtl });
    api.clock.now = new Date('2026-11-23T12:00:00Z');
    await api.call('POST', '/environments/dev/deployments', { body: { bundle: 'identity-session@2' } });
    api.clock.now = new Date('2026-11-23T13:00:00Z');
    await api.call('POST', '/environments/dev/rollback');
  });

  it('lists the events of one environment, oldest first', async () => {
    const res = await api.call('GET', '/audit?env=dev', { as: 'vera' });
    expect(res.json.events.map((e: { type: string }) => e.type)).toEqual([
      'BundleDeployed',
      'EnvironmentRolledBack',
    ]);
    expect(res.json.events[1]).toMatchObject({
      chain: 'dev',
      seq: 2,
      actor: 'olivia',
      prevHash: res.json.events[0].hash,
    });
  });

  it('filters by time across chains', async () => {
    const res = await api.call('GET', '/audit?from=2026-11-23T11:00:00Z&to=2026-11-23T12:30:00Z');
    expect(res.json.events.map((e: { type: string }) => e.type)).toEqual(['BundleDeployed']);
    const all = await api.call('GET', '/audit');
    expect(all.json.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['CatalogApplied', 'BundlePushed', 'BundleDeployed', 'EnvironmentRolledBack']),
    );
  });

  it.each([
    ['a malformed instant', '/audit?from=yesterday'],
    ['a hostile environment', '/audit?env=..%2F'],
    ['an unknown field', '/audit?actor=olivia'],
    ['an oversize limit', '/audit?limit=100000'],
  ])('rejects %s with 400', async (_label, url) => {
    expect((await api.call('GET', url)).status).toBe(400);
  });

  it('verifies every chain, then names the first event edited behind its back', async () => {
    const intact = await api.call('GET', '/audit/verify');
    expect(intact.json.ok).toBe(true);
    expect(intact.json.chains.map((c: { chain: string }) => c.chain)).toEqual(
      expect.arrayContaining(['dev', '_global']),
    );
    await api.table.doc.send(
      new UpdateCommand({
        TableName: api.table.tableName,
        Key: { pk: 'AUDIT#dev', sk: 'SEQ#000000000001' },
        UpdateExpression: 'SET actor = :a',
        ExpressionAttributeValues: { ':a': 'mallory' },
      }),
    );
    const broken = await api.call('GET', '/audit/verify?env=dev');
    expect(broken.json.ok).toBe(false);
    expect(broken.json.chains).toEqual([
      expect.objectContaining({ chain: 'dev', ok: false, firstBad: expect.objectContaining({ seq: 1 }) }),
    ]);
  });
});
