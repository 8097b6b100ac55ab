/**
 * The HTTP API's routes. CDK creates one API Gateway route per entry, wired to the Lambda of its
 * group; the embedded server matches requests against the same list and calls the same handler.
 */
export const routeGroups = [
  'health',
  'catalog',
  'bundles',
  'deployments',
  'environments',
  'audit',
  'freezes',
  'freeze-calendar',
  'overrides',
  'reports',
  'rollouts',
  'flags',
  'releases',
  'telemetry',
  'dependencies',
] as const;
export type RouteGroup = (typeof routeGroups)[number];

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  group: RouteGroup;
}

export const routes: readonly Route[] = [
  { method: 'GET', path: '/health', group: 'health' },
  { method: 'GET', path: '/catalog', group: 'catalog' },
  { method: 'PUT', path: '/catalog', group: 'catalog' },
  { method: 'POST', path: '/bundles', group: 'bundles' },
  { method: 'GET', path: '/bundles', group: 'bundles' },
  { method: 'GET', path: '/bundles/{name}/versions/{version}', group: 'bundles' },
  { method: 'POST', path: '/bundles/{name}/versions/{version}/validate', group: 'bundles' },
  { method: 'POST', path: '/environments/{env}/deployments', group: 'deployments' },
  { method: 'GET', path: '/environments/{env}/deployments', group: 'deployments' },
  { method: 'POST', path: '/environments/{env}/rollback', group: 'deployments' },
  { method: 'POST', path: '/environments/{env}/sync', group: 'deployments' },
  // action: kill | unkill (a flag's kill switch, an environment commit of kind flag-kill-switch).
  { method: 'POST', path: '/environments/{env}/flags/{key}/{action}', group: 'deployments' },
  { method: 'GET', path: '/environments', group: 'environments' },
  { method: 'GET', path: '/environments/{env}/config', group: 'environments' },
  { method: 'GET', path: '/environments/{env}/services', group: 'environments' },
  { method: 'PUT', path: '/environments/{env}/services/{service}', group: 'environments' },
  // Before /flags/{key}: the local matcher takes the first match (metrics, report are not flag keys).
  { method: 'POST', path: '/environments/{env}/flags/metrics', group: 'telemetry' },
  { method: 'GET', path: '/environments/{env}/flags/report', group: 'telemetry' },
  { method: 'GET', path: '/environments/{env}/flags', group: 'flags' },
  { method: 'GET', path: '/environments/{env}/flags/{key}', group: 'flags' },
  // OFREP, base URL <api>/environments/{env}: reads that take the evaluation context as a body.
  { method: 'POST', path: '/environments/{env}/ofrep/v1/evaluate/flags/{key}', group: 'flags' },
  { method: 'POST', path: '/environments/{env}/ofrep/v1/evaluate/flags', group: 'flags' },
  { method: 'GET', path: '/audit', group: 'audit' },
  { method: 'GET', path: '/audit/verify', group: 'audit' },
  { method: 'POST', path: '/audit/checkpoints', group: 'audit' },
  { method: 'POST', path: '/freezes', group: 'freezes' },
  { method: 'GET', path: '/freezes', group: 'freezes' },
  // Before /freezes/{id}: the local matcher takes the first match (API Gateway prefers static paths too).
  { method: 'POST', path: '/freezes/import', group: 'freezes' },
  { method: 'GET', path: '/freezes/export', group: 'freeze-calendar' },
  // The calendar's occurrences in a period, recurring windows expanded (the dashboard's calendar).
  { method: 'GET', path: '/freezes/occurrences', group: 'freeze-calendar' },
  { method: 'GET', path: '/freezes/{id}', group: 'freezes' },
  { method: 'DELETE', path: '/freezes/{id}', group: 'freezes' },
  { method: 'GET', path: '/environments/{env}/freeze-status', group: 'freeze-calendar' },
  { method: 'POST', path: '/overrides', group: 'overrides' },
  { method: 'GET', path: '/overrides', group: 'overrides' },
  { method: 'GET', path: '/overrides/{id}', group: 'overrides' },
  { method: 'POST', path: '/overrides/{id}/approve', group: 'overrides' },
  { method: 'POST', path: '/overrides/{id}/reject', group: 'overrides' },
  { method: 'GET', path: '/reports/freeze-compliance', group: 'reports' },
  { method: 'POST', path: '/rollouts', group: 'rollouts' },
  { method: 'GET', path: '/rollouts', group: 'rollouts' },
  { method: 'GET', path: '/rollouts/{id}', group: 'rollouts' },
  // action: pause | resume | abort | promote | approve | reject (validated by the handler).
  { method: 'POST', path: '/rollouts/{id}/{action}', group: 'rollouts' },
  { method: 'GET', path: '/releases', group: 'releases' },
  { method: 'GET', path: '/releases/{name}', group: 'releases' },
  { method: 'GET', path: '/releases/{name}/notes', group: 'releases' },
  { method: 'PUT', path: '/releases/{name}', group: 'releases' },
  { method: 'POST', path: '/releases/{name}/signoffs', group: 'releases' },
  // A release deploys to (and rolls back from) one environment, named in the body: one HEAD flip.
  { method: 'POST', path: '/releases/{name}/deployments', group: 'releases' },
  { method: 'POST', path: '/releases/{name}/rollback', group: 'releases' },
  // POST /impact is a read: the change set is a body.
  { method: 'POST', path: '/impact', group: 'dependencies' },
  { method: 'GET', path: '/dependencies', group: 'dependencies' },
  { method: 'GET', path: '/dependencies/path', group: 'dependencies' },
];

export const routeKey = (route: Route): string => `${route.method} ${route.path}`;

/** Handler entry file of each group, relative to the project root (CDK bundles these). */
export const handlerEntry = (group: RouteGroup): string => `functions/api/${group}.ts`;

/** Match a concrete path against the route table; returns the route and its path parameters. */
export const matchRoute = (
  method: string,
  path: string,
): { route: Route; pathParameters: Record<string, string> } | { allowed: Route['method'][] } | undefined => {
  const segments = path.split('/').filter(Boolean);
  const allowed: Route['method'][] = [];
  for (const route of routes) {
    const template = route.path.split('/').filter(Boolean);
    if (template.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = template.every((part, i) => {
      const segment = segments[i] ?? '';
      if (part.startsWith('{') && part.endsWith('}')) {
        params[part.slice(1, -1)] = decodeURIComponent(segment);
        return segment.length > 0;
      }
      return part === segment;
    });
    if (!matches) continue;
    if (route.method === method) return { route, pathParameters: params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { allowed } : undefined;
};
