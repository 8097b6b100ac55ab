import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundleSchema } from '#domain/bundles/bundle.ts';
import { flagDefinitionSchema } from '#domain/flags/flag.ts';
import { importUnleash } from '#domain/flags/unleash-import.ts';
import { flagKey, importedBundle } from '#cli/flag-import-bundle.ts';

const payload = JSON.parse(readFileSync('test/fixtures/flags/cli/unleash-features.json', 'utf8')) as unknown;
const meta = { name: 'unleash-import', version: '1', release: 'unreleased', team: 'growth' };

describe('flagKey', () => {
  it.each([
    ['F9.globalSegmentOn', undefined, 'F9.globalSegmentOn'],
    ['F9.globalSegmentOn', 'growth', 'growth.F9.globalSegmentOn'],
    ['Feature A', 'growth', 'growth.Feature_A'],
    ['payments.checkout.newFlow', undefined, 'payments.checkout.newFlow'],
    ['ünicode.flag', 'ns', 'ns._nicode.flag'],
  ])('%s in %s → %s', (name, namespace, key) => {
    expect(flagKey(name, namespace)).toBe(key);
  });
});

describe('importedBundle', () => {
  it('sets every flag under its key, renames prerequisites, keeps segments apart', () => {
    const result = importedBundle(importUnleash(payload), { ...meta, namespace: 'growth' });
    expect(bundleSchema.safeParse(result.bundle).success).toBe(true);
    for (const change of result.bundle.changes) {
      expect(flagDefinitionSchema.safeParse(change.value).success).toBe(true);
    }
    // Golden, as prettier formats it (compared parsed).
    const golden = readFileSync('test/fixtures/flags/cli/unleash-import.json', 'utf8');
    expect(result).toEqual(JSON.parse(golden));
  });

  it('warns of keys the catalog refuses (no namespace)', () => {
    const result = importedBundle(
      importUnleash({
        version: 1,
        features: [{ name: 'solo', enabled: true, strategies: [{ name: 'default' }] }],
      }),
      meta,
    );
    expect(result.problems).toEqual([expect.objectContaining({ code: 'flag-import.key', key: 'solo' })]);
  });

  it('renames prerequisites with the flags', () => {
    const result = importedBundle(
      importUnleash({
        version: 1,
        features: [
          { name: 'parent', enabled: true, strategies: [{ name: 'default' }] },
          {
            name: 'child',
            enabled: true,
            strategies: [{ name: 'default' }],
            dependencies: [{ feature: 'parent' }],
          },
        ],
      }),
      { ...meta, namespace: 'ns' },
    );
    const child = result.bundle.changes.find((c) => c.set === 'ns.child');
    expect(child?.value.prerequisites).toEqual([{ flag: 'ns.parent', variants: ['on'] }]);
    expect(result.problems).toEqual([]);
  });
});
