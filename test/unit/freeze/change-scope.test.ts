import { describe, expect, it } from 'vitest';
import type { Bundle } from '#domain/bundles/bundle.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import { bundleScope, snapshotChangeScope } from '#domain/freeze/change-scope.ts';

const catalog = {
  environments: [{ name: 'prod' }],
  strategies: [],
  teams: [{ name: 'payments' }, { name: 'identity' }],
  namespaces: [
    { name: 'payments', owner: 'payments' },
    { name: 'identity', owner: 'identity' },
  ],
  parameters: [],
  services: [],
  roles: [],
} as Catalog;

describe('change scopes', () => {
  it('takes a bundle’s namespaces from its changes, and its team with the owners', () => {
    const bundle = {
      name: 'b',
      version: '1',
      release: 'r',
      team: 'identity',
      requires: [],
      dependsOn: [],
      changes: [
        { set: 'payments.checkout.timeoutMs', value: 1 },
        { delete: 'payments.checkout.legacyMode' },
        { set: 'ghost.key', value: true },
      ],
    } as Bundle;
    expect(bundleScope(catalog, bundle)).toEqual({
      namespaces: ['ghost', 'payments'],
      teams: ['identity', 'payments'],
    });
  });

  it('takes a snapshot flip’s namespaces from the keys whose values differ', () => {
    const before = {
      values: { 'payments.a': 1, 'identity.b': { x: [1] }, 'identity.c': 'same' },
      bundles: [],
    };
    const after = { values: { 'identity.b': { x: [2] }, 'identity.c': 'same' }, bundles: [] };
    expect(snapshotChangeScope(catalog, before, after)).toEqual({
      namespaces: ['identity', 'payments'],
      teams: ['identity', 'payments'],
    });
    expect(snapshotChangeScope(catalog, after, after)).toEqual({ namespaces: [], teams: [] });
  });
});
