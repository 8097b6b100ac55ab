import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppliedBundle } from '#domain/bundles/snapshot.ts';
import type { DeploymentRecord } from '#domain/environments/head.ts';
import { coverageOf, environmentStatus } from '#domain/releases/environment-status.ts';
import type { BundleCell } from '#domain/releases/environment-status.ts';
import type { PushedBundle } from '#domain/releases/release-bundles.ts';
import { RELEASE } from '../../fixtures/releases/three-teams.ts';

const bundle = (name: string, version = '1'): PushedBundle => ({
  name,
  version,
  release: RELEASE,
  team: 'payments',
  hash: `h-${name}-${version}`,
});
const applied = ({ name, version, hash }: PushedBundle): AppliedBundle => ({ name, version, hash });
const release = [bundle('a'), bundle('b'), bundle('c')];
const deploy = (
  headVersion: number,
  name: string | undefined,
  kind: 'deploy' | 'rollback' = 'deploy',
): DeploymentRecord => ({
  id: `dpl-prod-${headVersion}`,
  environment: 'prod',
  kind,
  headVersion,
  ...(name === undefined ? {} : { bundle: { name, version: '1', hash: `h-${name}-1` } }),
  previousSnapshot: `snap-${headVersion - 1}`,
  snapshot: `snap-${headVersion}`,
  principal: 'olivia',
  at: '2026-12-01T10:00:00Z',
  sinks: {},
});

describe('environmentStatus', () => {
  it.each<[string, AppliedBundle[], string, BundleCell['state'][]]>([
    ['nothing live', [], 'none', ['absent', 'absent', 'absent']],
    ['all live', release.map(applied), 'complete', ['live', 'live', 'live']],
    ['some live', [applied(bundle('a'))], 'partial', ['live', 'absent', 'absent']],
    ['another version live', [applied(bundle('a', '0'))], 'none', ['other-version', 'absent', 'absent']],
    [
      'the same version with other content',
      [{ ...applied(bundle('b')), hash: 'edited' }, applied(bundle('a'))],
      'partial',
      ['live', 'other-version', 'absent'],
    ],
  ])('%s', (_, live, status, cells) => {
    const result = environmentStatus(RELEASE, release, { name: 'prod', live });
    expect(result.status).toBe(status);
    expect(result.bundles.map((c) => c.state)).toEqual(cells);
    expect(result.waysOut.length).toBe(status === 'partial' ? 2 : 0);
  });

  it('names the version another bundle has live', () => {
    const result = environmentStatus(RELEASE, release, { name: 'prod', live: [applied(bundle('c', '0'))] });
    expect(result.bundles[2]).toEqual({ name: 'c', state: 'other-version', live: '0' });
  });

  it('offers both ways out of a partial release as commands', () => {
    const result = environmentStatus(RELEASE, release, { name: 'prod', live: [applied(bundle('b'))] });
    expect(result.waysOut).toEqual([
      {
        kind: 'deploy-rest',
        bundles: ['a@1', 'c@1'],
        command: 'convoy release deploy 2026.12-R1 --env prod',
      },
      { kind: 'roll-back', command: 'convoy release rollback 2026.12-R1 --env prod' },
    ]);
  });

  it.each<[string, DeploymentRecord[], object | undefined]>([
    [
      'the snapshot before the earliest deploy of a release bundle',
      [
        deploy(5, 'b'),
        deploy(2, 'other'),
        deploy(3, 'a'),
        { ...deploy(4, undefined, 'rollback'), rolledBackTo: 'dpl-prod-3' },
      ],
      { snapshot: 'snap-2', deployment: 'dpl-prod-2' },
    ],
    [
      'the snapshot before a release deploy (the one flip that brought it)',
      [{ ...deploy(3, undefined, 'deploy'), kind: 'release', release: RELEASE }, deploy(4, 'other')],
      { snapshot: 'snap-2', deployment: 'dpl-prod-2' },
    ],
    [
      'the snapshot before the re-entry when a rollback took the release out in between',
      [
        deploy(2, 'a'),
        { ...deploy(3, undefined, 'rollback'), rolledBackTo: 'dpl-prod-1' },
        { ...deploy(4, undefined, 'rollback') },
        deploy(5, 'b'),
      ],
      { snapshot: 'snap-4', deployment: 'dpl-prod-4' },
    ],
    [
      'the snapshot before the first deploy of another release, not this one',
      [{ ...deploy(2, undefined, 'deploy'), kind: 'release', release: 'other' }, deploy(3, 'a')],
      { snapshot: 'snap-2', deployment: 'dpl-prod-2' },
    ],
    [
      'the initial state when the release came first',
      [deploy(1, 'a')],
      { snapshot: 'snap-0', deployment: null },
    ],
    ['nothing when no record deployed one of its bundles', [deploy(1, 'other')], undefined],
  ])('rolls back to %s', (_, deployments, restores) => {
    const result = environmentStatus(RELEASE, release, {
      name: 'prod',
      live: [applied(bundle('a'))],
      deployments,
    });
    expect(result.waysOut[1]).toEqual({
      kind: 'roll-back',
      command: 'convoy release rollback 2026.12-R1 --env prod',
      ...(restores === undefined ? {} : { restores }),
    });
  });

  it('complete iff every bundle is live, partial iff some but not all, none iff none (property)', () => {
    const cell = fc.constantFrom<BundleCell>(
      { name: 'x', state: 'live' },
      { name: 'x', state: 'absent' },
      { name: 'x', state: 'other-version', live: '0' },
    );
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 8 }), (cells) => {
        const live = cells.filter((c) => c.state === 'live').length;
        const status = coverageOf(cells);
        expect(status === 'complete').toBe(cells.length > 0 && live === cells.length);
        expect(status === 'partial').toBe(live > 0 && live < cells.length);
        expect(status === 'none').toBe(live === 0);
      }),
    );
  });

  it('an empty release is none everywhere', () => {
    expect(environmentStatus(RELEASE, [], { name: 'prod', live: [applied(bundle('a'))] }).status).toBe(
      'none',
    );
  });
});
