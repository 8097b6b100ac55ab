import { describe, expect, it } from 'vitest';
import { buildFlagSet, flagSetEtag, flagSetSchema } from '#api/flags/flag-set.ts';
import { fixtureFlagSet } from './fixtures.ts';

describe('wire flag set', () => {
  const set = fixtureFlagSet(7);

  it('round-trips through its schema', () => {
    expect(flagSetSchema.parse(JSON.parse(JSON.stringify(set)))).toEqual(set);
    expect(set).toMatchObject({ environment: 'prod', version: 7 });
    expect(set.etag).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it('keeps its ETag across versions that did not change flags, and under key order', () => {
    expect(fixtureFlagSet(8).etag).toBe(set.etag);
    const reversed = Object.fromEntries(Object.entries(set.flags).reverse());
    expect(flagSetEtag(reversed, set.segments)).toBe(set.etag);
  });

  it('changes its ETag when a flag or a segment changes', () => {
    const first = Object.keys(set.flags)[0]!;
    const flags = { ...set.flags, [first]: { ...set.flags[first]!, enabled: !set.flags[first]!.enabled } };
    expect(buildFlagSet({ environment: 'prod', version: 8, flags, segments: set.segments }).etag).not.toBe(
      set.etag,
    );
    expect(buildFlagSet({ environment: 'prod', version: 8, flags: set.flags }).etag).not.toBe(set.etag);
  });

  it.each([
    [{ ...set, version: -1 }],
    [{ ...set, etag: '' }],
    [{ ...set, extra: 1 }],
    [{ ...set, flags: { x: { type: 'boolean' } } }],
  ])('refuses %#', (input) => {
    expect(flagSetSchema.safeParse(input).success).toBe(false);
  });
});
