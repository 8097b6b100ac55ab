import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyBundle, emptySnapshot } from '#domain/bundles/snapshot.ts';
import { sealBundle } from '#domain/bundles/seal.ts';
import { bundleSchema } from '#domain/bundles/bundle.ts';
import { catalogSchema } from '#domain/catalog/catalog.ts';
import { validateStrategy } from '#domain/rollout/validate-strategy.ts';

const read = (path: string): unknown =>
  parse(readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8'));

describe('examples/rollouts/new-flow-eu.yaml', () => {
  it('is valid against the demo catalog and the flag as checkout-flags@1 deploys it', () => {
    const catalog = catalogSchema.parse(read('examples/catalog.yaml'));
    const bundle = sealBundle(bundleSchema.parse(read('examples/bundles/checkout-flags.yaml')));
    const values = applyBundle(emptySnapshot(), bundle).values;
    const result = validateStrategy(read('examples/rollouts/new-flow-eu.yaml'), catalog, {
      'prod-eu': values,
    });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
