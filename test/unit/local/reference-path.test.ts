import { describe, expect, it } from 'vitest';
import { readReferencePath } from '#local/workflow/reference-path.ts';

const doc = { a: { b: [10, { c: 'x' }] }, 'odd key': { "it's": 1 }, n: null };

describe('readReferencePath', () => {
  it.each([
    ['$', doc],
    ['$.a.b[0]', 10],
    ['$.a.b[1].c', 'x'],
    ["$['odd key']", { "it's": 1 }],
    ['$["odd key"]["it\'s"]', 1],
    ["$['odd key']['it\\'s']", 1],
    ['$.n', null],
  ])('%s', (path, expected) => {
    expect(readReferencePath(doc, path)).toEqual(expected);
  });

  it.each(['$.missing', '$.a.b[5]', '$.a.b.c', '$.a[0]', '$.n.x'])('%s selects nothing', (path) => {
    expect(readReferencePath(doc, path)).toBeUndefined();
  });

  it('refuses what is not a reference path', () => {
    expect(() => readReferencePath(doc, 'a.b')).toThrow(/must start with \$/);
    expect(() => readReferencePath(doc, '$..a')).toThrow(/not a reference path/);
    expect(() => readReferencePath(doc, '$.a[*]')).toThrow(/not a reference path/);
  });
});
