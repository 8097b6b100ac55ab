import { describe, expect, it } from 'vitest';
import { catalogSchema } from '#domain/catalog/catalog.ts';
import { authorize } from '#domain/core/authorization.ts';

const catalog = catalogSchema.parse({
  environments: [{ name: 'prod' }],
  teams: [{ name: 'payments' }, { name: 'identity' }],
  namespaces: [
    { name: 'payments', owner: 'payments' },
    { name: 'identity', owner: 'identity' },
  ],
  roles: [
    { principal: 'olivia', roles: ['release-manager'] },
    { principal: 'priya', roles: ['team:payments'] },
    { principal: 'alex', roles: ['approver'] },
    { principal: 'vera', roles: ['viewer'] },
  ],
});

describe('authorize: freeze windows and overrides', () => {
  it.each([
    ['olivia', 'freeze:manage', {}, true],
    ['priya', 'freeze:manage', {}, false],
    ['alex', 'freeze:manage', {}, false],
    ['olivia', 'override:request', {}, true],
    ['priya', 'override:request', { namespaces: ['payments'] }, true],
    ['priya', 'override:request', { namespaces: ['payments', 'identity'] }, false],
    ['priya', 'override:request', { namespaces: ['ghost'] }, false],
    ['priya', 'override:request', { namespaces: [] }, false],
    ['priya', 'override:request', {}, false],
    ['vera', 'override:request', { namespaces: ['payments'] }, false],
    ['priya', 'override:decide', { approverRoles: ['team:payments', 'release-manager'] }, true],
    ['priya', 'override:decide', { approverRoles: ['team:identity', 'release-manager'] }, false],
    ['alex', 'override:decide', { approverRoles: ['release-manager'] }, false],
    ['priya', 'override:decide', {}, false],
    ['olivia', 'override:decide', { approverRoles: ['team:payments'] }, true],
  ] as const)('%s %s %j → %s', (principal, action, subject, allowed) => {
    const decision = authorize({ catalog, principal, action, ...subject });
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) expect(decision.reason.length).toBeGreaterThan(20);
  });

  it('explains each refusal', () => {
    expect(
      authorize({
        catalog,
        principal: 'priya',
        action: 'override:request',
        namespaces: ['identity', 'ghost'],
      }),
    ).toEqual({
      allowed: false,
      reason:
        'priya may request overrides for namespaces of team payments only; identity, ghost are not theirs',
    });
    expect(
      authorize({ catalog, principal: 'priya', action: 'override:request', namespaces: ['identity'] }),
    ).toMatchObject({
      reason: expect.stringContaining('identity is not theirs'),
    });
    expect(authorize({ catalog, principal: 'priya', action: 'override:request' })).toMatchObject({
      reason: expect.stringMatching(/^an override of change kinds spans every namespace/),
    });
    expect(
      authorize({
        catalog,
        principal: 'alex',
        action: 'override:decide',
        approverRoles: ['release-manager'],
      }),
    ).toEqual({
      allowed: false,
      reason: 'alex (approver) is not routed to this override; it needs release-manager',
    });
    expect(authorize({ catalog, principal: 'priya', action: 'freeze:manage' })).toEqual({
      allowed: false,
      reason: 'principal priya (team:payments) may not freeze:manage; it needs release-manager',
    });
    expect(
      authorize({ catalog, principal: 'vera', action: 'override:request', namespaces: ['payments'] }),
    ).toMatchObject({
      reason: expect.stringMatching(/it needs a team role or release-manager$/),
    });
  });
});
