import semver from 'semver';
import type { CatalogIndex } from '../catalog/catalog-index.ts';
import { formatBundleRef } from '../core/names.ts';
import { problem } from '../core/problem.ts';
import type { Problem } from '../core/problem.ts';
import type { Bundle } from './bundle.ts';
import { isApplied } from './snapshot.ts';
import type { Snapshot } from './snapshot.ts';
import type { suggester } from './change-rules.ts';

export interface TargetEnvironment {
  name: string;
  snapshot: Snapshot;
  /** Service → deployed version, as reported by CI/CD. */
  services: Readonly<Record<string, string>>;
}

/**
 * `requires`: services exist and ranges parse (always); with a target environment, each service is
 * deployed there at a version inside the range.
 */
export const requirementProblems = (
  bundle: Bundle,
  index: CatalogIndex,
  target: TargetEnvironment | undefined,
  suggest: ReturnType<typeof suggester>,
): Problem[] => {
  const problems: Problem[] = [];
  bundle.requires.forEach(({ service, range }, i) => {
    const at = { path: `requires[${i}]` };
    if (!index.services.has(service)) {
      problems.push(
        problem(
          'service.unknown',
          `service ${service} is not in the catalog${suggest(service, index.services.keys())}`,
          at,
        ),
      );
      return;
    }
    if (semver.validRange(range) === null) {
      problems.push(
        problem(
          'requires.invalid-range',
          `${JSON.stringify(range)} is not a semver range (e.g. >=2.3.0, ^1.4)`,
          { path: `${at.path}.range` },
        ),
      );
      return;
    }
    if (!target) return;
    const version = Object.hasOwn(target.services, service) ? target.services[service] : undefined;
    if (version === undefined) {
      const message = `requires ${service} ${range}, but no version of ${service} is reported in ${target.name}`;
      problems.push(problem('service.not-deployed', message, at));
    } else if (semver.valid(version) === null || !semver.satisfies(version, range)) {
      const why = semver.valid(version) === null ? ', which is not a semantic version' : '';
      const message = `requires ${service} ${range}, but ${target.name} runs ${service} ${version}${why}`;
      problems.push(problem('service.version-unsatisfied', message, at));
    }
  });
  return problems;
};

/** `dependsOn`: each name@version is applied in the target environment (exact version). */
export const dependencyProblems = (bundle: Bundle, target: TargetEnvironment): Problem[] => {
  const problems: Problem[] = [];
  bundle.dependsOn.forEach((dependency, i) => {
    if (isApplied(target.snapshot, dependency)) return;
    const present = target.snapshot.bundles.find((b) => b.name === dependency.name);
    const has = present
      ? `it has ${formatBundleRef(present)}`
      : `no version of ${dependency.name} is deployed there`;
    const message = `depends on ${formatBundleRef(dependency)}, which must be deployed to ${target.name} first (${has})`;
    problems.push(problem('dependency.not-deployed', message, { path: `dependsOn[${i}]` }));
  });
  return problems;
};
