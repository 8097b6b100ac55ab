import { describe, expect, it } from 'vitest';
import { catalogSchema } from '#domain/catalog/catalog.ts';
import { indexCatalog } from '#domain/catalog/catalog-index.ts';
import { catalogDocument, sampleCatalog } from '../support/catalog.ts';

describe('indexCatalog', () => {
  const catalog = sampleCatalog();
  const index = indexCatalog(catalog);

  it('looks up parameters, owners, services, teams and environment order', () => {
    expect(index.parameters.get('payments.checkout.timeoutMs')?.type).toBe('integer');
    expect(index.namespaces.get('identity')).toBe('identity');
    expect(index.services.get('checkout-api')?.team).toBe('payments');
    expect([...index.teams]).toEqual(['payments', 'identity']);
    expect([...index.environments]).toEqual([
      ['dev', 0],
      ['staging', 1],
      ['prod-eu', 2],
      ['prod-us', 3],
    ]);
    expect(index.keysByNamespace.get('identity')).toEqual([
      'identity.session.ttlSeconds',
      'identity.session.label',
    ]);
  });

  it('builds once per catalog object', () => {
    expect(indexCatalog(catalog)).toBe(index);
    expect(indexCatalog(sampleCatalog())).not.toBe(index);
  });

  it('keeps the first of repeated names', () => {
    const doc = catalogDocument();
    const repeated = catalogSchema.parse({
      ...doc,
      environments: [...doc.environments, { name: 'dev' }],
      namespaces: [...doc.namespaces, { name: 'payments', owner: 'identity' }],
      parameters: [...doc.parameters, { key: 'payments.checkout.mode', type: 'boolean' }],
    });
    const repeatedIndex = indexCatalog(repeated);
    expect(repeatedIndex.environments.get('dev')).toBe(0);
    expect(repeatedIndex.namespaces.get('payments')).toBe('payments');
    expect(repeatedIndex.parameters.get('payments.checkout.mode')?.type).toBe('string');
  });
});
