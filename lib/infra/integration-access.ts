import type { RouteGroup } from '#api/routes.ts';

/** What beyond the table a Convoy function may call. */
export type ConvoyIntegration =
  /** Put events on the Convoy bus (CONVOY_EVENT_BUS_NAME). */
  | 'events'
  /** Arm and disarm freeze activation schedules (CONVOY_SCHEDULE_GROUP_NAME, …). */
  | 'schedules'
  /** Start override-approval executions and resume their tokens (CONVOY_OVERRIDE_STATE_MACHINE_ARN). */
  | 'overrideWorkflow'
  /** Start progressive-rollout executions and resume their tokens (CONVOY_ROLLOUT_STATE_MACHINE_ARN). */
  | 'rolloutWorkflow';

/**
 * The integrations of each route group's function, beside its table access (api-functions.ts). Typed
 * over every group: a new group does not compile until it is decided. Each one gives the function its
 * environment variables and the IAM grants for exactly those calls.
 */
export const routeGroupIntegrations: Record<RouteGroup, readonly ConvoyIntegration[]> = {
  health: [],
  catalog: [],
  bundles: [],
  deployments: [],
  environments: [],
  audit: [],
  // POST/DELETE /freezes and the import re-sync the guards: FreezeStarted/Ended, (dis)armed schedules.
  freezes: ['events', 'schedules'],
  // POST /overrides starts the approval workflow; approve/reject resume its token.
  overrides: ['overrideWorkflow'],
  'freeze-calendar': [],
  reports: [],
  flags: [],
  telemetry: [],
  // POST /rollouts starts the workflow; resume, abort, approve and reject resume its token.
  rollouts: ['rolloutWorkflow'],
  releases: [],
  dependencies: [],
};
