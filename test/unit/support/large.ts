import type { SealedBundle } from '#domain/bundles/bundle.ts';
import type { Snapshot } from '#domain/bundles/snapshot.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import type { JsonValue } from '#domain/core/json.ts';

/** Key i of the large fixtures, spread over 10 namespaces and groups of 100. */
export const largeKey = (i: number): string => `ns${i % 10}.group${Math.floor(i / 100)}.param${i}`;

/** Every tenth key is an integer defaulting to a reference to its (integer) neighbour. */
const isReference = (i: number): boolean => i % 10 === 9;

/**
 * A catalog of `size` parameters over 10 namespaces owned by team platform: bounded integers,
 * strings with a pattern, and every tenth key a reference.
 */
export const largeCatalog = (size: number): Catalog => ({
  environments: [{ name: 'dev' }, { name: 'staging' }, { name: 'prod' }],
  strategies: [],
  teams: [{ name: 'platform' }],
  namespaces: Array.from({ length: 10 }, (_, i) => ({ name: `ns${i}`, owner: 'platform' })),
  parameters: Array.from({ length: size }, (_, i) => {
    const key = largeKey(i);
    if (isReference(i)) return { key, type: 'integer' as const, default: `\${${largeKey(i - 1)}}` };
    if (i % 2 === 0) return { key, type: 'integer' as const, min: 0, max: 1_000_000, default: i };
    return { key, type: 'string' as const, pattern: '^[a-z0-9-]+$', default: `value-${i}` };
  }),
  services: [{ name: 'api', team: 'platform', consumes: ['ns0.**'] }],
  roles: [{ principal: 'olivia', roles: ['release-manager'] }],
});

const changedValue = (i: number): JsonValue =>
  isReference(i) ? `\${${largeKey(i - 1)}}` : i % 2 === 0 ? i + 1 : `changed-${i}`;

/** A bundle document of team platform setting each of the first `size` keys to a value that fits. */
export const largeBundleDocument = (size: number): Record<string, unknown> => ({
  name: 'big-change',
  version: '1',
  release: '2026.12-R1',
  team: 'platform',
  requires: [{ service: 'api', range: '>=1.0.0' }],
  changes: Array.from({ length: size }, (_, i) => ({ set: largeKey(i), value: changedValue(i) })),
});

/** A snapshot with an explicit value for each of the first `size` keys. */
export const largeSnapshot = (size: number, applied: readonly SealedBundle[] = []): Snapshot => ({
  values: Object.fromEntries(
    Array.from({ length: size }, (_, i) => [
      largeKey(i),
      isReference(i) ? i : i % 2 === 0 ? i * 2 : `snap-${i}`,
    ]),
  ),
  bundles: applied.map(({ bundle, hash }) => ({ name: bundle.name, version: bundle.version, hash })),
});
