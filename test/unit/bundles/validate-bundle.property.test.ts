import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateBundle } from '#domain/bundles/validate-bundle.ts';
import type { ValidationContext } from '#domain/bundles/validate-bundle.ts';
import { sampleCatalog, sealed } from '../support/catalog.ts';

const catalog = sampleCatalog();
const contexts: ValidationContext[] = [
  { catalog },
  {
    catalog,
    environment: 'prod-eu',
    snapshot: {
      values: { 'payments.checkout.legacyMode': true },
      bundles: [{ name: 'identity-session', version: '1', hash: 'h' }],
    },
    services: { 'checkout-api': '2.4.0' },
    releaseBundles: [
      sealed({ name: 'other', changes: [{ set: 'payments.checkout.timeoutMs', value: 3000 }] }),
    ],
  },
  { catalog, environment: 'nowhere' },
];

const key = fc.oneof(
  fc.constantFrom(
    ...catalog.parameters.map((p) => p.key),
    'payments.checkout.timoutMs',
    'ghost.a.b',
    'identity.x.y',
  ),
  fc.string(),
);
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    '${payments.checkout.timeoutMs}',
    '${payments.checkout.retryBudgetMs}',
    'x${ghost.a.b}',
    'PT5M',
    'safe',
  ),
);
const change = fc.oneof(
  fc.record({ set: key, value }),
  fc.record({ delete: key }),
  fc.dictionary(fc.constantFrom('set', 'delete', 'value', 'extra'), fc.anything()),
);
const bundleShaped = fc.record(
  {
    name: fc.oneof(fc.constantFrom('checkout-timeouts', 'other'), fc.string()),
    version: fc.oneof(fc.constantFrom('1', '2'), fc.nat(), fc.string()),
    release: fc.oneof(fc.constant('2026.12-R1'), fc.string()),
    team: fc.constantFrom('payments', 'identity', 'search', ''),
    description: fc.string(),
    labels: fc.dictionary(fc.string(), fc.string()),
    requires: fc.array(
      fc.record({
        service: fc.constantFrom('checkout-api', 'session-api', 'ghost'),
        range: fc.constantFrom('>=2.3.0', '^1', 'nope', ''),
      }),
      { maxLength: 2 },
    ),
    dependsOn: fc.array(
      fc.oneof(fc.constantFrom('identity-session@1', 'identity-session@2', 'bad'), fc.string()),
      {
        maxLength: 2,
      },
    ),
    changes: fc.array(change, { maxLength: 6 }),
  },
  { requiredKeys: ['name', 'version', 'release', 'team', 'changes'] },
);

describe('validateBundle never throws', () => {
  it.each(contexts.map((ctx, i) => [i, ctx] as const))('on arbitrary input (context %d)', (_, ctx) => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = validateBundle(input, ctx);
        expect(result.ok).toBe(false);
        expect(result.problems.length).toBeGreaterThan(0);
      }),
    );
  });

  it.each(contexts.map((ctx, i) => [i, ctx] as const))('on bundle-shaped input (context %d)', (_, ctx) => {
    fc.assert(
      fc.property(bundleShaped, (input) => {
        const result = validateBundle(input, ctx);
        expect(result.ok).toBe(result.problems.every((p) => p.severity === 'warning'));
        for (const p of result.problems) expect(p.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(typeof validateBundle(text, contexts[1]!).ok).toBe('boolean');
      }),
    );
  });
});
