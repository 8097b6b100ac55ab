import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyBundle, emptySnapshot, isApplied, snapshotHash } from '#domain/bundles/snapshot.ts';
import type { Snapshot } from '#domain/bundles/snapshot.ts';
import { sealed } from '../support/catalog.ts';

describe('applyBundle', () => {
  const base: Snapshot = {
    values: { 'payments.a.old': 1, 'payments.a.keep': 'k' },
    bundles: [
      { name: 'checkout-timeouts', version: '2', hash: 'h2' },
      { name: 'identity-session', version: '1', hash: 'i1' },
    ],
  };

  it('sets and deletes keys, and records the bundle once, last', () => {
    const bundle = sealed({
      changes: [
        { set: 'payments.a.new', value: { x: 1 } },
        { delete: 'payments.a.old' },
        { delete: 'payments.a.absent' },
      ],
    });
    expect(applyBundle(base, bundle)).toEqual({
      values: { 'payments.a.keep': 'k', 'payments.a.new': { x: 1 } },
      bundles: [
        { name: 'identity-session', version: '1', hash: 'i1' },
        { name: 'checkout-timeouts', version: '3', hash: bundle.hash },
      ],
    });
  });

  it('never mutates its input', () => {
    const before = structuredClone(base);
    applyBundle(base, sealed({ changes: [{ delete: 'payments.a.old' }] }));
    expect(base).toEqual(before);
  });

  it('gives content-addressed results: the same content, the same hash', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('payments.a.x', 'payments.a.y'), fc.integer()), (values) => {
        const bundle = sealed({ changes: [{ set: 'payments.a.z', value: 1 }] });
        const snapshot = { values, bundles: [] };
        expect(snapshotHash(applyBundle(snapshot, bundle))).toBe(
          snapshotHash(applyBundle(structuredClone(snapshot), bundle)),
        );
      }),
    );
  });
});

describe('isApplied', () => {
  it.each([
    ['checkout-timeouts', '2', true],
    ['checkout-timeouts', '3', false],
    ['other', '2', false],
  ])('%s@%s → %s', (name, version, applied) => {
    const snapshot: Snapshot = {
      values: {},
      bundles: [{ name: 'checkout-timeouts', version: '2', hash: 'h' }],
    };
    expect(isApplied(snapshot, { name, version })).toBe(applied);
  });

  it('finds nothing in an empty snapshot', () => {
    expect(isApplied(emptySnapshot(), { name: 'a', version: '1' })).toBe(false);
  });
});
