import { describe, expect, it } from 'vitest';
import { parseReleaseManifest } from '#domain/releases/manifest.ts';

const manifest = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: '2026.12-R1',
  targetDate: '2026-12-14',
  owner: 'olivia',
  bundles: ['checkout-timeouts', 'identity-session@2'],
  ...overrides,
});

describe('parseReleaseManifest', () => {
  it('parses bundles as names, optionally pinned', () => {
    const parsed = parseReleaseManifest(manifest({ strategy: 'canary', description: 'December' }));
    expect(parsed).toEqual({
      ok: true,
      manifest: {
        name: '2026.12-R1',
        description: 'December',
        targetDate: '2026-12-14',
        owner: 'olivia',
        strategy: 'canary',
        bundles: [{ name: 'checkout-timeouts' }, { name: 'identity-session', version: '2' }],
      },
    });
  });

  it('reads YAML and JSON text alike, and lists no bundles by default', () => {
    const yaml = 'name: 2026.12-R1\ntargetDate: "2026-12-14"\nowner: olivia\n';
    const json = JSON.stringify({ name: '2026.12-R1', targetDate: '2026-12-14', owner: 'olivia' });
    expect(parseReleaseManifest(yaml)).toEqual(parseReleaseManifest(json));
    expect(parseReleaseManifest(yaml)).toMatchObject({ ok: true, manifest: { bundles: [] } });
  });

  it('reports a syntax error as a document problem', () => {
    const parsed = parseReleaseManifest('{"name": ');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems[0]?.code).toBe('document.syntax');
  });

  it.each<[string, Record<string, unknown>, { code: string; path: string }[]]>([
    ['a release name with a slash', { name: 'r/1' }, [{ code: 'field.invalid', path: 'name' }]],
    ['a missing owner', { owner: undefined }, [{ code: 'field.required', path: 'owner' }]],
    ['an unknown field', { due: 'soon' }, [{ code: 'field.unknown', path: 'due' }]],
    [
      'a date that does not exist',
      { targetDate: '2026-02-30' },
      [{ code: 'field.invalid', path: 'targetDate' }],
    ],
    [
      'a date-time instead of a date',
      { targetDate: '2026-12-14T10:00Z' },
      [{ code: 'field.invalid', path: 'targetDate' }],
    ],
    ['an uppercase bundle name', { bundles: ['Checkout'] }, [{ code: 'field.invalid', path: 'bundles[0]' }]],
    ['an empty pin', { bundles: ['checkout@'] }, [{ code: 'field.invalid', path: 'bundles[0]' }]],
    [
      'a strategy that is not a name',
      { strategy: 'Fast Lane' },
      [{ code: 'field.invalid', path: 'strategy' }],
    ],
    [
      'a bundle listed twice, pinned or not',
      { bundles: ['checkout-timeouts', 'identity-session', 'checkout-timeouts@3'] },
      [{ code: 'manifest.duplicate-bundle', path: 'bundles[2]' }],
    ],
  ])('refuses %s', (_, overrides, expected) => {
    const parsed = parseReleaseManifest(manifest(overrides));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems.map(({ code, path }) => ({ code, path }))).toEqual(expected);
  });
});
