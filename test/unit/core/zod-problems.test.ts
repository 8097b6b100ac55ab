import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bundleSchema } from '#domain/bundles/bundle.ts';
import { catalogSchema } from '#domain/catalog/catalog.ts';
import { MAX_DEPTH } from '#domain/core/json.ts';
import { formatPath, parseWith, problemsFromZod, typeName } from '#domain/core/zod-problems.ts';
import { bundleDocument } from '../support/catalog.ts';

const problemsOf = (schema: z.ZodType, value: unknown) => {
  const result = parseWith(schema, value);
  if (result.ok) throw new Error('expected the value to be rejected');
  return result.problems.map(({ code, path, message }) => ({ code, path, message }));
};

describe('parseWith on bundles', () => {
  it.each([
    [
      'an unknown top-level field',
      { extra: 1 },
      [{ code: 'field.unknown', path: 'extra', message: 'unknown field "extra"' }],
    ],
    [
      'a missing field',
      { release: undefined },
      [{ code: 'field.required', path: 'release', message: 'missing required field "release"' }],
    ],
    [
      'a wrong type',
      { team: 7 },
      [{ code: 'field.type', path: 'team', message: 'expected string, got number' }],
    ],
    [
      'a name breaking its pattern',
      { name: 'Bad Name' },
      [
        {
          code: 'field.invalid',
          path: 'name',
          message: 'must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit',
        },
      ],
    ],
    [
      'a set without a value',
      { changes: [{ set: 'payments.checkout.timeoutMs' }] },
      [{ code: 'field.required', path: 'changes[0].value', message: 'missing required field "value"' }],
    ],
    [
      'an unknown field inside a change',
      {
        changes: [
          { set: 'payments.a.b', value: 1 },
          { set: 'payments.a.c', value: 1, extra: true },
        ],
      },
      [{ code: 'field.unknown', path: 'changes[1].extra', message: 'unknown field "extra"' }],
    ],
    [
      'a delete of a number',
      { changes: [{ delete: 5 }] },
      [{ code: 'field.type', path: 'changes[0].delete', message: 'expected string, got number' }],
    ],
    [
      'a value that is not JSON',
      { changes: [{ set: 'payments.a.b', value: Infinity }] },
      [
        {
          code: 'field.type',
          path: 'changes[0].value',
          message: 'expected string, number, boolean, null, array or object, got Infinity',
        },
      ],
    ],
    [
      'an empty change list (custom message kept)',
      { changes: [] },
      [{ code: 'field.invalid', path: 'changes', message: 'a bundle must change at least one key' }],
    ],
    [
      'a malformed dependency',
      { dependsOn: ['no-version'] },
      [
        {
          code: 'field.invalid',
          path: 'dependsOn[0]',
          message: 'must be name@version, e.g. checkout-timeouts@3',
        },
      ],
    ],
    [
      'a dependency of the wrong type',
      { dependsOn: [5] },
      [{ code: 'field.type', path: 'dependsOn[0]', message: 'expected string or object, got number' }],
    ],
    [
      'a label key that is too long',
      { labels: { ['k'.repeat(64)]: 'v' } },
      [
        {
          code: 'field.invalid',
          path: `labels.${'k'.repeat(64)}`,
          message: 'invalid key: must be at most 63 characters long',
        },
      ],
    ],
  ])('reports %s', (_, overrides, expected) => {
    expect(problemsOf(bundleSchema, bundleDocument(overrides))).toEqual(expected);
  });

  it('reports every problem at once', () => {
    const found = problemsOf(bundleSchema, { name: 'x', extra: 1, changes: [{ delete: 1 }] });
    expect(found.map((p) => `${p.code} ${p.path ?? ''}`)).toEqual([
      'field.required version',
      'field.required release',
      'field.required team',
      'field.type changes[0].delete',
      'field.unknown extra',
    ]);
  });

  it('names the root when the document is not an object', () => {
    expect(problemsOf(bundleSchema, 'text')).toEqual([
      { code: 'field.type', path: '', message: 'expected object, got string' },
    ]);
  });

  it('rejects input nested deeper than the limit before zod sees it', () => {
    let deep: unknown = 1;
    for (let i = 0; i <= MAX_DEPTH; i += 1) deep = [deep];
    expect(problemsOf(bundleSchema, { changes: deep })[0]?.code).toBe('document.too-deep');
  });

  it('returns the parsed value with defaults applied', () => {
    const result = parseWith(bundleSchema, bundleDocument({ version: 3 }));
    expect(result.ok && result.value).toMatchObject({ version: '3', requires: [], dependsOn: [] });
  });
});

describe('parseWith on catalogs', () => {
  const base = { environments: [{ name: 'dev' }] };
  it.each([
    [
      'an unknown parameter type',
      { parameters: [{ key: 'a.b', type: 'float' }] },
      [
        {
          code: 'field.invalid',
          path: 'parameters[0].type',
          message: 'expected one of string, integer, number, boolean, duration, json, got "float"',
        },
      ],
    ],
    [
      'a parameter without a type',
      { parameters: [{ key: 'a.b' }] },
      [{ code: 'field.required', path: 'parameters[0].type', message: 'missing required field "type"' }],
    ],
    [
      'a non-integer bound of an integer',
      { parameters: [{ key: 'a.b', type: 'integer', min: 1.5 }] },
      [{ code: 'field.type', path: 'parameters[0].min', message: 'expected integer, got 1.5' }],
    ],
    [
      'a bound given as a string',
      { parameters: [{ key: 'a.b', type: 'integer', max: '10' }] },
      [{ code: 'field.type', path: 'parameters[0].max', message: 'expected number, got string' }],
    ],
    [
      'a negative minLength',
      { parameters: [{ key: 'a.b', type: 'string', minLength: -1 }] },
      [{ code: 'field.invalid', path: 'parameters[0].minLength', message: 'must be >= 0' }],
    ],
    [
      'an unknown role',
      { roles: [{ principal: 'p', roles: ['admin'] }] },
      [
        {
          code: 'field.invalid',
          path: 'roles[0].roles[0]',
          message: 'must be release-manager, approver, viewer or team:<team name>',
        },
      ],
    ],
    [
      'no environments',
      { environments: [] },
      [{ code: 'field.invalid', path: 'environments', message: 'must have at least 1 items' }],
    ],
    [
      'a description that is too long',
      { teams: [{ name: 't', description: 'x'.repeat(2001) }] },
      [
        {
          code: 'field.invalid',
          path: 'teams[0].description',
          message: 'must be at most 2000 characters long',
        },
      ],
    ],
  ])('reports %s', (_, overrides, expected) => {
    expect(problemsOf(catalogSchema, { ...base, ...overrides })).toEqual(expected);
  });
});

describe('problemsFromZod phrasing', () => {
  it.each([
    ['a length bound', z.string().length(3), 'ab', 'must be at least 3 characters long'],
    ['an exclusive minimum', z.number().gt(1), 1, 'must be > 1'],
    ['an exclusive maximum', z.number().lt(1), 1, 'must be < 1'],
    ['an inclusive maximum', z.number().max(1), 2, 'must be <= 1'],
    ['an array maximum', z.array(z.number()).max(1), [1, 2], 'must have at most 1 items'],
    ['a multiple', z.number().multipleOf(5), 7, 'must be a multiple of 5'],
    ['a regex', z.string().regex(/^a$/), 'b', 'must match /^a$/'],
    ['a format', z.email(), 'nope', 'must be a valid email'],
    ['a literal', z.literal('x'), 'y', 'expected "x", got "y"'],
    ['an enum', z.enum(['x', 'y']), 'z', 'expected one of "x", "y", got "z"'],
    ['a long input (shortened)', z.literal('x'), 'y'.repeat(70), `expected "x", got "${'y'.repeat(56)}...`],
    ['a union of one type', z.union([z.number()]), 'a', 'expected number, got string'],
    ['a refinement', z.string().refine(() => false), 'a', 'is invalid'],
    [
      'a map entry',
      z.map(z.string(), z.string().min(2)),
      new Map([['k', 'a']]),
      'must be at least 2 characters long',
    ],
    [
      'an exclusive union',
      z.xor([z.string(), z.string()]),
      'a',
      'matches more than one of the allowed shapes',
    ],
    ['an empty union', z.union([]), 'a', 'matches none of the allowed shapes'],
  ])('phrases %s', (_, schema, value, message) => {
    expect(problemsOf(schema, value)[0]?.message).toBe(message);
  });

  it('keeps an enum message the schema author wrote', () => {
    expect(problemsOf(z.enum(['x'], { error: 'pick x' }), 'y')[0]?.message).toBe('pick x');
  });

  it('picks the union branch the input came closest to', () => {
    const schema = z.union([
      z.strictObject({ a: z.number(), b: z.number() }),
      z.strictObject({ c: z.number() }),
    ]);
    expect(problemsOf(schema, { a: 1 })).toEqual([
      { code: 'field.required', path: 'b', message: 'missing required field "b"' },
    ]);
    expect(problemsOf(z.union([z.string(), z.number()]), undefined)[0]?.code).toBe('field.required');
  });

  it('uses zod messages for errors that did not come through parseWith', () => {
    const result = z.strictObject({ a: z.string().min(2) }).safeParse({ a: 'x' });
    expect(result.success).toBe(false);
    expect(problemsFromZod(result.error!)[0]).toMatchObject({ code: 'field.invalid', path: 'a' });
  });
});

describe('formatPath', () => {
  it.each([
    [[], ''],
    [['changes', 1, 'set'], 'changes[1].set'],
    [['labels', 'team.x'], 'labels["team.x"]'],
    [[0, 'a'], '[0].a'],
    [['has space'], '["has space"]'],
  ])('%j → %s', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});

describe('typeName', () => {
  it.each([
    [null, 'null'],
    [[1], 'array'],
    [{}, 'object'],
    [NaN, 'NaN'],
    [1, 'number'],
    ['s', 'string'],
    [undefined, 'undefined'],
  ])('%j is %s', (value, name) => {
    expect(typeName(value)).toBe(name);
  });
});
