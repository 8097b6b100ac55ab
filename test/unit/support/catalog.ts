import { bundleSchema } from '#domain/bundles/bundle.ts';
import type { Bundle, SealedBundle } from '#domain/bundles/bundle.ts';
import { sealBundle } from '#domain/bundles/seal.ts';
import { catalogSchema } from '#domain/catalog/catalog.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';

/** The catalog document most tests start from: two teams, references, every parameter type. */
export const catalogDocument = () => ({
  environments: [{ name: 'dev' }, { name: 'staging' }, { name: 'prod-eu' }, { name: 'prod-us' }],
  teams: [{ name: 'payments' }, { name: 'identity' }],
  namespaces: [
    { name: 'payments', owner: 'payments' },
    { name: 'identity', owner: 'identity' },
  ],
  parameters: [
    { key: 'payments.checkout.timeoutMs', type: 'integer', min: 100, max: 30000, default: 2000 },
    { key: 'payments.checkout.retryBudgetMs', type: 'integer', default: '${payments.checkout.timeoutMs}' },
    { key: 'payments.checkout.mode', type: 'string', enum: ['fast', 'safe'], default: 'safe' },
    {
      key: 'payments.checkout.endpoint',
      type: 'string',
      pattern: '^https://',
      default: 'https://pay.example.com',
    },
    { key: 'payments.checkout.ratio', type: 'number', min: 0, max: 1, default: 0.5 },
    { key: 'payments.checkout.enabled', type: 'boolean', default: true },
    { key: 'payments.checkout.grace', type: 'duration', min: 'PT1S', max: 'PT1H', default: 'PT5M' },
    {
      key: 'payments.checkout.limits',
      type: 'json',
      schema: { type: 'object', properties: { max: { type: 'integer' } }, required: ['max'] },
      default: { max: 3 },
    },
    { key: 'payments.checkout.legacyMode', type: 'boolean' },
    { key: 'identity.session.ttlSeconds', type: 'integer', min: 60, default: 3600 },
    { key: 'identity.session.label', type: 'string', default: 'ttl=${identity.session.ttlSeconds}' },
  ],
  services: [
    { name: 'checkout-api', team: 'payments', consumes: ['payments.checkout.*'] },
    { name: 'session-api', team: 'identity', consumes: ['identity.**'] },
  ],
  roles: [
    { principal: 'olivia', roles: ['release-manager'] },
    { principal: 'priya', roles: ['team:payments'] },
    { principal: 'ivan', roles: ['team:identity'] },
    { principal: 'vera', roles: ['viewer'] },
    { principal: 'alex', roles: ['approver'] },
  ],
});

export const sampleCatalog = (): Catalog => catalogSchema.parse(catalogDocument());

/** A valid payments bundle document; override fields per test. */
export const bundleDocument = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'checkout-timeouts',
  version: '3',
  release: '2026.12-R1',
  team: 'payments',
  changes: [{ set: 'payments.checkout.timeoutMs', value: 2500 }],
  ...overrides,
});

export const parsedBundle = (overrides: Record<string, unknown> = {}): Bundle =>
  bundleSchema.parse(bundleDocument(overrides));

export const sealed = (overrides: Record<string, unknown> = {}): SealedBundle =>
  sealBundle(parsedBundle(overrides));
