import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FREEZE_CHAIN } from '#store/keys.ts';
import type { ConvoyStore } from '#store/ports.ts';
import {
  AT,
  actor,
  catalogOf,
  convoyError,
  createHarness,
  prepareDeploy,
  requireHead,
  sealedBundle,
  type Harness,
} from '../store/support.ts';
import { approvedOverride } from './support.ts';

let h: Harness;

beforeAll(async () => {
  h = await createHarness('override-store');
  await h.store.catalogs.putCatalog(catalogOf(['prod-eu', 'prod-us']), 0, actor());
});
afterAll(async () => {
  await h.table.drop();
});

/** Commit a deploy to `env` whose transaction consumes `id` (as the freeze gate does). */
const deployWith = async (store: ConvoyStore, env: string, id: string, version: string, at = AT) => {
  const head = await requireHead(store, env);
  const change = await prepareDeploy(
    store,
    head,
    sealedBundle('hotfix', version, { 'payments.checkout.timeoutMs': 1000 + Number(version) }),
    { at },
  );
  const stored = await store.overrides.get(id);
  if (!stored) throw new Error(`no override ${id}`);
  const use = { at, principal: 'olivia', deploymentId: change.deployment.id };
  return store.environments.commit({
    ...change,
    guards: [{ kind: 'override-use', override: stored.override, use }],
  });
};

describe('OverrideStore', () => {
  it('creates an override once, with OverrideRequested on the _freeze chain', async () => {
    const pending = approvedOverride('ovr-a', {
      status: 'pending',
      approvals: [],
      approvedAt: undefined,
      expiresAt: undefined,
    });
    const { approvedAt: _a, expiresAt: _e, ...clean } = pending;
    expect(await h.store.overrides.create(clean, actor('priya'))).toEqual({ override: clean, revision: 1 });
    expect(await h.store.overrides.get('ovr-a')).toEqual({ override: clean, revision: 1 });
    expect((await convoyError(h.store.overrides.create(clean, actor('priya')))).code).toBe('conflict');
    const [event] = (await h.store.audit.listEvents({ chain: FREEZE_CHAIN })).slice(-1);
    expect(event).toMatchObject({
      type: 'OverrideRequested',
      subject: 'ovr-a',
      actor: 'priya',
      detail: { reason: clean.reason, ticket: 'INC-1' },
    });
    expect(await h.store.overrides.get('ovr-missing')).toBeUndefined();
  });

  it('updates conditionally on the revision, with the decision in the audit chain', async () => {
    const stored = await h.store.overrides.get('ovr-a');
    const next = approvedOverride('ovr-a');
    const draft = {
      type: 'OverrideApproved',
      at: AT,
      actor: 'rita',
      subject: 'ovr-a',
      detail: { overrideId: 'ovr-a' },
    };
    const saved = await h.store.overrides.update(next, stored?.revision ?? 0, draft);
    expect(saved).toEqual({ override: next, revision: 2 });
    const stale = await convoyError(h.store.overrides.update(next, 1, draft));
    expect(stale.code).toBe('conflict');
    expect(stale.context.overrideId).toBe('ovr-a');
  });

  it('remembers the workflow task token, and refuses one for an unknown override', async () => {
    expect((await h.store.overrides.setTaskToken('ovr-a', 'token-1')).taskToken).toBe('token-1');
    expect((await h.store.overrides.get('ovr-a'))?.taskToken).toBe('token-1');
    expect((await convoyError(h.store.overrides.setTaskToken('ovr-nope', 'token-1'))).code).toBe('not-found');
  });

  it('lists newest first, by environment and by status', async () => {
    await h.store.overrides.create(
      approvedOverride('ovr-b', { environment: 'prod-us', requestedAt: '2026-03-01T09:05:00.000Z' }),
      actor(),
    );
    expect((await h.store.overrides.list()).map((s) => s.override.id)).toEqual(['ovr-b', 'ovr-a']);
    expect((await h.store.overrides.list({ environment: 'prod-eu' })).map((s) => s.override.id)).toEqual([
      'ovr-a',
    ]);
    expect(
      (await h.store.overrides.list({ status: 'approved', environment: 'prod-us' })).map(
        (s) => s.override.id,
      ),
    ).toEqual(['ovr-b']);
    expect(await h.store.overrides.list({ status: 'rejected' })).toEqual([]);
  });

  it('consumes a single-use override inside the commit, with OverrideUsed, and refuses its reuse', async () => {
    const committed = await deployWith(h.store, 'prod-eu', 'ovr-a', '1');
    const used = await h.store.overrides.get('ovr-a');
    expect(used?.override).toMatchObject({
      status: 'used',
      uses: [{ at: AT, deploymentId: committed.deployment.id }],
    });
    expect(used?.revision).toBe(3);
    expect((await h.store.audit.listEvents({ chain: FREEZE_CHAIN })).at(-1)).toMatchObject({
      type: 'OverrideUsed',
      subject: 'ovr-a',
      detail: { deploymentId: committed.deployment.id, status: 'used' },
    });
    const head = await requireHead(h.store, 'prod-eu');
    const again = await convoyError(deployWith(h.store, 'prod-eu', 'ovr-a', '2'));
    expect(again.code).toBe('conflict');
    expect(again.context.failedGuards).toEqual([0]);
    expect((await requireHead(h.store, 'prod-eu')).version).toBe(head.version);
  });

  it('refuses an override past its time box in the commit, whatever its stored status says', async () => {
    await h.store.overrides.create(approvedOverride('ovr-late'), actor());
    const head = await requireHead(h.store, 'prod-eu');
    const error = await convoyError(
      deployWith(h.store, 'prod-eu', 'ovr-late', '3', '2026-03-01T11:40:00.000Z'),
    );
    expect(error.context.failedGuards).toEqual([0]);
    expect((await requireHead(h.store, 'prod-eu')).version).toBe(head.version);
    expect((await h.store.overrides.get('ovr-late'))?.override.status).toBe('approved');
  });

  it('keeps a reusable override approved and records every use', async () => {
    await h.store.overrides.create(
      approvedOverride('ovr-many', { environment: 'prod-us', reusable: true }),
      actor(),
    );
    await deployWith(h.store, 'prod-us', 'ovr-many', '4');
    await deployWith(h.store, 'prod-us', 'ovr-many', '5');
    const stored = await h.store.overrides.get('ovr-many');
    expect(stored?.override.status).toBe('approved');
    expect(stored?.override.uses.map((u) => u.deploymentId)).toEqual(['dpl-prod-us-1', 'dpl-prod-us-2']);
  });
});
