import type { Override } from '#domain/overrides/override.ts';

/** A pending hard-freeze override for checkout-timeouts@3 in prod-eu, requested by paula. */
export const pending = (extra: Partial<Override> = {}): Override => ({
  id: 'ovr-1',
  status: 'pending',
  environment: 'prod-eu',
  bundle: 'checkout-timeouts@3',
  reason: 'Checkout fails for card payments in the EU',
  ticket: 'INC-4711',
  requestedDuration: 'PT2H',
  reusable: false,
  requester: 'paula',
  requestedAt: '2026-12-24T10:00:00.000Z',
  decideBy: '2026-12-25T10:00:00.000Z',
  level: 'hard',
  namespaces: ['payments'],
  approverRoles: ['team:payments', 'release-manager'],
  approvalsRequired: 2,
  approvals: [],
  uses: [],
  ...extra,
});

/** The same override, approved by peter and rita at 10:30 and valid until 12:30. */
export const approved = (extra: Partial<Override> = {}): Override =>
  pending({
    status: 'approved',
    approvals: [
      { by: 'peter', at: '2026-12-24T10:20:00.000Z' },
      { by: 'rita', at: '2026-12-24T10:30:00.000Z' },
    ],
    approvedAt: '2026-12-24T10:30:00.000Z',
    expiresAt: '2026-12-24T12:30:00.000Z',
    ...extra,
  });
