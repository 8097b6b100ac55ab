import { rolesOf } from '../core/authorization.ts';
import { globMatch } from '../core/glob.ts';
import type { JsonValue } from '../core/json.ts';
import { namespaceOf } from '../core/names.ts';
import { hasErrors, problem } from '../core/problem.ts';
import type { Problem } from '../core/problem.ts';
import { parseWith } from '../core/zod-problems.ts';
import { referencesIn, resolveValues } from '../dependencies/references.ts';
import { validateStrategy } from '../rollout/validate-strategy.ts';
import { catalogSchema } from './catalog.ts';
import type { Catalog } from './catalog.ts';
import { indexCatalog } from './catalog-index.ts';
import { flagCatalogProblems } from './flag-catalog-rules.ts';
import { parameterProblems } from './parameter-rules.ts';
import { checkValue } from './parameter-value.ts';

export type CatalogValidation =
  { ok: true; catalog: Catalog; problems: Problem[] } | { ok: false; problems: Problem[] };

const duplicates = (kind: string, section: string, names: readonly string[], field = 'name'): Problem[] => {
  const first = new Map<string, number>();
  const problems: Problem[] = [];
  names.forEach((name, i) => {
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, i);
    else {
      const message = `${kind} ${name} is declared twice (first at ${section}[${earlier}])`;
      problems.push(problem('catalog.duplicate', message, { path: `${section}[${i}].${field}` }));
    }
  });
  return problems;
};

const referenceRules = (catalog: Catalog, declared: ReadonlySet<string>): Problem[] => {
  const problems: Problem[] = [];
  const defaults: Record<string, JsonValue> = {};
  catalog.parameters.forEach((parameter, i) => {
    if (parameter.default === undefined) return;
    defaults[parameter.key] = parameter.default;
    for (const ref of referencesIn(parameter.default)) {
      if (declared.has(ref)) continue;
      const message = `default of ${parameter.key} references ${ref}, which is not a parameter in the catalog`;
      problems.push(
        problem('catalog.reference-unresolved', message, {
          key: parameter.key,
          path: `parameters[${i}].default`,
        }),
      );
    }
  });
  // Keys referencing a parameter without a default resolve per environment; they are not errors here.
  const resolution = resolveValues(defaults);
  const unresolved = new Set(resolution.problems.map((p) => p.key));
  for (const cycle of resolution.cycles) for (const key of cycle.members) unresolved.add(key);
  for (const found of resolution.problems) {
    if (found.code === 'reference.cycle') {
      problems.push({ ...found, code: 'catalog.reference-cycle', message: `default ${found.message}` });
    }
  }
  const parameters = indexCatalog(catalog).parameters;
  for (const [key, authored] of Object.entries(defaults)) {
    const parameter = parameters.get(key);
    if (!parameter || unresolved.has(key) || referencesIn(authored).length === 0) continue;
    const value = resolution.values[key] ?? null;
    const misfit = checkValue(parameter, value);
    if (misfit !== undefined) {
      problems.push(
        problem('catalog.default-invalid', `default resolves to ${JSON.stringify(value)}, which ${misfit}`, {
          key,
        }),
      );
    }
  }
  return problems;
};

/**
 * A binding's profiles are distinct: each sink (configuration, FeatureFlags document, flag set) writes
 * whole hosted versions of its own profile, so two sinks sharing one would overwrite each other.
 */
const bindingRules = (catalog: Catalog): Problem[] =>
  catalog.environments.flatMap((environment, i) => {
    const binding = environment.appconfig;
    if (binding === undefined) return [];
    const seen = new Map<string, string>([[binding.profile, 'profile']]);
    const problems: Problem[] = [];
    for (const field of ['flagsProfile', 'flagSetProfile'] as const) {
      const name = binding[field];
      if (name === undefined) continue;
      const earlier = seen.get(name);
      if (earlier === undefined) seen.set(name, field);
      else {
        const message = `${field} of ${environment.name} names profile ${name}, which ${earlier} already names; each sink needs its own profile`;
        problems.push(
          problem('catalog.appconfig-profile-shared', message, {
            path: `environments[${i}].appconfig.${field}`,
          }),
        );
      }
    }
    return problems;
  });

/** Each named strategy against the catalog's environments (unknown, repeated, out of promotion order). */
const strategyRules = (catalog: Catalog): Problem[] =>
  catalog.strategies.flatMap((strategy, i) =>
    validateStrategy(strategy, catalog).problems.map((found) => ({
      ...found,
      path: [`strategies[${i}]`, found.path].filter(Boolean).join('.'),
    })),
  );

/**
 * Validate a catalog document: its structure (field codes) and every semantic rule at once, with
 * `catalog.*` codes. Warnings (a service consuming nothing) do not make it fail.
 */
export const validateCatalog = (input: unknown): CatalogValidation => {
  const parsed = parseWith(catalogSchema, input);
  if (!parsed.ok) return parsed;
  const catalog = parsed.value;
  const { teams, namespaces, parameters, flags } = indexCatalog(catalog);
  const problems = [
    ...duplicates(
      'environment',
      'environments',
      catalog.environments.map((e) => e.name),
    ),
    ...duplicates(
      'team',
      'teams',
      catalog.teams.map((t) => t.name),
    ),
    ...duplicates(
      'namespace',
      'namespaces',
      catalog.namespaces.map((n) => n.name),
    ),
    ...duplicates(
      'parameter',
      'parameters',
      catalog.parameters.map((p) => p.key),
      'key',
    ),
    ...duplicates(
      'flag',
      'flags',
      (catalog.flags ?? []).map((f) => f.key),
      'key',
    ),
    ...duplicates(
      'service',
      'services',
      catalog.services.map((s) => s.name),
    ),
    ...duplicates(
      'strategy',
      'strategies',
      catalog.strategies.map((s) => s.name),
    ),
    ...strategyRules(catalog),
    ...bindingRules(catalog),
  ];
  catalog.namespaces.forEach((namespace, i) => {
    if (teams.has(namespace.owner)) return;
    const message = `namespace ${namespace.name} is owned by ${namespace.owner}, which is not a team in the catalog`;
    problems.push(problem('catalog.owner-unknown', message, { path: `namespaces[${i}].owner` }));
  });
  catalog.parameters.forEach((parameter, i) => {
    const namespace = namespaceOf(parameter.key);
    if (!namespaces.has(namespace)) {
      const message = `namespace ${namespace} of ${parameter.key} is not declared in namespaces`;
      problems.push(
        problem('catalog.namespace-undeclared', message, {
          key: parameter.key,
          path: `parameters[${i}].key`,
        }),
      );
    }
    problems.push(...parameterProblems(parameter, `parameters[${i}]`));
  });
  problems.push(...flagCatalogProblems(catalog, new Set(parameters.keys()), new Set(namespaces.keys())));
  problems.push(...referenceRules(catalog, new Set(parameters.keys())));
  // Services read flags as they read parameters.
  const keys = [...parameters.keys(), ...flags.keys()];
  catalog.services.forEach((service, i) => {
    if (!teams.has(service.team)) {
      const message = `service ${service.name} belongs to ${service.team}, which is not a team in the catalog`;
      problems.push(problem('catalog.team-unknown', message, { path: `services[${i}].team` }));
    }
    service.consumes.forEach((pattern, j) => {
      if (keys.some((key) => globMatch(pattern, key))) return;
      const message = `service ${service.name} consumes ${pattern}, which matches no parameter`;
      problems.push({
        ...problem('catalog.consumes-nothing', message, { path: `services[${i}].consumes[${j}]` }),
        severity: 'warning',
      });
    });
  });
  catalog.roles.forEach((mapping, i) => {
    mapping.roles.forEach((role, j) => {
      const team = role.startsWith('team:') ? role.slice('team:'.length) : undefined;
      if (team === undefined || teams.has(team)) return;
      const message = `role ${role} of ${mapping.principal} names ${team}, which is not a team in the catalog`;
      problems.push(problem('catalog.role-team-unknown', message, { path: `roles[${i}].roles[${j}]` }));
    });
  });
  return hasErrors(problems) ? { ok: false, problems } : { ok: true, catalog, problems };
};

/** True when `principal` would not be a release manager under `catalog`: applying it would lock them out. */
export const catalogLocksOut = (catalog: Catalog, principal: string): boolean =>
  !rolesOf(catalog, principal).includes('release-manager');
