import type { Catalog, Role } from '../catalog/catalog.ts';
import { rolesOf as catalogRolesOf } from '../core/authorization.ts';
import { isGlob } from '../core/glob.ts';
import type { FreezeLevel } from '../freeze/change-kind.ts';

/** Approvals an override needs by default: two for a hard freeze, one for a soft one. */
export const DEFAULT_APPROVALS: Record<FreezeLevel, number> = { hard: 2, soft: 1 };

export interface ApproverRouting {
  /** Roles whose holders may approve: the owners of every touched namespace, and release managers. */
  roles: Role[];
  /** Principals holding one of those roles (the requester excluded), sorted. */
  approvers: string[];
  approvalsRequired: number;
}

/** Every role a principal holds (core/authorization's rolesOf: exact and glob mappings, `*` included). */
export const rolesOf = (catalog: Catalog, principal: string): Set<Role> =>
  new Set(catalogRolesOf(catalog, principal));

/** Does `principal` hold one of `roles`? */
export const holdsAny = (catalog: Catalog, principal: string, roles: readonly Role[]): boolean => {
  const held = rolesOf(catalog, principal);
  return roles.some((role) => held.has(role));
};

/**
 * Who must approve an override for a change touching `namespaces` during a freeze of `level`:
 * `team:<owner>` of each touched namespace (a namespace not in the catalog has no owner) plus
 * `release-manager`. Any `approvalsRequired` distinct routed principals approve it; the requester never
 * counts. Glob mappings (`*`, `arn:...:assumed-role/Deployer/*`) are role sources, not approvers to notify.
 */
export const routeApprovers = (
  catalog: Catalog,
  scope: { namespaces: readonly string[]; level: FreezeLevel; requester?: string },
): ApproverRouting => {
  const owners = scope.namespaces
    .map((name) => catalog.namespaces.find((ns) => ns.name === name)?.owner)
    .filter((owner): owner is string => owner !== undefined);
  const roles: Role[] = [...new Set(owners)].sort().map((owner): Role => `team:${owner}`);
  roles.push('release-manager');
  const approvers = [
    ...new Set(
      catalog.roles
        .filter(
          (m) =>
            !isGlob(m.principal) && m.principal !== scope.requester && m.roles.some((r) => roles.includes(r)),
        )
        .map((m) => m.principal),
    ),
  ].sort();
  return { roles, approvers, approvalsRequired: DEFAULT_APPROVALS[scope.level] };
};
