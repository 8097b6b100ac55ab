import { describe, expect, it } from 'vitest';
import { snapshotHash } from '#domain/bundles/snapshot.ts';
import type { Snapshot } from '#domain/bundles/snapshot.ts';
import { planKillSwitch } from '#domain/flags/kill-switch.ts';
import type { Head } from '#domain/environments/head.ts';

const snapshot: Snapshot = {
  values: {
    'checkout.newFlow': { type: 'boolean', enabled: true },
    'checkout.express': { type: 'boolean', enabled: true, killed: true },
    'checkout.timeoutMs': 2000,
  },
  bundles: [{ name: 'flags', version: '1', hash: 'h' }],
};
const head: Head = { environment: 'prod-eu', version: 4, snapshot: 'before', audit: { seq: 9, hash: 'x' } };
const plan = (flag: string, killed: boolean, idempotencyKey?: string) =>
  planKillSwitch({
    environment: 'prod-eu',
    head,
    snapshot,
    flag,
    killed,
    reason: 'errors',
    principal: 'olivia',
    at: '2026-12-01T10:00:00Z',
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  });

describe('planKillSwitch', () => {
  it('changes only the flag’s killed, as the next HEAD version, with its record and audit event', () => {
    const result = plan('checkout.newFlow', true, 'k-1');
    if (!result.ok) throw new Error(result.message);
    expect(result.next).toEqual({
      ...snapshot,
      values: { ...snapshot.values, 'checkout.newFlow': { type: 'boolean', enabled: true, killed: true } },
    });
    expect(result.nextHash).toBe(snapshotHash(result.next));
    expect(result.deployment).toMatchObject({
      id: 'dpl-prod-eu-5',
      kind: 'flag-kill-switch',
      headVersion: 5,
      flag: { key: 'checkout.newFlow', killed: true, reason: 'errors' },
      previousSnapshot: 'before',
      idempotencyKey: 'k-1',
    });
    expect(result.audit).toMatchObject({ type: 'FlagKillSwitched', subject: 'prod-eu' });
    expect(snapshot.values['checkout.newFlow']).toEqual({ type: 'boolean', enabled: true });
  });

  it('unkills a killed flag', () => {
    const result = plan('checkout.express', false);
    expect(result.ok && result.deployment.idempotencyKey).toBeUndefined();
  });

  it.each([
    ['a flag the environment lacks', 'checkout.ghost', true, 'not-set'],
    ['a parameter that is not a flag', 'checkout.timeoutMs', true, 'not-set'],
    ['a flag already killed', 'checkout.express', true, 'unchanged'],
    ['a flag not killed', 'checkout.newFlow', false, 'unchanged'],
  ] as const)('changes nothing for %s', (_l, flag, killed, reason) => {
    expect(plan(flag, killed)).toMatchObject({ ok: false, reason });
  });
});
