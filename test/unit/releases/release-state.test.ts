import { describe, expect, it } from 'vitest';
import type { AppliedBundle } from '#domain/bundles/snapshot.ts';
import { problem } from '#domain/core/problem.ts';
import { pushedOf } from '#domain/releases/release-bundles.ts';
import type { PushedBundle } from '#domain/releases/release-bundles.ts';
import { releaseState } from '#domain/releases/release-state.ts';
import type { ReleaseStateInput } from '#domain/releases/release-state.ts';
import { coverOf, signoffScope } from '#domain/releases/signoff.ts';
import type { Signoff } from '#domain/releases/signoff.ts';
import {
  identitySession,
  RELEASE,
  releaseBundles,
  releaseManifest,
  releasePlan,
} from '../../fixtures/releases/three-teams.ts';

const pushed = (): PushedBundle[] => [...releaseBundles(), identitySession({ version: '1' })].map(pushedOf);
const liveOf = (...names: string[]): AppliedBundle[] =>
  releaseBundles()
    .map(pushedOf)
    .filter((b) => names.includes(b.name))
    .map(({ name, version, hash }) => ({ name, version, hash }));
const current = () => releaseBundles().map((s) => coverOf(pushedOf(s)));
const signoffs = (teams = ['identity', 'payments', 'search']): Signoff[] =>
  teams.map((team) => ({
    release: RELEASE,
    team,
    principal: 'x',
    at: '2026-12-10T10:00:00Z',
    covers: signoffScope(releasePlan(), team, current()),
  }));
const approvals = () => [
  { release: RELEASE, principal: 'olivia', at: '2026-12-10T11:00:00Z', covers: current() },
];
const NOW = '2026-12-12T09:00:00Z';

const input = (overrides: Partial<ReleaseStateInput> = {}): ReleaseStateInput => ({
  release: RELEASE,
  manifest: releaseManifest(),
  pushed: pushed(),
  environments: [
    { name: 'dev', live: liveOf('identity-session', 'checkout-timeouts', 'search-ranking') },
    { name: 'staging', live: liveOf('identity-session') },
    { name: 'prod', live: [] },
  ],
  plan: releasePlan(),
  signoffs: signoffs(),
  approvals: approvals(),
  ...overrides,
});
const codes = (overrides: Partial<ReleaseStateInput>, now = NOW) =>
  releaseState(input(overrides), now).readiness.reasons.map((r) => [r.code, r.severity ?? 'error']);

describe('releaseState', () => {
  it('derives bundles in plan order, teams, environments, progress and readiness', () => {
    const state = releaseState(input(), NOW);
    expect(state.bundles.map((b) => `${b.name}@${b.version}`)).toEqual([
      'identity-session@2',
      'checkout-timeouts@3',
      'search-ranking@1',
    ]);
    expect(state.teams).toEqual(['identity', 'payments', 'search']);
    expect(state.environments.map((e) => [e.environment, e.status])).toEqual([
      ['dev', 'complete'],
      ['staging', 'partial'],
      ['prod', 'none'],
    ]);
    expect(state.progress).toBe('in-progress');
    expect(state.signoffs.complete).toBe(true);
    expect(state.manifest?.owner).toBe('olivia');
    expect(state.readiness).toEqual({ ready: true, reasons: [] });
  });

  it.each<[string, Partial<ReleaseStateInput>, string]>([
    ['nowhere', { environments: [{ name: 'prod', live: [] }] }, 'not-started'],
    ['no environment at all', { environments: [] }, 'not-started'],
    [
      'everywhere',
      {
        environments: [
          { name: 'prod', live: liveOf('identity-session', 'checkout-timeouts', 'search-ranking') },
        ],
      },
      'complete',
    ],
  ])('progress when live %s', (_, overrides, progress) => {
    expect(releaseState(input(overrides), NOW).progress).toBe(progress);
  });

  it.each<[string, Partial<ReleaseStateInput>, string[][]]>([
    [
      'no bundle labelled with the release (and so no approval possible over nothing pushed)',
      {
        pushed: [],
        manifest: releaseManifest({ bundles: [] }),
        signoffs: [],
        approvals: [],
        plan: releasePlan({ signoffs: [] }),
      },
      [
        ['release.empty', 'error'],
        ['release.approval-missing', 'error'],
      ],
    ],
    [
      'a listed bundle not pushed and a pin of an unknown version (the pinned bundle leaves the release, so sign-offs over it lapse)',
      {
        manifest: releaseManifest({
          bundles: [
            { name: 'ledger' },
            { name: 'identity-session', version: '9' },
            { name: 'checkout-timeouts' },
            { name: 'search-ranking' },
          ],
        }),
      },
      [
        ['release.bundle-missing', 'error'],
        ['release.bundle-missing', 'error'],
        ['release.signoff-stale', 'error'],
        ['release.signoff-stale', 'error'],
        ['release.approval-stale', 'error'],
      ],
    ],
    [
      'a dependency cycle in the plan',
      { plan: releasePlan({ cycles: [['a', 'b']] }) },
      [['release.plan-cycle', 'error']],
    ],
    [
      'validation errors in one environment (warnings alone do not block)',
      {
        validation: {
          dev: [{ ...problem('key.unknown', 'x'), severity: 'warning' }],
          prod: [problem('release.conflict', 'x'), problem('value.invalid', 'y')],
        },
      },
      [['release.invalid', 'error']],
    ],
    [
      'missing sign-offs and approval',
      { signoffs: signoffs(['identity']), approvals: [] },
      [
        ['release.signoff-missing', 'error'],
        ['release.signoff-missing', 'error'],
        ['release.approval-missing', 'error'],
      ],
    ],
    [
      'sign-offs made stale by a new version',
      { pushed: [...pushed(), pushedOf(identitySession({ version: '3' }))] },
      [
        ['release.signoff-stale', 'error'],
        ['release.signoff-stale', 'error'],
        ['release.approval-stale', 'error'],
      ],
    ],
    [
      'a freeze overlapping the target day (a warning); one the day before does not count',
      {
        freezes: [
          { id: 'w1', name: 'year-end', start: '2026-12-14T18:00:00Z', end: '2026-12-15T06:00:00Z' },
          { id: 'w2', name: 'before', start: '2026-12-13T00:00:00Z', end: '2026-12-14T00:00:00Z' },
        ],
      },
      [['release.frozen-on-target', 'warning']],
    ],
  ])('blocks or warns on %s', (_, overrides, expected) => {
    expect(codes(overrides)).toEqual(expected);
  });

  it('explains stale sign-offs and readiness messages', () => {
    const state = releaseState(
      input({ pushed: [...pushed(), pushedOf(identitySession({ version: '3' }))] }),
      NOW,
    );
    expect(state.readiness.ready).toBe(false);
    expect(state.readiness.reasons[0]?.message).toBe(
      'team identity has not signed off (stale: identity-session@2 became identity-session@3)',
    );
    expect(state.readiness.reasons[2]?.message).toBe(
      'no release manager has approved (stale: identity-session@2 became identity-session@3)',
    );
  });

  it('names what is missing, with the versions that were pushed', () => {
    const manifest = releaseManifest({ bundles: [{ name: 'identity-session', version: '9' }] });
    const [reason] = releaseState(input({ manifest }), NOW).readiness.reasons;
    expect(reason?.message).toBe('the manifest lists identity-session@9, which is not pushed (pushed: 1, 2)');
  });

  it('warns once the target date has passed while the release is not complete everywhere', () => {
    expect(codes({}, '2026-12-15T00:00:00Z')).toEqual([['release.target-passed', 'warning']]);
    const done = {
      environments: [
        { name: 'prod', live: liveOf('identity-session', 'checkout-timeouts', 'search-ranking') },
      ],
    };
    expect(codes(done, '2026-12-15T00:00:00Z')).toEqual([]);
    expect(codes({}, '2026-12-14T23:59:59Z')).toEqual([]);
  });

  it('works without a manifest: no target date, no freezes, no missing bundles', () => {
    const freezes = [
      { id: 'w1', name: 'year-end', start: '2026-12-14T18:00:00Z', end: '2026-12-15T06:00:00Z' },
    ];
    const state = releaseState(
      input({ manifest: undefined, freezes, signoffs: undefined, approvals: undefined }),
      '2030-01-01T00:00:00Z',
    );
    expect(state.manifest).toBeUndefined();
    expect(state.freezes).toEqual([]);
    expect(state.missing).toEqual([]);
    expect(state.readiness.reasons.map((r) => r.code)).toEqual([
      'release.signoff-missing',
      'release.signoff-missing',
      'release.signoff-missing',
      'release.approval-missing',
    ]);
  });
});
