import { describe, expect, it } from 'vitest';
import type { ParameterSchema } from '#domain/catalog/catalog.ts';
import { compileJsonSchema } from '#domain/catalog/json-schema.ts';
import { checkValue } from '#domain/catalog/parameter-value.ts';
import type { JsonValue } from '#domain/core/json.ts';

const key = 'payments.checkout.x';
const integer: ParameterSchema = { key, type: 'integer', min: 100, max: 30000 };
const limits: ParameterSchema = {
  key,
  type: 'json',
  schema: {
    type: 'object',
    properties: { max: { type: 'integer' } },
    required: ['max'],
    additionalProperties: false,
  },
};

describe('checkValue', () => {
  it.each<[string, ParameterSchema, JsonValue, string | undefined]>([
    ['an integer in range', integer, 2500, undefined],
    ['an integer above max', integer, 50000, 'must be an integer between 100 and 30000, got 50000'],
    ['an integer below min', integer, 50, 'must be an integer between 100 and 30000, got 50'],
    ['a fraction for an integer', integer, 250.5, 'must be an integer between 100 and 30000, got 250.5'],
    ['a string for an integer', integer, '2500', 'must be an integer between 100 and 30000, got "2500"'],
    ['an integer with only a min', { key, type: 'integer', min: 1 }, 0, 'must be an integer >= 1, got 0'],
    ['an integer with only a max', { key, type: 'integer', max: 1 }, 2, 'must be an integer <= 1, got 2'],
    ['an unbounded integer', { key, type: 'integer' }, -7, undefined],
    ['a number in range', { key, type: 'number', min: 0, max: 1 }, 0.25, undefined],
    [
      'a number out of range',
      { key, type: 'number', min: 0, max: 1 },
      1.5,
      'must be a number between 0 and 1, got 1.5',
    ],
    ['null for a number', { key, type: 'number' }, null, 'must be a number, got null'],
    ['a boolean', { key, type: 'boolean' }, false, undefined],
    ['a string for a boolean', { key, type: 'boolean' }, 'yes', 'must be true or false, got "yes"'],
    ['a string', { key, type: 'string' }, 'anything', undefined],
    ['an array for a string', { key, type: 'string' }, ['a'], 'must be a string, got an array'],
    ['an object for a string', { key, type: 'string' }, { a: 1 }, 'must be a string, got an object'],
    ['an enum member', { key, type: 'string', enum: ['fast', 'safe'] }, 'safe', undefined],
    [
      'a non-member',
      { key, type: 'string', enum: ['fast', 'safe'] },
      'slow',
      'must be one of "fast", "safe", got "slow"',
    ],
    [
      'a string too short',
      { key, type: 'string', minLength: 3 },
      'ab',
      'must be a string of >= 3 characters, got 2',
    ],
    [
      'a string too long',
      { key, type: 'string', maxLength: 2 },
      'abc',
      'must be a string of <= 2 characters, got 3',
    ],
    ['code points, not UTF-16 units', { key, type: 'string', maxLength: 2 }, '😀😀', undefined],
    ['a string in length bounds', { key, type: 'string', minLength: 1, maxLength: 3 }, 'ab', undefined],
    [
      'a pattern match (unanchored)',
      { key, type: 'string', pattern: 'https://' },
      'see https://x',
      undefined,
    ],
    [
      'a pattern miss',
      { key, type: 'string', pattern: '^https://' },
      'http://x',
      'must match /^https:///, got "http://x"',
    ],
    [
      'an invalid pattern',
      { key, type: 'string', pattern: '(' },
      'x',
      'cannot be checked: pattern /(/ is not a valid regular expression',
    ],
    ['a duration', { key, type: 'duration' }, 'P1DT2H', undefined],
    ['a month duration without bounds', { key, type: 'duration' }, 'P1M', undefined],
    [
      'a malformed duration',
      { key, type: 'duration' },
      '5m',
      'must be an ISO 8601 duration such as PT5M or P1DT2H, got "5m"',
    ],
    [
      'a number for a duration',
      { key, type: 'duration' },
      300,
      'must be an ISO 8601 duration such as PT5M or P1DT2H, got 300',
    ],
    ['a duration in bounds', { key, type: 'duration', min: 'PT1S', max: 'PT1H' }, 'PT30M', undefined],
    [
      'a duration above max',
      { key, type: 'duration', min: 'PT1S', max: 'PT1H' },
      'PT2H',
      'must be a duration between PT1S and PT1H, got "PT2H"',
    ],
    [
      'a duration below min',
      { key, type: 'duration', min: 'PT1M' },
      'PT1S',
      'must be a duration >= PT1M, got "PT1S"',
    ],
    [
      'months against bounds',
      { key, type: 'duration', max: 'P60D' },
      'P1M',
      'must not use years or months (their length varies) because this parameter has bounds; use days or weeks, got "P1M"',
    ],
    [
      'a bound that is not a duration (reported by the catalog)',
      { key, type: 'duration', max: 'soon' },
      'PT1H',
      undefined,
    ],
    ['JSON matching its schema', limits, { max: 3 }, undefined],
    [
      'JSON missing a property',
      limits,
      {},
      "does not match the parameter's JSON Schema: value must have required property 'max'",
    ],
    [
      'JSON with two violations',
      limits,
      { max: 'x', extra: 1 },
      "does not match the parameter's JSON Schema: value must NOT have additional properties; value/max must be integer",
    ],
    ['any JSON without a schema', { key, type: 'json' }, [1, { a: null }], undefined],
    [
      'JSON under an invalid schema',
      { key, type: 'json', schema: { type: 'nope' } },
      1,
      "cannot be checked: the parameter's JSON Schema is invalid (schema is invalid: data/type must be equal to one of the allowed values, data/type must be array, data/type must match a schema in anyOf)",
    ],
  ])('%s', (_, schema, value, message) => {
    expect(checkValue(schema, value)).toBe(message);
  });

  it.each<[ParameterSchema, JsonValue]>([
    [integer, '${payments.checkout.other}'],
    [{ key, type: 'string', pattern: '^https://' }, '${payments.host}/path'],
    [limits, { max: '${payments.checkout.max}' }],
  ])('leaves values with references for after resolution: %j', (schema, value) => {
    expect(checkValue(schema, value)).toBeUndefined();
  });

  it('shortens long values in messages', () => {
    expect(checkValue(integer, 'x'.repeat(200))).toBe(
      `must be an integer between 100 and 30000, got "${'x'.repeat(76)}...`,
    );
  });
});

describe('compileJsonSchema', () => {
  it('compiles a schema once per content, whatever object carries it', () => {
    const first = compileJsonSchema({ type: 'integer', minimum: 1 });
    expect(compileJsonSchema({ minimum: 1, type: 'integer' })).toBe(first);
  });

  it.each([
    [{ type: 'integer', minimun: 1 }, /unknown keyword: "minimun"/],
    [{ $ref: 'https://example.com/remote.json' }, /can't resolve reference/],
  ])('rejects %j', (schema, message) => {
    const compiled = compileJsonSchema(schema);
    expect(compiled.ok).toBe(false);
    expect(!compiled.ok && compiled.message).toMatch(message);
  });

  it('lets two catalogs reuse one $id, and keeps working past its cache limit', () => {
    expect(compileJsonSchema({ $id: 'limits', type: 'integer' }).ok).toBe(true);
    expect(compileJsonSchema({ $id: 'limits', type: 'string' }).ok).toBe(true);
    for (let i = 0; i < 520; i += 1) expect(compileJsonSchema({ type: 'integer', maximum: i }).ok).toBe(true);
  });
});

describe('string patterns', () => {
  it('match Unicode patterns in linear time, even hostile ones', () => {
    expect(checkValue({ key, type: 'string', pattern: '^\\p{L}+$' }, 'héllo')).toBeUndefined();
    expect(checkValue({ key, type: 'string', pattern: '^(a+)+$' }, `${'a'.repeat(10_000)}!`)).toMatch(
      /^must match \/\^\(a\+\)\+\$\/, got "a{76}\.\.\.$/,
    );
  });

  it('cannot check a value against a pattern the linear-time engine refuses', () => {
    expect(checkValue({ key, type: 'string', pattern: '(a)\\1' }, 'aa')).toBe(
      'cannot be checked: pattern /(a)\\1/ uses a backreference `\\1`; patterns run on a linear-time engine, which has no backreferences or lookaround',
    );
  });
});
