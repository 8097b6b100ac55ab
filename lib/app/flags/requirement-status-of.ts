import type { FlagDefinition } from '#domain/flags/flag.ts';
import type { RequirementStatus } from '#domain/flags/flag-report.ts';

/**
 * The one place the flag report learns whether a flag's deployment requirements hold in an
 * environment, given the services running there (name → version). Flags on this branch cannot
 * declare `requires` (the definition schema is strict), so every flag's requirements are met; the
 * requirements module (lib/domain/flags/requirements.ts, `requirementStatus(flag, services)`) takes
 * this function's place where it exists.
 */
export const requirementStatusOf = (
  _flag: FlagDefinition,
  _services: Readonly<Record<string, string>>,
): RequirementStatus => ({ met: true });
