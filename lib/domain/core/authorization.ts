import type { Bundle } from '../bundles/bundle.ts';
import type { Catalog, Role } from '../catalog/catalog.ts';
import { indexCatalog } from '../catalog/catalog-index.ts';
import { globMatch, isGlob } from './glob.ts';
import { namespaceOf } from './names.ts';
import { changedKey } from '../bundles/parse-bundle.ts';

export const actions = [
  'read',
  'catalog:write',
  'bundle:push',
  'deploy',
  'flag:kill',
  'rollback',
  'service:report',
  'freeze:manage',
  'override:request',
  'override:decide',
  'rollout:start',
  'rollout:operate',
  'audit:checkpoint',
] as const;
export type Action = (typeof actions)[number];

export type Decision = { allowed: true } | { allowed: false; reason: string };

/**
 * Every role the catalog gives a principal: mappings match it exactly or by glob (`*` alone is every
 * authenticated principal; in principal globs `*` also spans dots), and roles add up.
 */
export function rolesOf(catalog: Catalog | undefined, principal: string): Role[] {
  const roles = new Set<Role>();
  for (const mapping of catalog?.roles ?? []) {
    const matches = isGlob(mapping.principal)
      ? globMatch(mapping.principal, principal, '')
      : mapping.principal === principal;
    if (matches) for (const role of mapping.roles) roles.add(role);
  }
  return [...roles];
}

const allow: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });

const teamsOf = (roles: readonly Role[]): string[] =>
  roles.filter((r) => r.startsWith('team:')).map((r) => r.slice('team:'.length));

const canPush = (
  catalog: Catalog,
  principal: string,
  teams: readonly string[],
  bundle: Bundle | undefined,
): Decision => {
  if (!bundle) return deny(`pushing needs the bundle to check that ${principal}'s teams own what it changes`);
  if (!teams.includes(bundle.team)) {
    return deny(
      `${principal} may push bundles of team ${teams.join(', ')} only; this bundle belongs to team ${bundle.team}`,
    );
  }
  const owners = indexCatalog(catalog).namespaces;
  for (const change of bundle.changes) {
    const namespace = namespaceOf(changedKey(change));
    const owner = owners.get(namespace);
    if (owner !== bundle.team) {
      return deny(
        owner === undefined
          ? `namespace ${namespace} is not declared in the catalog; a release manager must declare it first`
          : `namespace ${namespace} is owned by team ${owner}, not ${bundle.team}; ask ${owner} to ship this change`,
      );
    }
  }
  return allow;
};

const canReport = (
  catalog: Catalog,
  principal: string,
  teams: readonly string[],
  service: string | undefined,
): Decision => {
  if (service === undefined)
    return deny(`reporting a version needs the service to check that ${principal}'s team owns it`);
  const owner = indexCatalog(catalog).services.get(service)?.team;
  if (owner !== undefined && teams.includes(owner)) return allow;
  const ownedBy = owner === undefined ? 'is not in the catalog' : `belongs to team ${owner}`;
  return deny(
    `service ${service} ${ownedBy}; ${principal} may report services of team ${teams.join(', ')} only`,
  );
};

const canRequestOverride = (
  catalog: Catalog,
  principal: string,
  teams: readonly string[],
  namespaces: readonly string[] | undefined,
): Decision => {
  if (namespaces === undefined || namespaces.length === 0) {
    return deny(
      `an override of change kinds spans every namespace; ${principal} may request overrides for bundles of team ${teams.join(', ')} only, a release manager for anything`,
    );
  }
  const owners = indexCatalog(catalog).namespaces;
  const foreign = namespaces.filter((ns) => !teams.includes(owners.get(ns) ?? ''));
  if (foreign.length === 0) return allow;
  return deny(
    `${principal} may request overrides for namespaces of team ${teams.join(', ')} only; ${foreign.join(', ')} ${foreign.length === 1 ? 'is' : 'are'} not theirs`,
  );
};

const canDecide = (
  principal: string,
  roles: readonly Role[],
  approverRoles: readonly Role[] | undefined,
): Decision => {
  if (approverRoles === undefined)
    return deny(`deciding needs the override to check that ${principal} is routed to it`);
  if (roles.some((role) => approverRoles.includes(role))) return allow;
  return deny(
    `${principal} (${roles.join(', ')}) is not routed to this override; it needs ${approverRoles.join(' or ')}`,
  );
};

/**
 * `flag:kill` (kill or unkill one flag in an environment) past the release managers, who may deploy
 * (and so kill) anywhere: an on-call member of the team owning the flag's namespace, without the
 * deploy right. (Whoever may deploy may kill: a rule the authorization test checks over every principal.)
 */
const canKill = (
  catalog: Catalog,
  principal: string,
  roles: readonly Role[],
  flag: string | undefined,
): Decision => {
  if (flag === undefined)
    return deny(`killing a flag needs the flag to check that ${principal}'s team owns it`);
  const namespace = namespaceOf(flag);
  const owner = indexCatalog(catalog).namespaces.get(namespace);
  if (owner !== undefined && teamsOf(roles).includes(owner)) return allow;
  const ownedBy =
    owner === undefined
      ? `namespace ${namespace} is not declared in the catalog (no team owns flag ${flag})`
      : `flag ${flag} belongs to team ${owner} (namespace ${namespace})`;
  return deny(
    `${ownedBy}; ${principal} (${roles.join(', ')}) may not kill it: that needs the deploy right (release-manager)` +
      (owner === undefined ? '' : ` or a role of team ${owner}`),
  );
};

/**
 * May `principal` do `action`? Before any catalog exists only `catalog:write` is allowed (bootstrap).
 * Then: release-manager may do everything (manage freeze windows included); viewer and approver read;
 * `team:X` reads, pushes bundles of team X that change only X's namespaces, reports versions of X's
 * services, and requests overrides for changes touching only X's namespaces. Deciding an override is
 * for the principals holding one of its routed `approverRoles` (the requester rule is the override's).
 * `flag:kill` is for whoever may deploy, and for the team owning the flag's namespace.
 */
export function authorize(input: {
  catalog?: Catalog;
  principal: string;
  action: Action;
  bundle?: Bundle;
  service?: string;
  /** `override:request`: the namespaces the override covers (empty or absent: every namespace). */
  namespaces?: readonly string[];
  /** `override:decide`: the roles the override is routed to. */
  approverRoles?: readonly Role[];
  /** `flag:kill`: the flag's key (its namespace names the owning team). */
  flag?: string;
}): Decision {
  const { catalog, principal, action } = input;
  if (!catalog) {
    return action === 'catalog:write'
      ? allow
      : deny('no catalog has been applied yet; apply a catalog first (convoy catalog apply <file>)');
  }
  const roles = rolesOf(catalog, principal);
  if (roles.length === 0) {
    return deny(
      `principal ${principal} has no role in the catalog; ask a release manager to add it to roles`,
    );
  }
  if (roles.includes('release-manager') || action === 'read') return allow;
  const teams = teamsOf(roles);
  if (action === 'bundle:push' && teams.length > 0) return canPush(catalog, principal, teams, input.bundle);
  if (action === 'service:report' && teams.length > 0)
    return canReport(catalog, principal, teams, input.service);
  if (action === 'override:request' && teams.length > 0)
    return canRequestOverride(catalog, principal, teams, input.namespaces);
  if (action === 'override:decide') return canDecide(principal, roles, input.approverRoles);
  if (action === 'flag:kill') return canKill(catalog, principal, roles, input.flag);
  const needs =
    action === 'bundle:push' || action === 'service:report' || action === 'override:request'
      ? 'a team role or release-manager'
      : 'release-manager';
  return deny(`principal ${principal} (${roles.join(', ')}) may not ${action}; it needs ${needs}`);
}
