import { describe, expect, it } from 'vitest';
import {
  checkOverrideUse,
  consumeOverride,
  overrideCovers,
  type OverrideUse,
} from '#domain/overrides/override-use.ts';
import { approved, pending } from './support/override.ts';

const use = (extra: Partial<OverrideUse> = {}): OverrideUse => ({
  environment: 'prod-eu',
  bundle: 'checkout-timeouts@3',
  kind: 'deploy',
  at: '2026-12-24T11:00:00Z',
  ...extra,
});

describe('using an override', () => {
  it.each([
    ['an approved override in its time box and scope', approved(), use(), null],
    ['as a rollout phase of the same bundle', approved(), use({ kind: 'rollout-phase' }), null],
    ['a pending one', pending(), use(), 'override.not-approved'],
    ['a rejected one', pending({ status: 'rejected' }), use(), 'override.not-approved'],
    ['an expired one', approved({ status: 'expired' }), use(), 'override.expired'],
    ['after its time box', approved(), use({ at: '2026-12-24T12:30:00Z' }), 'override.expired'],
    ['before it was approved', approved(), use({ at: '2026-12-24T10:00:00Z' }), 'override.not-approved'],
    ['at no instant', approved(), use({ at: 'now' }), 'override.not-approved'],
    ['a used single-use one', approved({ status: 'used' }), use(), 'override.used'],
    ['in another environment', approved(), use({ environment: 'prod-us' }), 'override.scope-mismatch'],
    ['for another bundle', approved(), use({ bundle: 'checkout-timeouts@4' }), 'override.scope-mismatch'],
    [
      'for a change without a bundle',
      approved(),
      use({ bundle: undefined, kind: 'flag' }),
      'override.scope-mismatch',
    ],
    [
      'for a rollback under a bundle override',
      approved(),
      use({ kind: 'rollback' }),
      'override.scope-mismatch',
    ],
    [
      'for a kind the override lists',
      approved({ bundle: undefined, changeKinds: ['flag'] }),
      use({ kind: 'flag' }),
      null,
    ],
    [
      'for a kind it does not list',
      approved({ bundle: undefined, changeKinds: ['flag'] }),
      use({ kind: 'deploy' }),
      'override.scope-mismatch',
    ],
    ['when it lists no kinds at all', approved({ bundle: undefined }), use(), 'override.scope-mismatch'],
  ])('%s: %s', (_, override, change, code) => {
    const check = checkOverrideUse(override, change);
    expect(check.usable ? null : check.code).toBe(code);
    if (!check.usable) expect(check.message).toContain('ovr-1');
  });

  it('a single-use override is used up by its use, inside the same transaction', () => {
    const first = consumeOverride(approved(), { ...use(), deploymentId: 'dep-1' });
    expect(first).toMatchObject({
      ok: true,
      override: { status: 'used', uses: [{ at: '2026-12-24T11:00:00.000Z', deploymentId: 'dep-1' }] },
    });
    const second = first.ok ? consumeOverride(first.override, use({ at: '2026-12-24T11:05:00Z' })) : first;
    expect(second).toMatchObject({ ok: false, code: 'override.used' });
  });

  it('a reusable override stays approved and records each use', () => {
    const first = consumeOverride(approved({ reusable: true }), use());
    const second = first.ok ? consumeOverride(first.override, use({ at: '2026-12-24T11:05:00Z' })) : first;
    expect(second).toMatchObject({
      ok: true,
      override: {
        status: 'approved',
        uses: [{ at: '2026-12-24T11:00:00.000Z' }, { at: '2026-12-24T11:05:00.000Z' }],
      },
    });
  });

  it('a past use is judged by the time box and scope, not by the status it has since', () => {
    expect(overrideCovers(approved({ status: 'used' }), use()).usable).toBe(true);
    expect(overrideCovers(pending(), use()).usable).toBe(false);
  });
});
