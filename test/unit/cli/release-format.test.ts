import { describe, expect, it } from 'vitest';
import { releaseResponse } from '#api/releases.ts';
import { coverOf, signoffScope } from '#domain/releases/signoff.ts';
import { pushedOf } from '#domain/releases/release-bundles.ts';
import { releaseSummary } from '#domain/releases/release-list.ts';
import { releaseState, type ReleaseStateInput } from '#domain/releases/release-state.ts';
import { partialReleaseLines, releaseListLines, releaseStatusLines } from '#cli/release-format.ts';
import {
  RELEASE,
  releaseBundles,
  releaseManifest,
  releasePlan,
} from '../../fixtures/releases/three-teams.ts';

const golden = (name: string): string => `../../fixtures/releases/cli/${name}`;
const NOW = '2026-12-10T12:00:00.000Z';
const pushed = releaseBundles().map(pushedOf);
const [identity, checkout, search] = pushed.map(coverOf);
const live = (...names: string[]) => pushed.filter((b) => names.includes(b.name)).map(coverOf);

/** dev holds all of it, staging some (with the deployment before it known), prod another version. */
const input = (overrides: Partial<ReleaseStateInput> = {}): ReleaseStateInput => ({
  release: RELEASE,
  manifest: releaseManifest(),
  pushed,
  plan: releasePlan(),
  environments: [
    { name: 'dev', live: live('identity-session', 'checkout-timeouts', 'search-ranking') },
    {
      name: 'staging',
      live: live('identity-session'),
      deployments: [
        {
          id: 'staging#5',
          environment: 'staging',
          headVersion: 5,
          kind: 'deploy',
          bundle: { name: 'identity-session', version: '2', hash: identity?.hash ?? '' },
          previousSnapshot: 'a'.repeat(64),
          snapshot: 'b'.repeat(64),
          principal: 'ivan',
          at: '2026-12-09T10:00:00.000Z',
          sinks: {},
        },
      ],
    },
    { name: 'prod', live: [{ name: 'search-ranking', version: '0', hash: 'old' }] },
  ],
  signoffs: [
    { release: RELEASE, team: 'identity', principal: 'ivan', note: 'lgtm', at: NOW, covers: [identity!] },
    {
      release: RELEASE,
      team: 'payments',
      principal: 'priya',
      at: NOW,
      covers: [identity!, { ...checkout!, version: '2', hash: 'before' }],
    },
  ],
  freezes: [{ id: 'ye', name: 'Year-end', start: '2026-12-14T00:00:00Z', end: '2026-12-15T00:00:00Z' }],
  ...overrides,
});

describe('release status formatting', () => {
  it('prints the environment × bundle matrix, the ways out of partial environments, sign-offs, readiness', async () => {
    const state = releaseState(input(), NOW);
    const text = releaseStatusLines(releaseResponse({ state, plan: releasePlan(), validation: {} })).join(
      '\n',
    );
    await expect(`${text}\n`).toMatchFileSnapshot(golden('status.txt'));
  });

  it('a complete, signed-off release is held back only by a bundle its manifest lists and nobody pushed', async () => {
    const all = [identity!, checkout!, search!];
    const signoffs = (['identity', 'payments', 'search'] as const).map((team) => ({
      release: RELEASE,
      team,
      principal: team,
      at: NOW,
      covers: signoffScope(releasePlan(), team, all),
    }));
    const state = releaseState(
      input({
        environments: [{ name: 'dev', live: all }],
        signoffs,
        approvals: [{ release: RELEASE, principal: 'olivia', at: NOW, covers: all }],
        freezes: [],
        manifest: releaseManifest({
          bundles: [...releaseManifest().bundles, { name: 'extra', version: '1' }],
        }),
      }),
      NOW,
    );
    const text = releaseStatusLines(releaseResponse({ state, plan: releasePlan(), validation: {} })).join(
      '\n',
    );
    await expect(`${text}\n`).toMatchFileSnapshot(golden('status-ready.txt'));
  });

  it('an empty release says so', () => {
    const state = releaseState(input({ pushed: [], manifest: undefined, environments: [] }), NOW);
    const lines = releaseStatusLines(releaseResponse({ state, plan: releasePlan(), validation: {} }));
    expect(lines[0]).toBe(`Release ${RELEASE}: 0 bundle(s) from no team, not-started`);
    expect(lines).toContain('  ✗ no bundle is labelled 2026.12-R1');
  });
});

describe('release list formatting', () => {
  it('prints one aligned row per release', async () => {
    const partial = releaseSummary(releaseState(input(), NOW));
    const bare = releaseSummary(
      releaseState(input({ release: '2027.01-R1', manifest: undefined, pushed: [], environments: [] }), NOW),
    );
    const text = releaseListLines([partial, bare]).join('\n');
    await expect(`${text}\n`).toMatchFileSnapshot(golden('list.txt'));
  });

  it('says how to start when there is none', () => {
    expect(releaseListLines([])).toEqual([
      'No releases. Label bundles with `release:` or define one with `convoy release define <file>`.',
    ]);
  });
});

describe('partial releases in convoy status', () => {
  it('lists each partial environment with its two ways out as commands', async () => {
    const state = releaseState(input(), NOW);
    const complete = releaseState(
      input({
        release: '2027.01-R1',
        environments: [{ name: 'dev', live: [identity!, checkout!, search!] }],
      }),
      NOW,
    );
    const text = partialReleaseLines(
      [state, complete].map((s) => releaseResponse({ state: s, plan: releasePlan(), validation: {} })),
    ).join('\n');
    await expect(`${text}\n`).toMatchFileSnapshot(golden('status-partial.txt'));
  });

  it('prints nothing when no release is partial', () => {
    const state = releaseState(input({ environments: [] }), NOW);
    expect(partialReleaseLines([releaseResponse({ state, plan: releasePlan(), validation: {} })])).toEqual(
      [],
    );
  });
});
