import semver from 'semver';
import type { FlagDefinition, FlagRequirement } from './flag.ts';

/** One requirement the environment fails: the service, its range, what runs there (if reported). */
export interface UnmetRequirement {
  service: string;
  range: string;
  /** The version reported in the environment; absent when the service is not reported there. */
  running?: string;
  /** The variant the requirement gates; absent for a requirement of the whole flag. */
  variant?: string;
}

/** REQUIREMENT_UNMET's services, as one metadata string: `checkout-api >=2.3.0 (running 2.2.0)`. */
export const formatUnmet = (unmet: readonly UnmetRequirement[]): string =>
  unmet
    .map(
      ({ service, range, running, variant }) =>
        `${service} ${range} (${running === undefined ? 'not reported' : `running ${running}`})` +
        (variant === undefined ? '' : ` for variant ${variant}`),
    )
    .join('; ');

export type RequirementStatus = { met: true } | { met: false; unmet: UnmetRequirement[] };

/** Does `version` (reported by CI/CD) satisfy `range`? A version that is not semver never does. */
export const satisfiesRange = (version: string | undefined, range: string): boolean =>
  version !== undefined && semver.valid(version) !== null && semver.satisfies(version, range);

const unmetOf = (
  requirements: readonly FlagRequirement[],
  services: Readonly<Record<string, string>>,
): UnmetRequirement[] =>
  requirements.flatMap(({ service, range, variant }) => {
    const running = Object.hasOwn(services, service) ? services[service] : undefined;
    if (satisfiesRange(running, range)) return [];
    return [
      {
        service,
        range,
        ...(running === undefined ? {} : { running }),
        ...(variant === undefined ? {} : { variant }),
      },
    ];
  });

/**
 * Whether the environment's services (service → version reported by CI/CD) satisfy every
 * deployment requirement of the flag and of its variants; the unmet ones in declaration order.
 */
export const requirementStatus = (
  flag: FlagDefinition,
  services: Readonly<Record<string, string>>,
): RequirementStatus => {
  const unmet = unmetOf(flag.requires ?? [], services);
  return unmet.length === 0 ? { met: true } : { met: false, unmet };
};

/** The unmet requirements gating the whole flag (no `variant`). */
export const unmetForFlag = (
  flag: FlagDefinition,
  services: Readonly<Record<string, string>>,
): UnmetRequirement[] =>
  unmetOf(
    (flag.requires ?? []).filter((r) => r.variant === undefined),
    services,
  );

/** The unmet requirements gating serving `variant`. */
export const unmetForVariant = (
  flag: FlagDefinition,
  variant: string,
  services: Readonly<Record<string, string>>,
): UnmetRequirement[] =>
  unmetOf(
    (flag.requires ?? []).filter((r) => r.variant === variant),
    services,
  );

/** The services a flag's requirements name, sorted, once each. */
export const requiredServices = (flag: FlagDefinition): string[] =>
  [...new Set((flag.requires ?? []).map((r) => r.service))].sort();

/** One flag whose requirement status differs between two service maps. */
export interface RequirementChange {
  flag: string;
  from: 'met' | 'unmet';
  to: 'met' | 'unmet';
  unmet: UnmetRequirement[];
}

/**
 * The flags whose requirement status changes when the environment's services go from `before` to
 * `after` (a service report or rollback): which flag, from → to, and what is unmet afterwards. Key order.
 */
export const requirementChanges = (
  flags: Readonly<Record<string, FlagDefinition>>,
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
): RequirementChange[] =>
  Object.keys(flags)
    .sort()
    .flatMap((key) => {
      const flag = flags[key] as FlagDefinition;
      const was = requirementStatus(flag, before);
      const is = requirementStatus(flag, after);
      if (was.met === is.met) return [];
      return [
        {
          flag: key,
          from: was.met ? 'met' : 'unmet',
          to: is.met ? 'met' : 'unmet',
          unmet: is.met ? [] : is.unmet,
        } satisfies RequirementChange,
      ];
    });
