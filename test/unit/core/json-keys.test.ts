import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '#domain/core/document.ts';
import { duplicateJsonKeys, forbiddenKeys, MAX_KEY_FINDINGS } from '#domain/core/json-keys.ts';

describe('duplicateJsonKeys', () => {
  it.each([
    ['none in a plain object', '{"a": 1, "b": {"a": 2}}', []],
    ['none in arrays of objects', '[{"a": 1}, {"a": 2}]', []],
    ['none in scalars', '"a"', []],
    ['a key given twice', '{"a": 1, "a": 2}', [{ key: 'a', path: ['a'], offset: 9 }]],
    ['an escaped key', '{"a": 1, "\\u0061": 2}', [{ key: 'a', path: ['a'], offset: 9 }]],
    [
      'one nested in arrays',
      '{"w": [{"x": 1}, {"id": "a", "s": {"e": [], "e": "]}\\"{"}}]}',
      [{ key: 'e', path: ['w', 1, 's', 'e'], offset: 44 }],
    ],
    ['strings holding braces and quotes', '{"a": "{\\"a\\": 1}", "b": "[,]"}', []],
    ['an empty object', '{"a": {}, "b": {}}', []],
  ])('finds %s', (_, text, found) => {
    expect(duplicateJsonKeys(text)).toEqual(found);
  });

  it(`reports at most ${MAX_KEY_FINDINGS}`, () => {
    const text = `{${Array.from({ length: 50 }, () => '"k": 1').join(',')}}`;
    expect(duplicateJsonKeys(text)).toHaveLength(MAX_KEY_FINDINGS);
  });

  it('finds nothing in any JSON.stringify output (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        expect(duplicateJsonKeys(JSON.stringify(value))).toEqual([]);
        expect(duplicateJsonKeys(JSON.stringify(value, null, 2))).toEqual([]);
      }),
    );
  });

  it('finds a key repeated anywhere in a generated object (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1 }),
        fc.nat(),
        (object, pick) => {
          const keys = Object.keys(object);
          const key = keys[pick % keys.length] as string;
          const text = JSON.stringify(object).replace(/}$/, () => `,${JSON.stringify(key)}:null}`);
          expect(duplicateJsonKeys(text).map((f) => f.key)).toContain(key);
        },
      ),
    );
  });
});

describe('forbiddenKeys', () => {
  it('finds __proto__, constructor and prototype wherever they are', () => {
    const value = JSON.parse(
      '{"__proto__": {"x": 1}, "a": [{"constructor": 1}], "b": {"c": {"prototype": null}}, "ok": "__proto__"}',
    ) as unknown;
    expect(forbiddenKeys(value)).toEqual(
      expect.arrayContaining([
        { key: '__proto__', path: ['__proto__'] },
        { key: 'constructor', path: ['a', 0, 'constructor'] },
        { key: 'prototype', path: ['b', 'c', 'prototype'] },
      ]),
    );
    expect(forbiddenKeys(value)).toHaveLength(3);
  });

  it.each([null, 1, 'constructor', [], {}, { a: [1, 'prototype'] }])('finds none in %j', (value) => {
    expect(forbiddenKeys(value)).toEqual([]);
  });

  it(`reports at most ${MAX_KEY_FINDINGS}`, () => {
    const value = Array.from({ length: 40 }, () => JSON.parse('{"__proto__": 1}') as unknown);
    expect(forbiddenKeys(value)).toHaveLength(MAX_KEY_FINDINGS);
  });
});

describe('parseDocument refuses duplicate JSON keys, as it does YAML ones', () => {
  it('names the key, its path, line and column', () => {
    expect(parseDocument('{"w": [{"id": "a",\n  "id": "b"}]}', 'json')).toEqual({
      ok: false,
      problems: [
        {
          code: 'document.duplicate-key',
          path: 'w[0].id',
          message: 'line 2, column 3: "id" is given twice in one object; give each key once',
        },
      ],
    });
  });

  it('still reads JSON without duplicates', () => {
    expect(parseDocument('{"a": {"a": 1}}', 'json')).toEqual({ ok: true, value: { a: { a: 1 } } });
  });
});
