import { sample, type BenchCase } from '../bench-case.ts';
import { bundleSchema } from '#domain/bundles/bundle.ts';
import { sealBundle } from '#domain/bundles/seal.ts';
import { applyBundle } from '#domain/bundles/snapshot.ts';
import { validateBundle } from '#domain/bundles/validate-bundle.ts';
import { materialize } from '#domain/environments/config.ts';
import { largeBundleDocument, largeCatalog, largeSnapshot } from '../../unit/support/large.ts';

const SIZE = 10_000;
const catalog = largeCatalog(SIZE);
const document = largeBundleDocument(SIZE);
const sealed = sealBundle(bundleSchema.parse(document));
const snapshot = largeSnapshot(SIZE);
// Another bundle of the release that agrees on a slice of the keys, so the conflict rule has work.
const other = sealBundle(
  bundleSchema.parse({ ...document, name: 'other-change', changes: sealed.bundle.changes.slice(0, 1000) }),
);

export const cases: BenchCase[] = [
  {
    name: 'validate 10k-key bundle vs 10k-key catalog',
    target: 'median <= 100 ms',
    targetMedianMs: 100,
    run: () =>
      sample(() => {
        const result = validateBundle(document, {
          catalog,
          environment: 'prod',
          snapshot,
          services: { api: '1.4.0' },
          releaseBundles: [other],
        });
        if (!result.ok)
          throw new Error(`bench bundle is invalid: ${JSON.stringify(result.problems.slice(0, 3))}`);
      }, 30),
  },
  {
    name: 'apply bundle to 10k-key snapshot',
    target: 'report',
    run: () => sample(() => applyBundle(snapshot, sealed), 50),
  },
  {
    name: 'materialize 10k-key snapshot',
    target: 'report',
    run: () => sample(() => materialize(catalog, snapshot), 50),
  },
];
