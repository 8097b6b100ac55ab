import type { Override, OverrideStatus } from '#domain/overrides/override.ts';
import type { Deps } from '../deps.ts';
import { currentOf } from './decide-override.ts';

/** Overrides as they stand at `at` (expiry applied), optionally of one environment and one status. */
export const listOverrides = async (
  deps: Deps,
  filter: { status?: OverrideStatus; environment?: string },
  at: string,
): Promise<Override[]> => {
  const { status, environment } = filter;
  return (await deps.store.overrides.list(environment === undefined ? {} : { environment }))
    .map((stored) => currentOf(stored, at))
    .filter((override) => status === undefined || override.status === status);
};
