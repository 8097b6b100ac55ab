import { describe, expect, it } from 'vitest';
import { parseReleaseManifest } from '#domain/releases/manifest.ts';
import type { ReleaseManifest } from '#domain/releases/manifest.ts';
import { pushedOf, releaseBundles } from '#domain/releases/release-bundles.ts';
import type { PushedBundle } from '#domain/releases/release-bundles.ts';
import { inPlanOrder } from '#domain/releases/release-plan.ts';
import { identitySession, RELEASE, releasePlan } from '../../fixtures/releases/three-teams.ts';

const pushed = (name: string, version: string, release = RELEASE, team = 'payments'): PushedBundle => ({
  name,
  version,
  release,
  team,
  hash: `${name}-${version}`,
});
const manifest = (bundles: string[]): ReleaseManifest => {
  const parsed = parseReleaseManifest({ name: RELEASE, targetDate: '2026-12-14', owner: 'olivia', bundles });
  if (!parsed.ok) throw new Error('fixture manifest is invalid');
  return parsed.manifest;
};
const all = [
  pushed('checkout', '2'),
  pushed('checkout', '10'),
  pushed('checkout', '9'),
  pushed('session', '1', RELEASE, 'identity'),
  pushed('ranking', '7', '2027.01-R1', 'search'),
];
const versions = (manifestBundles?: string[]) =>
  releaseBundles(RELEASE, all, manifestBundles && manifest(manifestBundles));

describe('releaseBundles', () => {
  it('takes every bundle labelled with the release, the latest version of each (natural order)', () => {
    const selected = versions();
    expect(selected.bundles.map((b) => `${b.name}@${b.version}`)).toEqual(['checkout@10', 'session@1']);
    expect(selected.bundles.every((b) => !b.pinned && !b.listed)).toBe(true);
    expect(selected.teams).toEqual(['identity', 'payments']);
    expect(selected.missing).toEqual([]);
  });

  it.each<[string, string[], string[], object[]]>([
    ['a pin wins over the latest', ['checkout@9'], ['checkout@9', 'session@1'], []],
    ['a listed name takes the latest', ['checkout', 'session'], ['checkout@10', 'session@1'], []],
    [
      'a pin of a version never pushed is missing, with the versions that were',
      ['checkout@11'],
      ['session@1'],
      [{ name: 'checkout', version: '11', pushed: ['2', '9', '10'] }],
    ],
    [
      'a name pushed only under another release is missing',
      ['ranking', 'absent@1'],
      ['checkout@10', 'session@1'],
      [
        { name: 'absent', version: '1', pushed: [] },
        { name: 'ranking', pushed: [] },
      ],
    ],
  ])('%s', (_, listed, refs, missing) => {
    const selected = versions(listed);
    expect(selected.bundles.map((b) => `${b.name}@${b.version}`)).toEqual(refs);
    expect(selected.missing).toEqual(missing);
  });

  it('marks pinned and listed bundles', () => {
    const [checkout, session] = versions(['checkout@9']).bundles;
    expect(checkout).toMatchObject({ pinned: true, listed: true });
    expect(session).toMatchObject({ pinned: false, listed: false });
  });

  it('reads a sealed bundle as a pushed one', () => {
    const sealed = identitySession();
    expect(pushedOf(sealed)).toEqual({
      name: 'identity-session',
      version: '2',
      release: RELEASE,
      team: 'identity',
      hash: sealed.hash,
    });
  });
});

describe('inPlanOrder', () => {
  it('orders by the plan, unknown names last by name', () => {
    const items = ['zeta', 'search-ranking', 'alpha', 'identity-session', 'checkout-timeouts'].map(
      (name) => ({ name }),
    );
    expect(inPlanOrder(items, releasePlan()).map((i) => i.name)).toEqual([
      'identity-session',
      'checkout-timeouts',
      'search-ranking',
      'alpha',
      'zeta',
    ]);
  });
});
