import { describe, expect, it } from 'vitest';
import type { Snapshot } from '#domain/bundles/snapshot.ts';
import { validateBundle } from '#domain/bundles/validate-bundle.ts';
import { catalogSchema } from '#domain/catalog/catalog.ts';
import { validateCatalog } from '#domain/catalog/validate-catalog.ts';
import { bundleDocument, catalogDocument } from '../support/catalog.ts';

/**
 * The catalog's `context` declares attribute types; a constraint on an undeclared attribute, or with
 * an operator its declared type does not fit, is a problem with a stable code (the issue's
 * "unknown context attribute type"), in bundles and in catalog segments alike.
 */
const FLAG = 'payments.checkout.newFlow';
const context = {
  country: 'string',
  age: 'number',
  appVersion: 'semver',
  signup: 'date',
  ip: 'ip',
  beta: 'boolean',
} as const;
const catalog = catalogSchema.parse({
  ...catalogDocument(),
  flags: [{ key: FLAG, type: 'boolean' }],
  context,
});
const snapshot: Snapshot = { values: {}, bundles: [] };
const problemsOf = (constraint: Record<string, unknown>) =>
  validateBundle(
    bundleDocument({
      changes: [
        {
          set: FLAG,
          value: { type: 'boolean', enabled: true, rules: [{ constraints: [constraint], variant: 'on' }] },
        },
      ],
    }),
    { catalog, environment: 'prod-eu', snapshot },
  ).problems.map((p) => [p.code, p.path]);

const at = (field: string) => `changes[0].value.rules[0].constraints[0].${field}`;

describe('context attribute schema', () => {
  it.each<[string, Record<string, unknown>, string[][]]>([
    ['NUM_* on a number', { attribute: 'age', operator: 'NUM_GTE', value: '18' }, []],
    [
      'NUM_* on a string',
      { attribute: 'country', operator: 'NUM_GT', value: '3' },
      [['flag.attribute-type', at('operator')]],
    ],
    ['SEMVER_* on a semver', { attribute: 'appVersion', operator: 'SEMVER_GTE', value: '2.0.0' }, []],
    [
      'SEMVER_* on a number',
      { attribute: 'age', operator: 'SEMVER_GT', value: '1.0.0' },
      [['flag.attribute-type', at('operator')]],
    ],
    [
      'SEMVER_* on a boolean',
      { attribute: 'beta', operator: 'SEMVER_EQ', value: '1.0.0' },
      [['flag.attribute-type', at('operator')]],
    ],
    ['DATE_* on a date', { attribute: 'signup', operator: 'DATE_AFTER', value: '2026-01-01T00:00:00Z' }, []],
    [
      'DATE_* on a string',
      { attribute: 'country', operator: 'DATE_BEFORE', value: '2026-01-01T00:00:00Z' },
      [['flag.attribute-type', at('operator')]],
    ],
    ['IN_CIDR on an ip', { attribute: 'ip', operator: 'IN_CIDR', values: ['10.0.0.0/8'] }, []],
    [
      'IN_CIDR on a number',
      { attribute: 'age', operator: 'IN_CIDR', values: ['10.0.0.0/8'] },
      [['flag.attribute-type', at('operator')]],
    ],
    [
      'STR_* on a number',
      { attribute: 'age', operator: 'STR_STARTS_WITH', values: ['1'] },
      [['flag.attribute-type', at('operator')]],
    ],
    ['IN on any type', { attribute: 'beta', operator: 'IN', values: ['true'] }, []],
    [
      'an undeclared attribute',
      { attribute: 'plan', operator: 'IN', values: ['pro'] },
      [['flag.unknown-attribute', at('attribute')]],
    ],
    ['targetingKey needs no declaration', { attribute: 'targetingKey', operator: 'IN', values: ['u1'] }, []],
  ])('%s', (_name, constraint, expected) => {
    expect(problemsOf(constraint)).toEqual(expected);
  });

  it('catalog segments are checked against the same schema', () => {
    const result = validateCatalog({
      ...catalogDocument(),
      context,
      segments: {
        adults: {
          constraints: [{ attribute: 'country', operator: 'NUM_GTE', value: '18' }],
        },
      },
    });
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.code)).toContain('flag.attribute-type');
  });

  it('an attribute type outside the vocabulary is a catalog problem', () => {
    const result = validateCatalog({ ...catalogDocument(), context: { country: 'text' } });
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.path)).toContain('context.country');
  });

  it('without a context schema, any attribute and operator pass (as before)', () => {
    const open = catalogSchema.parse({ ...catalogDocument(), flags: [{ key: FLAG, type: 'boolean' }] });
    const document = bundleDocument({
      changes: [
        {
          set: FLAG,
          value: {
            type: 'boolean',
            enabled: true,
            rules: [{ constraints: [{ attribute: 'x', operator: 'NUM_GT', value: '1' }], variant: 'on' }],
          },
        },
      ],
    });
    expect(validateBundle(document, { catalog: open, environment: 'prod-eu', snapshot }).problems).toEqual(
      [],
    );
  });
});
