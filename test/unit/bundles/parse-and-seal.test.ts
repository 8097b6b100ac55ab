import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '#domain/core/document.ts';
import { parseBundle } from '#domain/bundles/parse-bundle.ts';
import { sealBundle } from '#domain/bundles/seal.ts';
import { bundleDocument, parsedBundle } from '../support/catalog.ts';

describe('parseBundle', () => {
  it('parses a bundle document, normalising versions and dependencies', () => {
    expect(parseBundle(bundleDocument({ version: 3, dependsOn: ['identity-session@2'] }))).toEqual({
      ok: true,
      bundle: { ...parsedBundle(), dependsOn: [{ name: 'identity-session', version: '2' }] },
    });
  });

  it('reports field problems', () => {
    expect(parseBundle({ ...bundleDocument(), extra: 1 })).toEqual({
      ok: false,
      problems: [{ code: 'field.unknown', path: 'extra', message: 'unknown field "extra"' }],
    });
  });

  it('reports each change that touches a key already changed', () => {
    const result = parseBundle(
      bundleDocument({
        changes: [
          { set: 'payments.a.b', value: 1 },
          { delete: 'payments.a.b' },
          { set: 'payments.a.c', value: 1 },
          { set: 'payments.a.b', value: 2 },
        ],
      }),
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          code: 'change.duplicate-key',
          key: 'payments.a.b',
          path: 'changes[1]',
          message: 'payments.a.b is changed twice (changes[0] and changes[1]); a bundle changes a key once',
        },
        {
          code: 'change.duplicate-key',
          key: 'payments.a.b',
          path: 'changes[3]',
          message: 'payments.a.b is changed twice (changes[0] and changes[3]); a bundle changes a key once',
        },
      ],
    });
  });

  it('parses its own output to itself', () => {
    const once = parsedBundle({ dependsOn: ['identity-session@2'], labels: { tier: 'gold' } });
    expect(parseBundle(once)).toEqual({ ok: true, bundle: once });
  });
});

describe('sealBundle', () => {
  it('hashes the canonical JSON of the parsed bundle', () => {
    expect(sealBundle(parsedBundle()).hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same hash to the same content authored as YAML, JSON or in another key order', () => {
    const yaml = [
      'changes:',
      '  - value: 2500',
      '    set: payments.checkout.timeoutMs',
      'team: payments',
      'release: 2026.12-R1',
      'version: 3',
      'name: checkout-timeouts',
    ].join('\n');
    const fromYaml = parseDocument(yaml);
    const parsed = fromYaml.ok ? parseBundle(fromYaml.value) : undefined;
    expect(parsed?.ok && sealBundle(parsed.bundle).hash).toBe(sealBundle(parsedBundle()).hash);
  });

  it('is stable under the key order of the authored document', () => {
    const document = bundleDocument({
      description: 'Raise timeouts',
      labels: { tier: 'gold', owner: 'payments' },
      changes: [{ set: 'payments.checkout.limits', value: { max: 3, min: 1, nested: { b: 1, a: 2 } } }],
    });
    const reorder = (value: unknown, seed: number): unknown => {
      if (Array.isArray(value)) return value.map((v) => reorder(v, seed));
      if (value === null || typeof value !== 'object') return value;
      const entries = Object.entries(value);
      const rotated = [...entries.slice(seed % entries.length), ...entries.slice(0, seed % entries.length)];
      return Object.fromEntries(rotated.map(([k, v]) => [k, reorder(v, seed + 1)]));
    };
    const expected = sealBundle(parsedBundle(document)).hash;
    fc.assert(
      fc.property(fc.nat(20), (seed) => {
        const result = parseBundle(reorder(document, seed));
        expect(result.ok && sealBundle(result.bundle).hash).toBe(expected);
      }),
    );
  });

  it('changes the hash when the content changes', () => {
    expect(sealBundle(parsedBundle({ version: '4' })).hash).not.toBe(sealBundle(parsedBundle()).hash);
  });
});
