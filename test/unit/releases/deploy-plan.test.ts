import { describe, expect, it } from 'vitest';
import { chainStart } from '#domain/audit/event.ts';
import { applyBundle, emptySnapshot, snapshotHash } from '#domain/bundles/snapshot.ts';
import type { Snapshot } from '#domain/bundles/snapshot.ts';
import type { Head } from '#domain/environments/head.ts';
import { planReleaseDeploy } from '#domain/releases/deploy-plan.ts';
import type { ReleaseDeployInput, ReleaseDeploymentRecord } from '#domain/releases/deploy-plan.ts';
import { planReleaseRollback } from '#domain/releases/rollback-plan.ts';
import type { SignoffStatus } from '#domain/releases/signoff.ts';
import {
  checkoutTimeouts,
  identitySession,
  RELEASE,
  releaseBundles,
  releaseCatalog,
  services,
} from '../../fixtures/releases/three-teams.ts';

const signed: SignoffStatus = {
  teams: [{ team: 'identity', state: 'signed' }],
  approval: { state: 'signed' },
  complete: true,
};
const unsigned: SignoffStatus = {
  teams: [
    { team: 'identity', state: 'signed' },
    { team: 'payments', state: 'stale' },
    { team: 'search', state: 'missing' },
  ],
  approval: { state: 'missing' },
  complete: false,
};
const headOf = (snapshot: Snapshot, version = 4): Head => ({
  environment: 'prod',
  version,
  snapshot: snapshotHash(snapshot),
  audit: chainStart,
});
const input = (overrides: Partial<ReleaseDeployInput> = {}): ReleaseDeployInput => ({
  release: RELEASE,
  catalog: releaseCatalog(),
  environment: 'prod',
  head: headOf(emptySnapshot()),
  snapshot: emptySnapshot(),
  services,
  bundles: releaseBundles(),
  signoffs: signed,
  principal: 'olivia',
  at: '2026-12-14T09:00:00Z',
  ...overrides,
});

describe('planReleaseDeploy', () => {
  it('applies every bundle to one snapshot: one record listing them, one audit event', () => {
    const plan = planReleaseDeploy(input({ idempotencyKey: 'k-1' }));
    if (!plan.ok) throw new Error(JSON.stringify(plan));
    const before = snapshotHash(emptySnapshot());
    const bundles = releaseBundles().map(({ bundle, hash }) => ({
      name: bundle.name,
      version: bundle.version,
      hash,
    }));
    expect(plan.next.bundles).toEqual(bundles);
    expect(plan.nextHash).toBe(snapshotHash(plan.next));
    expect(plan.deployment).toEqual({
      id: 'dpl-prod-5',
      environment: 'prod',
      kind: 'release',
      release: RELEASE,
      headVersion: 5,
      bundles,
      previousSnapshot: before,
      snapshot: plan.nextHash,
      principal: 'olivia',
      at: '2026-12-14T09:00:00Z',
      idempotencyKey: 'k-1',
      sinks: {},
    });
    expect(plan.audit).toEqual({
      type: 'ReleaseDeployed',
      at: '2026-12-14T09:00:00Z',
      actor: 'olivia',
      subject: 'prod',
      detail: {
        deploymentId: 'dpl-prod-5',
        release: RELEASE,
        bundles: ['identity-session@2', 'checkout-timeouts@3', 'search-ranking@1'],
        hashes: bundles.map((b) => b.hash),
        previousSnapshot: before,
        snapshot: plan.nextHash,
        headVersion: 5,
        signoffOverride: null,
      },
    });
  });

  it('heals a partial environment by deploying the rest only', () => {
    const partial = applyBundle(emptySnapshot(), identitySession());
    const plan = planReleaseDeploy(input({ snapshot: partial, head: headOf(partial) }));
    expect(plan.ok && plan.deployment.bundles.map((b) => b.name)).toEqual([
      'checkout-timeouts',
      'search-ranking',
    ]);
  });

  it('goes ahead without sign-offs on a release manager override, and records it with the teams it went without', () => {
    const override = { principal: 'olivia', reason: 'hotfix for INC-42' };
    const plan = planReleaseDeploy(input({ signoffs: unsigned, override }));
    expect(plan.ok && plan.deployment.signoffOverride).toEqual(override);
    expect(plan.ok && plan.audit.detail.signoffOverride).toEqual({
      ...override,
      unsignedTeams: ['payments', 'search'],
      approved: false,
    });
    const approvedOnly = planReleaseDeploy(
      input({ signoffs: { ...unsigned, approval: { state: 'signed' } }, override }),
    );
    expect(approvedOnly.ok && approvedOnly.audit.detail.signoffOverride).toMatchObject({ approved: true });
  });

  it.each<[string, Partial<ReleaseDeployInput>, object]>([
    [
      'missing sign-offs',
      { signoffs: unsigned },
      {
        ok: false,
        reason: 'signoffs-missing',
        message:
          'the release lacks sign-offs: team payments (stale), team search (missing), release manager approval (missing); a release manager may go ahead with --override-signoffs --reason ...',
      },
    ],
    [
      'an empty release',
      { bundles: [] },
      {
        ok: false,
        reason: 'invalid',
        problems: [{ code: 'release.empty', message: 'no bundle is labelled 2026.12-R1' }],
      },
    ],
    [
      'a release whose bundles break rules together',
      { bundles: [checkoutTimeouts(), identitySession()] },
      { ok: false, reason: 'invalid', problems: [{ code: 'release.dependency-order' }] },
    ],
    [
      'an unknown environment',
      { environment: 'qa' },
      { ok: false, reason: 'invalid', problems: [{ code: 'environment.unknown' }] },
    ],
  ])('refuses %s', (_, overrides, expected) => {
    expect(planReleaseDeploy(input(overrides))).toMatchObject(expected);
  });

  it('refuses a release already deployed in full', () => {
    const all = releaseBundles().reduce(applyBundle, emptySnapshot());
    expect(planReleaseDeploy(input({ snapshot: all, head: headOf(all) }))).toEqual({
      ok: false,
      reason: 'already-deployed',
      message: 'every bundle of 2026.12-R1 is already deployed to prod',
    });
  });
});

describe('planReleaseRollback', () => {
  const deployed = (headVersion: number): ReleaseDeploymentRecord => ({
    id: `dpl-prod-${headVersion}`,
    environment: 'prod',
    kind: 'release',
    release: RELEASE,
    headVersion,
    bundles: [],
    previousSnapshot: 'before',
    snapshot: 'after',
    principal: 'olivia',
    at: '2026-12-14T09:00:00Z',
    sinks: {},
  });
  const head = (snapshot: string, version: number): Head => ({
    environment: 'prod',
    version,
    snapshot,
    audit: chainStart,
  });
  const rollback = (deployment: ReleaseDeploymentRecord, current: Head, idempotencyKey?: string) =>
    planReleaseRollback({
      environment: 'prod',
      head: current,
      deployment,
      principal: 'olivia',
      at: '2026-12-14T10:00:00Z',
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    });

  it('restores the snapshot from before the release as one flip', () => {
    const plan = rollback(deployed(5), head('later', 7), 'k-2');
    expect(plan).toEqual({
      ok: true,
      snapshot: 'before',
      deployment: {
        id: 'dpl-prod-8',
        environment: 'prod',
        kind: 'rollback',
        headVersion: 8,
        previousSnapshot: 'later',
        snapshot: 'before',
        rolledBackTo: 'dpl-prod-4',
        undoes: 'dpl-prod-5',
        principal: 'olivia',
        at: '2026-12-14T10:00:00Z',
        idempotencyKey: 'k-2',
        sinks: {},
      },
      audit: {
        type: 'ReleaseRolledBack',
        at: '2026-12-14T10:00:00Z',
        actor: 'olivia',
        subject: 'prod',
        detail: {
          deploymentId: 'dpl-prod-8',
          release: RELEASE,
          undoes: 'dpl-prod-5',
          rolledBackTo: 'dpl-prod-4',
          previousSnapshot: 'later',
          snapshot: 'before',
          headVersion: 8,
        },
      },
    });
  });

  it('restores the initial state when the release was the first deploy', () => {
    const plan = rollback(deployed(1), head('after', 1));
    expect(plan.ok && plan.deployment.rolledBackTo).toBeUndefined();
    expect(plan.ok && plan.audit.detail.rolledBackTo).toBeNull();
  });

  it('refuses when the snapshot before the release is live already', () => {
    expect(rollback(deployed(5), head('before', 6))).toEqual({
      ok: false,
      reason: 'same-snapshot',
      message: 'prod already runs the snapshot before 2026.12-R1 (dpl-prod-5); nothing changes',
    });
  });
});
