import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';
import type { Override } from '#domain/overrides/override.ts';

/** A one-off window over every scope unless told otherwise. */
export const window = (
  id: string,
  start: string,
  end: string,
  extra: Partial<FreezeWindow> = {},
): FreezeWindow => ({
  id,
  name: `Window ${id}`,
  scope: {},
  level: 'hard',
  schedule: { start, end },
  ...extra,
});

/** An approved override of `bundle` in `environment`, valid over [approvedAt, expiresAt). */
export const approvedOverride = (id: string, extra: Partial<Override> = {}): Override => ({
  id,
  status: 'approved',
  environment: 'prod-eu',
  bundle: 'hotfix@1',
  reason: 'card payments fail at checkout',
  ticket: 'INC-1',
  requestedDuration: 'PT2H',
  reusable: false,
  requester: 'priya',
  requestedAt: '2026-03-01T09:00:00.000Z',
  decideBy: '2026-03-02T09:00:00.000Z',
  level: 'hard',
  namespaces: ['payments'],
  approverRoles: ['team:payments', 'release-manager'],
  approvalsRequired: 2,
  approvals: [
    { by: 'olivia', at: '2026-03-01T09:30:00.000Z' },
    { by: 'rita', at: '2026-03-01T09:40:00.000Z' },
  ],
  approvedAt: '2026-03-01T09:40:00.000Z',
  expiresAt: '2026-03-01T11:40:00.000Z',
  uses: [],
  ...extra,
});
