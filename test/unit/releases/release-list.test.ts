import { describe, expect, it } from 'vitest';
import { pushedOf } from '#domain/releases/release-bundles.ts';
import { releaseNames, releaseSummary } from '#domain/releases/release-list.ts';
import { releaseState } from '#domain/releases/release-state.ts';
import {
  identitySession,
  RELEASE,
  releaseBundles,
  releaseManifest,
  releasePlan,
} from '../../fixtures/releases/three-teams.ts';

describe('releaseNames', () => {
  it('lists labels and manifests once each, sorted', () => {
    const pushed = [{ release: '2027.01-R1' }, { release: RELEASE }, { release: RELEASE }];
    expect(releaseNames(pushed, [{ name: '2026.11-R9' }, { name: RELEASE }])).toEqual([
      '2026.11-R9',
      '2026.12-R1',
      '2027.01-R1',
    ]);
  });
});

describe('releaseSummary', () => {
  const live = [identitySession()].map(pushedOf).map(({ name, version, hash }) => ({ name, version, hash }));
  const state = (withManifest: boolean) =>
    releaseState(
      {
        release: RELEASE,
        ...(withManifest ? { manifest: releaseManifest() } : {}),
        pushed: releaseBundles().map(pushedOf),
        environments: [
          { name: 'staging', live },
          { name: 'prod', live: [] },
        ],
        plan: releasePlan(),
      },
      '2026-12-01T00:00:00Z',
    );

  it('shows progress, partial environments, sign-offs and readiness', () => {
    expect(releaseSummary(state(true))).toEqual({
      release: RELEASE,
      targetDate: '2026-12-14',
      bundles: 3,
      teams: ['identity', 'payments', 'search'],
      progress: 'in-progress',
      partial: ['staging'],
      signedOff: false,
      ready: false,
    });
  });

  it('has no target date without a manifest', () => {
    expect(releaseSummary(state(false)).targetDate).toBeNull();
  });
});
