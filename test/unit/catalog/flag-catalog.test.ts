import { describe, expect, it } from 'vitest';
import { indexCatalog } from '#domain/catalog/catalog-index.ts';
import { validateCatalog } from '#domain/catalog/validate-catalog.ts';
import { catalogDocument } from '../support/catalog.ts';

const withFlags = (flags: unknown[], segments: Record<string, unknown> = {}) => ({
  ...catalogDocument(),
  flags,
  segments,
});
const codesOf = (document: unknown) =>
  validateCatalog(document).problems.map((p) => [p.code, p.path, p.severity ?? 'error']);

describe('flags in the catalog', () => {
  it.each<[string, unknown, unknown[]]>([
    [
      'a flag in a declared namespace',
      withFlags([{ key: 'payments.checkout.newFlow', type: 'boolean' }]),
      [],
    ],
    [
      'a flag in an undeclared namespace',
      withFlags([{ key: 'search.ranking.v2', type: 'boolean' }]),
      [['catalog.namespace-undeclared', 'flags[0].key', 'error']],
    ],
    [
      'a flag key that is also a parameter',
      withFlags([{ key: 'payments.checkout.mode', type: 'string' }]),
      [['catalog.duplicate', 'flags[0].key', 'error']],
    ],
    [
      'a flag declared twice',
      withFlags([
        { key: 'payments.checkout.newFlow', type: 'boolean' },
        { key: 'payments.checkout.newFlow', type: 'string' },
      ]),
      [['catalog.duplicate', 'flags[1].key', 'error']],
    ],
    [
      'a segment with a bad CIDR literal',
      withFlags([], {
        office: { constraints: [{ attribute: 'ip', operator: 'IN_CIDR', values: ['10.0.0.0/99'] }] },
      }),
      [['flag.bad-cidr', 'segments.office.constraints[0].values[0]', 'error']],
    ],
    [
      'an unknown flag type',
      withFlags([{ key: 'payments.checkout.newFlow', type: 'date' }]),
      [['field.invalid', 'flags[0].type', 'error']],
    ],
  ])('%s', (_name, document, expected) => {
    expect(codesOf(document)).toEqual(expected);
  });

  it('indexes flags by key and suggests them within their namespace', () => {
    const result = validateCatalog(withFlags([{ key: 'payments.checkout.newFlow', type: 'boolean' }]));
    if (!result.ok) throw new Error('expected a valid catalog');
    const index = indexCatalog(result.catalog);
    expect(index.flags.get('payments.checkout.newFlow')?.type).toBe('boolean');
    expect(index.keysByNamespace.get('payments')).toContain('payments.checkout.newFlow');
  });
});
