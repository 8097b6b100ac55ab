import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '#domain/core/json.ts';
import { formatCycle } from '#domain/dependencies/cycle-path.ts';
import {
  exactReference,
  findCycle,
  hasReference,
  referencesIn,
  resolveValues,
} from '#domain/dependencies/references.ts';

describe('referencesIn', () => {
  it.each<[JsonValue, string[]]>([
    ['${a.b}', ['a.b']],
    ['http://${a.host}:${a.port}/${a.host}', ['a.host', 'a.port']],
    [{ url: '${a.url}', list: ['${b.x}', 1, null, { deep: '${c.y}' }] }, ['a.url', 'b.x', 'c.y']],
    ['no references', []],
    ['${ spaced }', []],
    ['${}', []],
    ['$a.b', []],
    [42, []],
    [true, []],
    [null, []],
    [[], []],
  ])('%j → %j', (value, refs) => {
    expect(referencesIn(value)).toEqual(refs);
    expect(hasReference(value)).toBe(refs.length > 0);
  });
});

describe('exactReference', () => {
  it.each<[JsonValue, string | undefined]>([
    ['${a.b}', 'a.b'],
    ['x${a.b}', undefined],
    ['${a.b}${c.d}', undefined],
    [1, undefined],
  ])('%j → %s', (value, key) => {
    expect(exactReference(value)).toBe(key);
  });
});

describe('resolveValues', () => {
  it.each<[string, Record<string, JsonValue>, Record<string, JsonValue>]>([
    ['an exact reference keeps the type', { 'a.n': 5, 'a.m': '${a.n}' }, { 'a.n': 5, 'a.m': 5 }],
    [
      'an embedded reference interpolates (non-strings as JSON)',
      { 'a.h': 'host', 'a.p': 8080, 'a.o': { x: 1 }, 'a.u': '${a.h}:${a.p} ${a.o}' },
      { 'a.h': 'host', 'a.p': 8080, 'a.o': { x: 1 }, 'a.u': 'host:8080 {"x":1}' },
    ],
    [
      'references resolve transitively, whatever the key order',
      { 'a.c': '${a.b}', 'a.b': '${a.a}', 'a.a': [1] },
      { 'a.c': [1], 'a.b': [1], 'a.a': [1] },
    ],
    [
      'references nested in arrays and objects resolve',
      { 'a.n': 2, 'a.j': { list: ['${a.n}', 'n=${a.n}'], keep: true } },
      { 'a.n': 2, 'a.j': { list: [2, 'n=2'], keep: true } },
    ],
    [
      'null resolves as null',
      { 'a.z': null, 'a.r': '${a.z}', 'a.s': 'z=${a.z}' },
      { 'a.z': null, 'a.r': null, 'a.s': 'z=null' },
    ],
  ])('%s', (_, values, expected) => {
    const resolution = resolveValues(values);
    expect(resolution.problems).toEqual([]);
    expect(resolution.values).toEqual(expect.objectContaining(expected));
  });

  it('treats keys such as __proto__ and constructor as plain data', () => {
    const values = JSON.parse('{"__proto__": 1, "a.r": "${__proto__}", "a.c": "${constructor}"}') as Record<
      string,
      JsonValue
    >;
    const resolution = resolveValues(values);
    expect(resolution.values['a.r']).toBe(1);
    expect(Object.hasOwn(resolution.values, '__proto__')).toBe(true);
    expect(resolution.problems).toEqual([
      { code: 'reference.unresolved', key: 'a.c', message: 'a.c references constructor, which is not set' },
    ]);
  });

  it('reports an unresolved reference on the referring key, naming the missing key', () => {
    const resolution = resolveValues({ 'a.x': 'v=${a.missing}', 'a.y': '${a.x}', 'a.ok': 1 });
    expect(resolution.problems).toEqual([
      { code: 'reference.unresolved', key: 'a.x', message: 'a.x references a.missing, which is not set' },
      { code: 'reference.unresolved', key: 'a.y', message: 'a.y references a.x, which cannot be resolved' },
    ]);
    expect(resolution.values).toEqual({ 'a.x': 'v=${a.missing}', 'a.y': '${a.x}', 'a.ok': 1 });
  });

  it('reports one problem per cycle, keyed by its first key, and never half-resolves it', () => {
    const values = {
      'a.a': '${a.b}',
      'a.b': 'x${a.c}',
      'a.c': '${a.a}',
      'a.self': '${a.self}',
      'a.out': '${a.b}',
      'a.fine': 1,
    };
    const resolution = resolveValues(values);
    expect(resolution.problems).toEqual([
      { code: 'reference.cycle', key: 'a.a', message: 'references form a cycle: a.a → a.b → a.c → a.a' },
      { code: 'reference.cycle', key: 'a.self', message: 'references form a cycle: a.self → a.self' },
      {
        code: 'reference.unresolved',
        key: 'a.out',
        message: 'a.out references a.b, which cannot be resolved',
      },
    ]);
    expect(resolution.cycles.map((c) => c.members)).toEqual([['a.a', 'a.b', 'a.c'], ['a.self']]);
    expect(resolution.values).toEqual(values);
  });

  it('exposes the reference graph', () => {
    expect([...resolveValues({ 'a.a': 1, 'a.b': '${a.a}' }).references]).toEqual([['a.b', ['a.a']]]);
  });

  it('resolves a 10,000-key chain without overflowing the stack', () => {
    const values: Record<string, JsonValue> = { 'k.0': 'end' };
    for (let i = 1; i < 10_000; i += 1) values[`k.${i}`] = `\${k.${i - 1}}`;
    const resolution = resolveValues(values);
    expect(resolution.problems).toEqual([]);
    expect(resolution.values['k.9999']).toBe('end');
  });

  it('shortens the path of a very long cycle in its message', () => {
    const values: Record<string, JsonValue> = {};
    for (let i = 0; i < 100; i += 1) values[`k.${i}`] = `\${k.${(i + 1) % 100}}`;
    const [found] = resolveValues(values).problems;
    expect(found?.message).toBe(
      'references form a cycle: k.0 → k.1 → k.2 → k.3 → k.4 → k.5 → k.6 → k.7 → k.8 → k.9 → … (89 more) → k.99 → k.0',
    );
  });

  it('resolved values contain no references, and every key is either resolved or reported', () => {
    const graphs = fc.dictionary(
      fc.constantFrom('a.a', 'a.b', 'a.c', 'a.d', 'a.e'),
      fc.oneof(fc.integer(), fc.constantFrom('${a.a}', 'x${a.b}', '${a.c}-${a.d}', '${a.f}', 'plain')),
    );
    fc.assert(
      fc.property(graphs, (values) => {
        const resolution = resolveValues(values);
        const reported = new Set([
          ...resolution.problems.map((p) => p.key),
          ...resolution.cycles.flatMap((c) => c.members),
        ]);
        for (const [key, value] of Object.entries(resolution.values)) {
          if (reported.has(key)) expect(value).toEqual(values[key]);
          else expect(referencesIn(value)).toEqual([]);
        }
      }),
    );
  });
});

/** Brute force: a cycle exists iff some node reaches itself by a walk of at most n steps. */
const bruteForceHasCycle = (graph: ReadonlyMap<string, readonly string[]>): boolean => {
  const nodes = [...graph.keys()];
  return nodes.some((start) => {
    let frontier = new Set(graph.get(start) ?? []);
    for (let step = 0; step <= nodes.length; step += 1) {
      if (frontier.has(start)) return true;
      frontier = new Set([...frontier].flatMap((n) => graph.get(n) ?? []));
    }
    return false;
  });
};

const isCyclePath = (graph: ReadonlyMap<string, readonly string[]>, path: readonly string[]): boolean =>
  path.length >= 2 &&
  path[0] === path.at(-1) &&
  new Set(path.slice(0, -1)).size === path.length - 1 &&
  path.slice(1).every((node, i) => (graph.get(path[i]!) ?? []).includes(node));

describe('findCycle', () => {
  it.each<[string, [string, string[]][], string[] | undefined]>([
    ['an empty graph', [], undefined],
    [
      'a chain',
      [
        ['a', ['b']],
        ['b', ['c']],
      ],
      undefined,
    ],
    [
      'a diamond',
      [
        ['a', ['b', 'c']],
        ['b', ['d']],
        ['c', ['d']],
        ['d', []],
      ],
      undefined,
    ],
    ['a self-loop', [['a', ['a']]], ['a', 'a']],
    [
      'a triangle',
      [
        ['a', ['b']],
        ['b', ['c']],
        ['c', ['a']],
      ],
      ['a', 'b', 'c', 'a'],
    ],
    [
      'a cycle behind a chain',
      [
        ['x', ['a']],
        ['a', ['b']],
        ['b', ['a']],
      ],
      ['a', 'b', 'a'],
    ],
    [
      'the shortest way round',
      [
        ['a', ['b', 'c']],
        ['b', ['c']],
        ['c', ['a']],
      ],
      ['a', 'c', 'a'],
    ],
  ])('in %s → %j', (_, edges, cycle) => {
    expect(findCycle(new Map(edges))).toEqual(cycle);
  });

  it('agrees with a brute-force search on random graphs of up to 6 nodes', () => {
    const node = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
    const graphs = fc.dictionary(node, fc.uniqueArray(node, { maxLength: 4 }), { maxKeys: 6 });
    fc.assert(
      fc.property(graphs, (record) => {
        const graph = new Map(Object.entries(record));
        const cycle = findCycle(graph);
        expect(cycle !== undefined).toBe(bruteForceHasCycle(graph));
        if (cycle) expect(isCyclePath(graph, cycle)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('formatCycle', () => {
  it.each([
    [['a', 'a'], 'a → a'],
    [['a', 'b', 'a'], 'a → b → a'],
  ])('%j → %s', (path, text) => {
    expect(formatCycle(path)).toBe(text);
  });
});
