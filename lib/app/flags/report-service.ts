import type { AuditDraft } from '#domain/audit/event.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import type { JsonObject } from '#domain/core/json.ts';
import { requirementChanges } from '#domain/flags/requirements.ts';
import type { RequirementChange } from '#domain/flags/requirements.ts';
import type { Actor, ServiceVersion } from '#store/ports.ts';
import type { Deps } from '../deps.ts';
import { flagSetOf, reportedServices } from './flag-set.ts';

/** The audit event a service report writes when it switches flags' requirements on or off. */
export const FLAG_REQUIREMENTS_CHANGED = 'FlagRequirementsChanged';

export interface ServiceReport extends ServiceVersion {
  /** The flags whose requirement status the report changed (from → to); empty when none. */
  flagChanges: RequirementChange[];
}

/**
 * `PUT /environments/{env}/services/{service}`: record the version CI/CD reports and, in the SAME
 * transaction, a `FlagRequirementsChanged` event listing the flags of HEAD whose deployment
 * requirements it switches on (a satisfying version) or off (a rollback below the range). Evaluation
 * reads the services with the flags, so the event records what serving already does.
 */
export const reportServiceVersion = async (
  deps: Deps,
  catalog: Catalog,
  environment: string,
  service: string,
  version: string,
  actor: Actor,
): Promise<ServiceReport> => {
  let flagChanges: RequirementChange[] = [];
  const reported = await deps.store.environments.reportService(
    environment,
    service,
    version,
    actor,
    async ({ head, previousVersion }): Promise<AuditDraft[]> => {
      const [snapshot, services] = await Promise.all([
        deps.store.snapshots.getSnapshot(head.snapshot),
        reportedServices(deps, environment),
      ]);
      const before = Object.fromEntries(
        Object.entries({ ...services, [service]: previousVersion }).filter(
          (entry): entry is [string, string] => entry[1] !== undefined,
        ),
      );
      const { flags } = flagSetOf(catalog, environment, head.version, snapshot);
      flagChanges = requirementChanges(flags, before, { ...services, [service]: version });
      if (flagChanges.length === 0) return [];
      const detail = {
        service,
        version,
        ...(previousVersion === undefined ? {} : { previousVersion }),
        flags: flagChanges,
      } as unknown as JsonObject;
      return [
        {
          type: FLAG_REQUIREMENTS_CHANGED,
          at: actor.at,
          actor: actor.principal,
          subject: environment,
          detail,
        },
      ];
    },
  );
  return { ...reported, flagChanges };
};
