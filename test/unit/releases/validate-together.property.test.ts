import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyBundle, emptySnapshot } from '#domain/bundles/snapshot.ts';
import { coverageOf, environmentStatus } from '#domain/releases/environment-status.ts';
import { pushedOf } from '#domain/releases/release-bundles.ts';
import { validateReleaseTogether } from '#domain/releases/validate-together.ts';
import { RELEASE, releaseBundles, releaseCatalog, services } from '../../fixtures/releases/three-teams.ts';

const catalog = releaseCatalog();
const bundles = releaseBundles();
const full = bundles.reduce(applyBundle, emptySnapshot());

describe('a release applied together (properties)', () => {
  it('whichever of its bundles are live already, the result has the same values as deploying it whole', () => {
    fc.assert(
      fc.property(fc.subarray(bundles), (live) => {
        const snapshot = live.reduce(applyBundle, emptySnapshot());
        const result = validateReleaseTogether(bundles, 'prod', catalog, { snapshot, services });
        expect(result.ok).toBe(true);
        expect(result.next?.values).toEqual(full.values);
        expect(result.applied.length + result.live.length).toBe(bundles.length);
        const before = environmentStatus(RELEASE, bundles.map(pushedOf), {
          name: 'prod',
          live: snapshot.bundles,
        });
        const after = environmentStatus(RELEASE, bundles.map(pushedOf), {
          name: 'prod',
          live: result.next?.bundles ?? [],
        });
        expect(before.status).toBe(coverageOf(before.bundles));
        expect(before.status).toBe(
          live.length === 0 ? 'none' : live.length === bundles.length ? 'complete' : 'partial',
        );
        expect(after.status).toBe('complete');
      }),
    );
  });
});
