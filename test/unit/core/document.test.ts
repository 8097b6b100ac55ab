import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH } from '#domain/core/json.ts';
import { parseDocument, sniffFormat } from '#domain/core/document.ts';
import { jsonErrorOffset } from '#domain/core/json-error-position.ts';

const problemsOf = (text: string, format?: 'json' | 'yaml') => {
  const result = parseDocument(text, format);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
  return result.problems;
};

describe('parseDocument', () => {
  it.each([
    ['a JSON object', '{"a": 1}', { a: 1 }],
    ['a JSON array', '  [1, 2]', [1, 2]],
    ['a YAML map', 'a: 1\nb: [x, y]\n', { a: 1, b: ['x', 'y'] }],
    ['YAML with a byte order mark', '\uFEFFa: 1', { a: 1 }],
    ['JSON with a byte order mark', '\uFEFF{"a": 1}', { a: 1 }],
    ['an empty YAML document as null', '', null],
    ['YAML core schema (no timestamps)', 'at: 2026-01-01', { at: '2026-01-01' }],
    ['a few YAML aliases', 'a: &x [1]\nb: *x\n', { a: [1], b: [1] }],
  ])('reads %s', (_, text, value) => {
    expect(parseDocument(text)).toEqual({ ok: true, value });
  });

  it('honours an explicit format over sniffing', () => {
    expect(parseDocument('{"a": 1}', 'yaml')).toEqual({ ok: true, value: { a: 1 } });
    expect(problemsOf('a: 1', 'json')[0]?.code).toBe('document.syntax');
  });

  it.each([
    ['a missing value', '{"a":}', "line 1, column 6: Unexpected token '}'"],
    ['a trailing comma', '{"a":1,}', 'line 1, column 8: Expected double-quoted property name'],
    [
      'a missing comma on line 3',
      '{\n  "a": 1\n  "b": 2}',
      "line 3, column 3: Expected ',' or '}' after property value",
    ],
    ['an unterminated document', '{"a": [1, 2', 'line 1, column 12:'],
    ['trailing text', '{"a": 1} x', 'line 1, column 10: Unexpected non-whitespace character after JSON'],
  ])('rejects JSON with %s, naming line and column', (_, text, message) => {
    const [found] = problemsOf(text);
    expect(found?.code).toBe('document.syntax');
    expect(found?.message.startsWith(message)).toBe(true);
  });

  it.each([
    ['duplicate keys', 'a: 1\na: 2\n', 'line 2, column 1: Map keys must be unique'],
    ['two documents', 'a: 1\n---\nb: 2\n', 'line 2, column 1: Source contains multiple documents'],
    ['tabs as indentation', 'a:\n\tb: 1\n', 'line 2, column 1: Tabs are not allowed as indentation'],
    ['an unknown alias', 'a: *nope\n', 'line 1, column 1: Unresolved alias'],
  ])('rejects YAML with %s', (_, text, message) => {
    const [found] = problemsOf(text);
    expect(found?.code).toBe('document.syntax');
    expect(found?.message.startsWith(message)).toBe(true);
  });

  it('stops an alias bomb before it expands', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i += 1) {
      const previous = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    const [found] = problemsOf(levels.join('\n'));
    expect(found?.message).toMatch(/Excessive alias count/);
  });

  it('rejects documents nested deeper than the limit, in either format', () => {
    const deep = `${'['.repeat(MAX_DEPTH + 1)}${']'.repeat(MAX_DEPTH + 1)}`;
    expect(problemsOf(deep)[0]?.code).toBe('document.too-deep');
    expect(problemsOf(`a: ${deep}`)[0]?.code).toBe('document.too-deep');
    expect(parseDocument(`${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}`).ok).toBe(true);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.constantFrom(undefined, 'json', 'yaml'),
        (text, format) => {
          const result = parseDocument(text, format);
          expect(typeof result.ok).toBe('boolean');
        },
      ),
    );
  });

  it('reads back any JSON value it is given as JSON or YAML text', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const normal = JSON.parse(JSON.stringify(value)) as unknown;
        expect(parseDocument(JSON.stringify(value), 'json')).toEqual({ ok: true, value: normal });
        expect(parseDocument(JSON.stringify(value, null, 2), 'yaml')).toEqual({ ok: true, value: normal });
      }),
    );
  });
});

describe('sniffFormat', () => {
  it.each([
    ['{"a":1}', 'json'],
    ['\n  [1]', 'json'],
    ['a: 1', 'yaml'],
    ['- 1', 'yaml'],
    ['', 'yaml'],
  ])('%j is %s', (text, format) => {
    expect(sniffFormat(text)).toBe(format);
  });
});

describe('jsonErrorOffset', () => {
  it.each([
    ['', 0],
    ['{', 1],
    ['{"a" 1}', 5],
    ['{"a":1 "b":2}', 7],
    ['[1,]', 3],
    ['[1 2]', 3],
    ['{"a":"\\x"}', 6],
    ['{"a":"\\u12G4"}', 6],
    ['{"a":"\\u0041\\n"}x', 16],
    ['{"a":"line\nbreak"}', 10],
    ['"unterminated', 13],
    ['[tru]', 1],
    ['{"a":{}, "b":[]}x', 16],
    ['{,}', 1],
    ['{"a":1,', 7],
    ['  ', 2],
  ])('finds the error in %j at offset %d', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('is the text length exactly when the text is valid JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value);
        expect(jsonErrorOffset(text)).toBe(text.length);
      }),
    );
  });

  it('handles nesting far deeper than the call stack', () => {
    expect(jsonErrorOffset(`${'['.repeat(200_000)}x`)).toBe(200_000);
  });
});
