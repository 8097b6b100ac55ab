import { describe, expect, it } from 'vitest';
import type { Bundle } from '#domain/bundles/bundle.ts';
import { catalogSchema } from '#domain/catalog/catalog.ts';
import { actions, authorize, rolesOf } from '#domain/core/authorization.ts';
import type { Action } from '#domain/core/authorization.ts';
import { catalogDocument, parsedBundle } from '../support/catalog.ts';

const catalog = catalogSchema.parse({
  ...catalogDocument(),
  roles: [
    ...catalogDocument().roles,
    { principal: 'arn:aws:sts::123456789012:assumed-role/Deployer/*', roles: ['release-manager'] },
    { principal: 'multi', roles: ['team:identity'] },
    { principal: 'multi', roles: ['team:payments', 'viewer'] },
  ],
});

const ownBundle = parsedBundle();
const foreignNamespace = parsedBundle({
  changes: [
    { set: 'payments.checkout.timeoutMs', value: 2500 },
    { set: 'identity.session.ttlSeconds', value: 60 },
  ],
});
const undeclaredNamespace = parsedBundle({ changes: [{ delete: 'ghost.key.x' }] });
const otherTeam = parsedBundle({
  team: 'identity',
  changes: [{ set: 'identity.session.ttlSeconds', value: 60 }],
});

/** What each situation supplies besides the action: a bundle to push, a service to report, a flag to kill. */
const situations: Record<string, { bundle?: Bundle; service?: string; flag?: string }> = {
  'own bundle': { bundle: ownBundle, service: 'checkout-api', flag: 'payments.newCheckout' },
  'foreign namespace': { bundle: foreignNamespace, service: 'session-api', flag: 'identity.passkeys' },
  'undeclared namespace': { bundle: undeclaredNamespace, service: 'ghost-api', flag: 'ghost.flag' },
  'other team': { bundle: otherTeam, service: 'session-api', flag: 'identity.passkeys' },
  'nothing given': {},
};

type Row = [principal: string, situation: keyof typeof situations, allowed: readonly Action[]];
const everything = actions;
const readOnly: readonly Action[] = ['read'];
const payments: readonly Action[] = ['read', 'bundle:push', 'service:report', 'flag:kill'];

/** The whole matrix: who may do which action in each situation (everything else is denied). */
const matrix: Row[] = [
  ...Object.keys(situations).map((s): Row => ['olivia', s, everything]),
  ...Object.keys(situations).map((s): Row => [
    'arn:aws:sts::123456789012:assumed-role/Deployer/ci.run',
    s,
    everything,
  ]),
  ...Object.keys(situations).map((s): Row => ['vera', s, readOnly]),
  ...Object.keys(situations).map((s): Row => ['alex', s, readOnly]),
  ...Object.keys(situations).map((s): Row => ['stranger', s, []]),
  ['priya', 'own bundle', payments],
  ['priya', 'foreign namespace', readOnly],
  ['priya', 'undeclared namespace', readOnly],
  ['priya', 'other team', readOnly],
  ['priya', 'nothing given', readOnly],
  ['ivan', 'other team', ['read', 'bundle:push', 'service:report', 'flag:kill']],
  ['ivan', 'own bundle', readOnly],
  ['multi', 'own bundle', payments],
  ['multi', 'other team', ['read', 'bundle:push', 'service:report', 'flag:kill']],
  ['multi', 'foreign namespace', ['read', 'service:report', 'flag:kill']],
];

describe('authorize: the role × action × ownership matrix', () => {
  const rows = matrix.flatMap(([principal, situation, allowed]) =>
    actions.map((action) => [principal, action, situation, allowed.includes(action)] as const),
  );
  it.each(rows)('%s %s (%s) → allowed %s', (principal, action, situation, allowed) => {
    const decision = authorize({ catalog, principal, action, ...situations[situation] });
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) expect(decision.reason.length).toBeGreaterThan(10);
  });
});

describe('authorize: flag:kill (the kill switch of one flag)', () => {
  it.each([
    ['a release manager, any flag', 'olivia', 'identity.passkeys', true],
    ['a release manager, an undeclared namespace', 'olivia', 'ghost.flag', true],
    ['a member of the owning team, without the deploy right', 'priya', 'payments.newCheckout', true],
    ['a member of another team', 'priya', 'identity.passkeys', false],
    ['a member of the other owning team', 'ivan', 'identity.passkeys', true],
    ['a member of two teams, either flag', 'multi', 'payments.newCheckout', true],
    ['a team member, an undeclared namespace', 'priya', 'ghost.flag', false],
    ['a viewer', 'vera', 'payments.newCheckout', false],
    ['an approver', 'alex', 'payments.newCheckout', false],
    ['a stranger', 'stranger', 'payments.newCheckout', false],
  ])('%s (%s kills %s) → allowed %s', (_, principal, flag, allowed) => {
    expect(authorize({ catalog, principal, action: 'flag:kill', flag }).allowed).toBe(allowed);
  });

  it('lets whoever may deploy kill any flag', () => {
    const principals = [
      'olivia',
      'arn:aws:sts::123456789012:assumed-role/Deployer/x',
      'priya',
      'vera',
      'multi',
    ];
    for (const principal of principals)
      for (const flag of ['payments.newCheckout', 'identity.passkeys', 'ghost.flag'])
        if (authorize({ catalog, principal, action: 'deploy' }).allowed)
          expect(authorize({ catalog, principal, action: 'flag:kill', flag })).toEqual({ allowed: true });
  });

  it.each([
    [
      'a member of another team (named with the owner team)',
      'priya',
      'identity.passkeys',
      'flag identity.passkeys belongs to team identity (namespace identity); priya (team:payments) may not kill it: that needs the deploy right (release-manager) or a role of team identity',
    ],
    [
      'a viewer',
      'vera',
      'payments.newCheckout',
      'flag payments.newCheckout belongs to team payments (namespace payments); vera (viewer) may not kill it: that needs the deploy right (release-manager) or a role of team payments',
    ],
    [
      'an undeclared namespace',
      'priya',
      'ghost.flag',
      'namespace ghost is not declared in the catalog (no team owns flag ghost.flag); priya (team:payments) may not kill it: that needs the deploy right (release-manager)',
    ],
    ['no flag given', 'priya', undefined, "killing a flag needs the flag to check that priya's team owns it"],
  ])('explains %s', (_, principal, flag, reason) => {
    expect(authorize({ catalog, principal, action: 'flag:kill', flag })).toEqual({ allowed: false, reason });
  });
});

describe('authorize: reasons', () => {
  it.each([
    [
      'a principal without roles',
      { principal: 'stranger', action: 'read' as const },
      'principal stranger has no role in the catalog; ask a release manager to add it to roles',
    ],
    [
      'a foreign namespace (named with its owner)',
      { principal: 'priya', action: 'bundle:push' as const, bundle: foreignNamespace },
      'namespace identity is owned by team identity, not payments; ask identity to ship this change',
    ],
    [
      'an undeclared namespace',
      { principal: 'priya', action: 'bundle:push' as const, bundle: undeclaredNamespace },
      'namespace ghost is not declared in the catalog; a release manager must declare it first',
    ],
    [
      "another team's bundle",
      { principal: 'priya', action: 'bundle:push' as const, bundle: otherTeam },
      'priya may push bundles of team payments only; this bundle belongs to team identity',
    ],
    [
      'a push without the bundle',
      { principal: 'priya', action: 'bundle:push' as const },
      "pushing needs the bundle to check that priya's teams own what it changes",
    ],
    [
      "another team's service",
      { principal: 'priya', action: 'service:report' as const, service: 'session-api' },
      'service session-api belongs to team identity; priya may report services of team payments only',
    ],
    [
      'an unknown service',
      { principal: 'priya', action: 'service:report' as const, service: 'ghost-api' },
      'service ghost-api is not in the catalog; priya may report services of team payments only',
    ],
    [
      'a report without the service',
      { principal: 'priya', action: 'service:report' as const },
      "reporting a version needs the service to check that priya's team owns it",
    ],
    [
      'a deploy by a team member',
      { principal: 'priya', action: 'deploy' as const },
      'principal priya (team:payments) may not deploy; it needs release-manager',
    ],
    [
      'a push by a viewer',
      { principal: 'vera', action: 'bundle:push' as const, bundle: ownBundle },
      'principal vera (viewer) may not bundle:push; it needs a team role or release-manager',
    ],
  ])('explains %s', (_, input, reason) => {
    expect(authorize({ catalog, ...input })).toEqual({ allowed: false, reason });
  });
});

describe('authorize before any catalog exists', () => {
  it.each(actions.map((action) => [action, action === 'catalog:write'] as const))(
    '%s → allowed %s (bootstrap)',
    (action, allowed) => {
      const decision = authorize({ principal: 'anyone', action });
      expect(decision.allowed).toBe(allowed);
      if (!decision.allowed) expect(decision.reason).toMatch(/apply a catalog first/);
    },
  );
});

describe('rolesOf', () => {
  it.each([
    ['olivia', ['release-manager']],
    ['multi', ['team:identity', 'team:payments', 'viewer']],
    ['arn:aws:sts::123456789012:assumed-role/Deployer/ci.run', ['release-manager']],
    ['arn:aws:sts::123456789012:assumed-role/Other/ci.run', []],
    ['nobody', []],
  ])('%s has %j', (principal, roles) => {
    expect(rolesOf(catalog, principal)).toEqual(roles);
  });

  it('gives every authenticated principal the roles of `*`, on top of their own', () => {
    const open = catalogSchema.parse({
      ...catalogDocument(),
      roles: [{ principal: '*', roles: ['viewer'] }, ...catalogDocument().roles],
    });
    expect(rolesOf(open, 'someone.with.dots@example.com')).toEqual(['viewer']);
    expect(rolesOf(open, 'priya')).toEqual(['viewer', 'team:payments']);
  });

  it('has no roles without a catalog', () => {
    expect(rolesOf(undefined, 'olivia')).toEqual([]);
  });
});
