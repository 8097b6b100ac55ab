import { describe, expect, it } from 'vitest';
import { catalogSchema, type Catalog } from '#domain/catalog/catalog.ts';
import { flagsAtRisk, liveFlagProblems } from '#domain/catalog/live-flags.ts';

const catalog = (flags?: { key: string; type: 'boolean' | 'string' }[]): Catalog =>
  catalogSchema.parse({ environments: [{ name: 'dev' }, { name: 'prod' }], ...(flags ? { flags } : {}) });
const a = { key: 'shop.a', type: 'boolean' as const };
const b = { key: 'shop.b', type: 'string' as const };
const live = new Map([
  ['dev', new Set(['shop.a'])],
  ['prod', new Set<string>()],
]);

describe('live flags in a catalog change', () => {
  it.each<[string, Catalog | undefined, Catalog, string[]]>([
    ['a first catalog', undefined, catalog([a]), []],
    ['no flags before', catalog(), catalog([a]), []],
    ['unchanged', catalog([a, b]), catalog([a, b]), []],
    [
      'a live flag removed (the whole list dropped)',
      catalog([a, b]),
      catalog(),
      ['catalog.flag-live-removed'],
    ],
    [
      'a live flag retyped',
      catalog([a]),
      catalog([{ ...a, type: 'string' }]),
      ['catalog.flag-live-type-change'],
    ],
    ['a flag live nowhere removed', catalog([a, b]), catalog([a]), []],
  ])('%s', (_label, previous, next, codes) => {
    expect(liveFlagProblems(previous, next, live).map((p) => p.code)).toEqual(codes);
  });

  it('names the path of a retyped flag in the new catalog', () => {
    const [found] = liveFlagProblems(catalog([a]), catalog([b, { ...a, type: 'string' }]), live);
    expect(found).toMatchObject({ key: 'shop.a', path: 'flags[1].type' });
    expect(found?.message).toBe(
      'flag shop.a is live in dev as boolean; it cannot become string (create a new flag)',
    );
  });

  it('flags at risk: removed or retyped, nothing else', () => {
    expect(flagsAtRisk(undefined, catalog([a]))).toEqual([]);
    expect(flagsAtRisk(catalog([a, b]), catalog([{ ...a, type: 'string' }]))).toEqual(['shop.a', 'shop.b']);
  });
});
