import { describe, expect, it } from 'vitest';
import { validateBundle } from '#domain/bundles/validate-bundle.ts';
import { catalogSchema } from '#domain/catalog/catalog.ts';
import { compileJsonSchema, linearRegExp } from '#domain/catalog/json-schema.ts';
import { validateCatalog } from '#domain/catalog/validate-catalog.ts';
import type { JsonObject } from '#domain/core/json.ts';
import { bundleDocument, catalogDocument } from '../support/catalog.ts';

/** User patterns (a string parameter's `pattern`, a JSON Schema's) run in linear time, or are refused. */

const HOSTILE = '^(a+)+$';
const hostileValue = `${'a'.repeat(10_000)}!`;
const linear = 'patterns run on a linear-time engine, which has no backreferences or lookaround';

const withParameter = (parameter: Record<string, unknown>) => {
  const doc = catalogDocument();
  doc.parameters.push(parameter as (typeof doc.parameters)[number]);
  return doc;
};
const problemsOf = (parameter: Record<string, unknown>) =>
  validateCatalog(withParameter(parameter)).problems.map(({ code, key, path }) => ({ code, key, path }));
const key = 'payments.x.code';

describe('a catalog names every pattern the linear-time engine refuses', () => {
  it.each<[string, Record<string, unknown>, { code: string; path: string }[]]>([
    [
      'a backreference in a parameter pattern',
      { key, type: 'string', pattern: '(a)\\1' },
      [{ code: 'catalog.pattern-unsupported', path: 'parameters[11].pattern' }],
    ],
    [
      'a lookahead in a parameter pattern',
      { key, type: 'string', pattern: '^(?=.*\\d)' },
      [{ code: 'catalog.pattern-unsupported', path: 'parameters[11].pattern' }],
    ],
    [
      'a syntax error in a parameter pattern',
      { key, type: 'string', pattern: '([a-z]' },
      [{ code: 'catalog.pattern-invalid', path: 'parameters[11].pattern' }],
    ],
    [
      'a lookbehind in a JSON Schema property',
      { key, type: 'json', schema: { properties: { id: { type: 'string', pattern: '(?<=x)y' } } } },
      [{ code: 'catalog.pattern-unsupported', path: 'parameters[11].schema.properties.id.pattern' }],
    ],
    [
      'a backreference naming patternProperties',
      { key, type: 'json', schema: { patternProperties: { '(a)\\1': { type: 'string' } } } },
      [{ code: 'catalog.pattern-unsupported', path: 'parameters[11].schema.patternProperties["(a)\\\\1"]' }],
    ],
    [
      'patterns in lists, definitions and dependencies, all at once',
      {
        key,
        type: 'json',
        schema: {
          allOf: [{ pattern: '(?!a)' }, { type: 'object' }],
          items: [{ type: 'string', pattern: '(' }],
          definitions: { tag: { type: 'string', pattern: '\\k<n>(?<n>a)' } },
          dependencies: { a: ['b'], c: { properties: { d: { pattern: 'ok' } } } },
        },
      },
      [
        { code: 'catalog.pattern-unsupported', path: 'parameters[11].schema.allOf[0].pattern' },
        { code: 'catalog.pattern-invalid', path: 'parameters[11].schema.items[0].pattern' },
        { code: 'catalog.pattern-unsupported', path: 'parameters[11].schema.definitions.tag.pattern' },
      ],
    ],
    [
      'an otherwise invalid JSON Schema, as before',
      { key, type: 'json', schema: { properties: 5 } },
      [{ code: 'catalog.json-schema-invalid', path: 'parameters[11].schema' }],
    ],
  ])('%s', (_, parameter, expected) => {
    expect(problemsOf(parameter)).toEqual(expected.map((found) => ({ ...found, key })));
  });

  it('says why, naming the pattern', () => {
    const result = validateCatalog(
      withParameter({ key, type: 'json', schema: { properties: { id: { pattern: '(a)\\1' } } } }),
    );
    expect(result.problems).toEqual([
      {
        code: 'catalog.pattern-unsupported',
        key,
        path: 'parameters[11].schema.properties.id.pattern',
        message: `the JSON Schema's pattern /(a)\\1/ uses a backreference \`\\1\`; ${linear}`,
      },
    ]);
  });

  it('accepts a hostile but linear-time pattern', () => {
    expect(validateCatalog(withParameter({ key, type: 'string', pattern: HOSTILE })).ok).toBe(true);
  });
});

describe('validating a hostile value completes, with the right problem', () => {
  const catalogWith = (parameter: Record<string, unknown>) =>
    catalogSchema.parse(withParameter({ key, ...parameter }));
  const bundle = (value: unknown) => bundleDocument({ changes: [{ set: key, value }] });

  it.each<[string, Record<string, unknown>, unknown, string]>([
    [
      'a parameter pattern',
      { type: 'string', pattern: HOSTILE },
      hostileValue,
      `${key} must match /^(a+)+$/, got "${'a'.repeat(76)}...`,
    ],
    [
      'a JSON Schema pattern',
      { type: 'json', schema: { type: 'object', properties: { id: { type: 'string', pattern: HOSTILE } } } },
      { id: hostileValue },
      `${key} does not match the parameter's JSON Schema: value/id must match pattern "^(a+)+$"`,
    ],
    [
      'a JSON Schema pattern property',
      { type: 'json', schema: { patternProperties: { [HOSTILE]: { type: 'integer' } } } },
      { [hostileValue]: 1, aaa: 'x' },
      `${key} does not match the parameter's JSON Schema: value/aaa must be integer`,
    ],
  ])('%s', (_, parameter, value, message) => {
    const result = validateBundle(bundle(value), { catalog: catalogWith(parameter) });
    expect(result.problems).toEqual([{ code: 'value.invalid', key, path: 'changes[0].value', message }]);
  });
});

describe('the JSON Schema regular-expression engine', () => {
  it('hands Ajv linear-time matchers, one per pattern', () => {
    const compiled = compileJsonSchema({
      type: 'object',
      properties: { a: { type: 'string', pattern: '^x$' }, b: { type: 'string', pattern: '^y$' } },
    });
    if (!compiled.ok) throw new Error(compiled.message);
    expect(compiled.validate({ a: 'x', b: 'y' })).toBe(true);
    expect(compiled.validate({ a: 'y', b: 'x' })).toBe(false);
    expect(linearRegExp('^a+$', 'u').test('aaa')).toBe(true);
    expect(linearRegExp.code).toBe('compileLinearRegex');
  });

  it('throws for a pattern it refuses (Ajv reports the schema invalid)', () => {
    expect(() => linearRegExp('(a)\\1', 'u')).toThrow(`pattern /(a)\\1/ uses a backreference`);
  });

  it('reports refused patterns with their paths', () => {
    const schema: JsonObject = { not: { pattern: '(?=a)' } };
    expect(compileJsonSchema(schema)).toMatchObject({
      ok: false,
      patterns: [{ path: ['not', 'pattern'], reason: 'unsupported' }],
    });
  });
});
