import { describe, expect, it } from 'vitest';
import { catalogSchema } from '#domain/catalog/catalog.ts';
import { holdsAny, rolesOf, routeApprovers } from '#domain/overrides/approver-routing.ts';
import { createOverride, overrideRequestSchema } from '#domain/overrides/override.ts';

/** Release managers mapped by an IAM role glob, as in AWS: a role source, never a principal to notify. */
const catalog = catalogSchema.parse({
  environments: [{ name: 'prod' }],
  namespaces: [{ name: 'payments', owner: 'payments' }],
  roles: [
    { principal: 'arn:aws:sts::123456789012:assumed-role/ReleaseManager/*', roles: ['release-manager'] },
    { principal: 'priya', roles: ['team:payments'] },
  ],
});
const rm = 'arn:aws:sts::123456789012:assumed-role/ReleaseManager/olivia';

describe('approver routing with glob role mappings (core rolesOf)', () => {
  it('gives a principal the roles of the globs it matches', () => {
    expect([...rolesOf(catalog, rm)]).toEqual(['release-manager']);
    expect(holdsAny(catalog, rm, ['release-manager'])).toBe(true);
    expect(holdsAny(catalog, 'priya', ['release-manager'])).toBe(false);
  });

  it('never lists a glob as an approver, and does not refuse a request its holders can approve', () => {
    expect(routeApprovers(catalog, { namespaces: ['payments'], level: 'hard' }).approvers).toEqual(['priya']);
    const request = overrideRequestSchema.parse({
      environment: 'prod',
      bundle: 'b@1',
      reason: 'checkout is down',
      ticket: 'INC-1',
    });
    const context = {
      id: 'ovr-1',
      requester: 'priya',
      at: '2026-12-21T10:00:00Z',
      level: 'hard' as const,
      namespaces: ['payments'],
    };
    expect(createOverride(request, context, catalog).ok).toBe(true);
  });
});
