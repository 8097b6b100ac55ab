import type { Deps } from '#app/deps.ts';
import type { RouteGroup } from '#api/routes.ts';
import { make as audit } from '#functions/api/audit.ts';
import { make as bundles } from '#functions/api/bundles.ts';
import { make as catalog } from '#functions/api/catalog.ts';
import { make as dependencies } from '#functions/api/dependencies.ts';
import { make as deployments } from '#functions/api/deployments.ts';
import { make as environments } from '#functions/api/environments.ts';
import { make as flags } from '#functions/api/flags.ts';
import { make as freezeCalendar } from '#functions/api/freeze-calendar.ts';
import { make as freezes } from '#functions/api/freezes.ts';
import { make as health } from '#functions/api/health.ts';
import { make as overrides } from '#functions/api/overrides.ts';
import { make as releases } from '#functions/api/releases.ts';
import { make as reports } from '#functions/api/reports.ts';
import { make as rollouts } from '#functions/api/rollouts.ts';
import { make as telemetry } from '#functions/api/telemetry.ts';

const factories: Record<RouteGroup, typeof health> = {
  audit,
  bundles,
  catalog,
  dependencies,
  deployments,
  environments,
  flags,
  health,
  freezes,
  'freeze-calendar': freezeCalendar,
  overrides,
  releases,
  reports,
  rollouts,
  telemetry,
};

export type ApiHandlers = Record<RouteGroup, ReturnType<typeof health>>;

/** Every route group's handler, made from `deps` as the Lambda root or the embedded runtime would. */
export const apiHandlers = (deps: Deps): ApiHandlers =>
  Object.fromEntries(Object.entries(factories).map(([group, make]) => [group, make(deps)])) as ApiHandlers;
