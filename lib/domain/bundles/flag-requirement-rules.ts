import type { CatalogIndex } from '../catalog/catalog-index.ts';
import { problem } from '../core/problem.ts';
import type { Problem } from '../core/problem.ts';
import type { FlagDefinition } from '../flags/flag.ts';
import { requirementStatus } from '../flags/requirements.ts';
import type { UnmetRequirement } from '../flags/requirements.ts';

const describeUnmet = ({ service, range, running, variant }: UnmetRequirement): string =>
  `${variant === undefined ? '' : `variant ${variant} `}requires ${service} ${range}, ` +
  (running === undefined ? 'which is not reported there' : `which runs ${running} there`);

/**
 * A changed flag's deployment requirements: each must name a catalog service
 * (`flag.requirement-unknown-service`, refused); with a target environment whose reported services
 * fail them, the change would be inert there (`flag.requirement-inert`, a warning: the flag switches
 * on by itself when CI/CD reports a satisfying version). `pathOf` maps a flag path into the bundle.
 */
export const flagRequirementProblems = (
  key: string,
  flag: FlagDefinition,
  index: CatalogIndex,
  target: { name: string; services?: Readonly<Record<string, string>> } | undefined,
  pathOf: (path: string) => string,
): Problem[] => {
  const problems: Problem[] = [];
  (flag.requires ?? []).forEach(({ service }, i) => {
    if (index.services.has(service)) return;
    const message = `flag ${key} requires service ${service}, which is not in the catalog`;
    problems.push(
      problem('flag.requirement-unknown-service', message, { key, path: pathOf(`requires[${i}].service`) }),
    );
  });
  if (problems.length > 0 || target?.services === undefined) return problems;
  const status = requirementStatus(flag, target.services);
  if (status.met) return problems;
  const message = `flag ${key} would be inert in ${target.name}: ${status.unmet.map(describeUnmet).join('; ')}`;
  return [
    { ...problem('flag.requirement-inert', message, { key, path: pathOf('requires') }), severity: 'warning' },
  ];
};
