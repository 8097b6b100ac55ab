import { describe, expect, it } from 'vitest';
import { compareVersions, releaseConflicts } from '#domain/bundles/release-conflicts.ts';
import type { SealedBundle } from '#domain/bundles/bundle.ts';
import { validateBundle } from '#domain/bundles/validate-bundle.ts';
import { bundleDocument, parsedBundle, sampleCatalog, sealed } from '../support/catalog.ts';

const mine = parsedBundle({
  changes: [
    { set: 'payments.checkout.timeoutMs', value: 2500 },
    { set: 'payments.checkout.limits', value: { max: 3 } },
    { delete: 'payments.checkout.legacyMode' },
  ],
});
const other = (overrides: Record<string, unknown>): SealedBundle =>
  sealed({ name: 'other-change', version: '1', ...overrides });

describe('releaseConflicts', () => {
  it.each<[string, SealedBundle[], string[]]>([
    [
      'a different value for the same key',
      [other({ changes: [{ set: 'payments.checkout.timeoutMs', value: 3000 }] })],
      [
        'payments.checkout.timeoutMs: this bundle sets it to 2500, but other-change@1 of release 2026.12-R1 sets it to 3000',
      ],
    ],
    [
      'a delete of a key this bundle sets',
      [other({ changes: [{ delete: 'payments.checkout.timeoutMs' }] })],
      [
        'payments.checkout.timeoutMs: this bundle sets it to 2500, but other-change@1 of release 2026.12-R1 deletes it',
      ],
    ],
    [
      'a set of a key this bundle deletes',
      [other({ changes: [{ set: 'payments.checkout.legacyMode', value: true }] })],
      [
        'payments.checkout.legacyMode: this bundle deletes it, but other-change@1 of release 2026.12-R1 sets it to true',
      ],
    ],
    [
      'the same value (key order aside)',
      [other({ changes: [{ set: 'payments.checkout.limits', value: { max: 3 } }] })],
      [],
    ],
    ['two deletes', [other({ changes: [{ delete: 'payments.checkout.legacyMode' }] })], []],
    ['different keys', [other({ changes: [{ set: 'payments.checkout.mode', value: 'fast' }] })], []],
    [
      'another release',
      [other({ release: '2027.01-R1', changes: [{ set: 'payments.checkout.timeoutMs', value: 1 }] })],
      [],
    ],
    [
      'an older version of the bundle itself',
      [sealed({ version: '2', changes: [{ set: 'payments.checkout.timeoutMs', value: 1 }] })],
      [],
    ],
    [
      'an outdated version of another bundle (only the latest counts)',
      [
        other({ version: '10', changes: [{ set: 'payments.checkout.timeoutMs', value: 2500 }] }),
        other({ version: '9', changes: [{ set: 'payments.checkout.timeoutMs', value: 1 }] }),
        other({ version: '2', changes: [{ set: 'payments.checkout.timeoutMs', value: 1 }] }),
      ],
      [],
    ],
  ])('with %s', (_, releaseBundles, messages) => {
    const problems = releaseConflicts(mine, releaseBundles);
    expect(problems.map((p) => p.message)).toEqual(messages);
    for (const p of problems)
      expect(p).toMatchObject({ code: 'release.conflict', key: p.message.split(':')[0] });
  });

  it('points at the conflicting change and names every other bundle in name order', () => {
    const problems = releaseConflicts(mine, [
      other({ name: 'zeta', changes: [{ delete: 'payments.checkout.timeoutMs' }] }),
      other({ name: 'alpha', changes: [{ set: 'payments.checkout.legacyMode', value: false }] }),
    ]);
    expect(problems.map((p) => [p.path, p.message.split(', but ')[1]])).toEqual([
      ['changes[2]', 'alpha@1 of release 2026.12-R1 sets it to false'],
      ['changes[0]', 'zeta@1 of release 2026.12-R1 deletes it'],
    ]);
  });

  it('is part of validateBundle', () => {
    const result = validateBundle(bundleDocument(), {
      catalog: sampleCatalog(),
      releaseBundles: [other({ changes: [{ set: 'payments.checkout.timeoutMs', value: 3000 }] })],
    });
    expect(result.problems.map((p) => p.code)).toEqual(['release.conflict']);
  });
});

describe('compareVersions', () => {
  it.each([
    ['2', '10', -1],
    ['1.9.0', '1.10.0', -1],
    ['2026-12-02', '2026-12-01', 1],
    ['3', '3', 0],
  ])('%s vs %s → %d', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });
});
