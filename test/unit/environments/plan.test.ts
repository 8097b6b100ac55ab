import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainStart } from '#domain/audit/event.ts';
import { emptySnapshot, snapshotHash } from '#domain/bundles/snapshot.ts';
import type { Snapshot } from '#domain/bundles/snapshot.ts';
import type { DeploymentRecord, Head } from '#domain/environments/head.ts';
import { planDeploy, planRollback } from '#domain/environments/plan.ts';
import type { DeployInput } from '#domain/environments/plan.ts';
import { sampleCatalog, sealed } from '../support/catalog.ts';

const AT = '2026-12-01T10:00:00.000Z';
const catalog = sampleCatalog();

const headOn = (snapshot: Snapshot, version = 4): Head => ({
  environment: 'staging',
  version,
  snapshot: snapshotHash(snapshot),
  audit: chainStart,
});

const deployInput = (overrides: Partial<DeployInput> = {}): DeployInput => {
  const snapshot = overrides.snapshot ?? emptySnapshot();
  return {
    catalog,
    environment: 'staging',
    head: headOn(snapshot),
    snapshot,
    bundle: sealed(),
    services: {},
    releaseBundles: [],
    principal: 'olivia',
    at: AT,
    ...overrides,
  };
};

describe('planDeploy', () => {
  it('computes the next snapshot, the deployment record and the audit draft', () => {
    const input = deployInput({ idempotencyKey: 'req-1' });
    const plan = planDeploy(input);
    if (!plan.ok) throw new Error(JSON.stringify(plan));
    expect(plan.next).toEqual({
      values: { 'payments.checkout.timeoutMs': 2500 },
      bundles: [{ name: 'checkout-timeouts', version: '3', hash: input.bundle.hash }],
    });
    expect(plan.nextHash).toBe(snapshotHash(plan.next));
    expect(plan.deployment).toEqual({
      id: 'dpl-staging-5',
      environment: 'staging',
      kind: 'deploy',
      headVersion: 5,
      bundle: { name: 'checkout-timeouts', version: '3', hash: input.bundle.hash },
      previousSnapshot: input.head.snapshot,
      snapshot: plan.nextHash,
      principal: 'olivia',
      at: AT,
      idempotencyKey: 'req-1',
      sinks: {},
    });
    expect(plan.audit).toEqual({
      type: 'BundleDeployed',
      at: AT,
      actor: 'olivia',
      subject: 'staging',
      detail: {
        deploymentId: 'dpl-staging-5',
        bundle: 'checkout-timeouts@3',
        hash: input.bundle.hash,
        previousSnapshot: input.head.snapshot,
        snapshot: plan.nextHash,
        headVersion: 5,
      },
    });
  });

  it('leaves out the idempotency key when none was given', () => {
    const plan = planDeploy(deployInput());
    expect(plan.ok && 'idempotencyKey' in plan.deployment).toBe(false);
  });

  it('rejects an invalid bundle with every problem', () => {
    const plan = planDeploy(
      deployInput({
        bundle: sealed({ changes: [{ set: 'payments.checkout.timeoutMs', value: 1 }], dependsOn: ['x@1'] }),
      }),
    );
    expect(!plan.ok && plan.reason === 'invalid' && plan.problems.map((p) => p.code)).toEqual([
      'value.invalid',
      'dependency.not-deployed',
    ]);
  });

  it('rejects a bundle whose name@version is already applied with the same hash', () => {
    const bundle = sealed();
    const snapshot: Snapshot = {
      values: {},
      bundles: [{ name: 'checkout-timeouts', version: '3', hash: bundle.hash }],
    };
    expect(planDeploy(deployInput({ bundle, snapshot }))).toEqual({
      ok: false,
      reason: 'already-deployed',
      message: 'checkout-timeouts@3 is already deployed to staging',
    });
  });

  it('re-applies a name@version recorded with a different hash', () => {
    const snapshot: Snapshot = {
      values: {},
      bundles: [{ name: 'checkout-timeouts', version: '3', hash: 'other' }],
    };
    expect(planDeploy(deployInput({ snapshot })).ok).toBe(true);
  });
});

const record = (overrides: Partial<DeploymentRecord>): DeploymentRecord => ({
  id: 'dpl-staging-4',
  environment: 'staging',
  kind: 'deploy',
  headVersion: 4,
  previousSnapshot: 'snap-3',
  snapshot: 'snap-4',
  principal: 'olivia',
  at: AT,
  sinks: {},
  ...overrides,
});

describe('planRollback', () => {
  const head: Head = {
    environment: 'staging',
    version: 4,
    snapshot: 'snap-4',
    deploymentId: 'dpl-staging-4',
    audit: chainStart,
  };

  it('goes back to the snapshot before HEAD’s deployment', () => {
    const plan = planRollback({
      environment: 'staging',
      head,
      current: record({}),
      principal: 'olivia',
      at: AT,
      idempotencyKey: 'k',
    });
    expect(plan).toEqual({
      ok: true,
      snapshot: 'snap-3',
      deployment: {
        id: 'dpl-staging-5',
        environment: 'staging',
        kind: 'rollback',
        headVersion: 5,
        previousSnapshot: 'snap-4',
        snapshot: 'snap-3',
        rolledBackTo: 'dpl-staging-3',
        undoes: 'dpl-staging-4',
        principal: 'olivia',
        at: AT,
        idempotencyKey: 'k',
        sinks: {},
      },
      audit: {
        type: 'EnvironmentRolledBack',
        at: AT,
        actor: 'olivia',
        subject: 'staging',
        detail: {
          deploymentId: 'dpl-staging-5',
          rolledBackTo: 'dpl-staging-3',
          undoes: 'dpl-staging-4',
          previousSnapshot: 'snap-4',
          snapshot: 'snap-3',
          headVersion: 5,
        },
      },
    });
  });

  it('goes to the state right after a named deployment', () => {
    const target = record({
      id: 'dpl-staging-2',
      headVersion: 2,
      previousSnapshot: 'snap-1',
      snapshot: 'snap-2',
    });
    const plan = planRollback({
      environment: 'staging',
      head,
      current: record({}),
      target,
      principal: 'olivia',
      at: AT,
    });
    expect(plan.ok && [plan.snapshot, plan.deployment.rolledBackTo]).toEqual(['snap-2', 'dpl-staging-2']);
    expect(plan.ok && 'idempotencyKey' in plan.deployment).toBe(false);
  });

  it.each([
    [
      'nothing deployed yet',
      { current: undefined, target: undefined },
      { ok: false, reason: 'nothing-to-roll-back', message: 'staging has no deployment to roll back' },
    ],
    [
      'a target that is already live',
      { current: record({}), target: record({}) },
      {
        ok: false,
        reason: 'same-snapshot',
        message: 'staging already runs the snapshot of dpl-staging-4; nothing changes',
      },
    ],
    [
      'a previous snapshot equal to HEAD',
      { current: record({ previousSnapshot: 'snap-4' }) },
      {
        ok: false,
        reason: 'same-snapshot',
        message: 'staging already runs the snapshot before dpl-staging-4; nothing changes',
      },
    ],
  ])('refuses %s', (_, records, expected) => {
    expect(planRollback({ environment: 'staging', head, principal: 'olivia', at: AT, ...records })).toEqual(
      expected,
    );
  });
});

describe('deploy then roll back', () => {
  it('restores the original snapshot', () => {
    const original = fc.dictionary(
      fc.constantFrom(
        'payments.checkout.timeoutMs',
        'payments.checkout.mode',
        'identity.session.ttlSeconds',
        'legacy.old.key',
      ),
      fc.oneof(fc.integer({ min: 100, max: 30000 }), fc.constantFrom('fast', 'safe')),
    );
    const timeout = fc.integer({ min: 100, max: 30000 });
    fc.assert(
      fc.property(original, timeout, fc.nat(100), (values, value, version) => {
        const snapshot: Snapshot = { values, bundles: [] };
        const head = headOn(snapshot, version);
        const bundle = sealed({ changes: [{ set: 'payments.checkout.timeoutMs', value }] });
        const deployed = planDeploy(deployInput({ snapshot, head, bundle }));
        if (!deployed.ok) throw new Error(JSON.stringify(deployed));
        const afterDeploy: Head = {
          ...head,
          version: deployed.deployment.headVersion,
          snapshot: deployed.nextHash,
        };
        const rolledBack = planRollback({
          environment: 'staging',
          head: afterDeploy,
          current: deployed.deployment,
          principal: 'olivia',
          at: AT,
        });
        expect(rolledBack.ok && rolledBack.snapshot).toBe(snapshotHash(snapshot));
      }),
    );
  });
});

describe('planRollback of the first deployment', () => {
  it('restores the initial state, which no deployment produced', () => {
    const first = {
      id: 'dpl-dev-1',
      environment: 'dev',
      kind: 'deploy' as const,
      headVersion: 1,
      previousSnapshot: 'empty',
      snapshot: 'snap-1',
      principal: 'olivia',
      at: '2026-12-01T09:00:00.000Z',
      sinks: {},
    };
    const plan = planRollback({
      environment: 'dev',
      head: {
        environment: 'dev',
        version: 1,
        snapshot: 'snap-1',
        deploymentId: 'dpl-dev-1',
        audit: { seq: 1, hash: 'h' },
      },
      current: first,
      principal: 'olivia',
      at: '2026-12-01T10:00:00.000Z',
    });
    expect(plan).toMatchObject({ ok: true, snapshot: 'empty', deployment: { undoes: 'dpl-dev-1' } });
    expect(plan.ok && plan.deployment.rolledBackTo).toBeUndefined();
    expect(plan.ok && plan.audit.detail.rolledBackTo).toBeNull();
  });
});
