import { describe, expect, it } from 'vitest';
import { routeApprovers, holdsAny, rolesOf } from '#domain/overrides/approver-routing.ts';
import {
  createOverride,
  overrideRequestSchema,
  overrideSchema,
  timeBoxMs,
  type OverrideRequest,
} from '#domain/overrides/override.ts';
import { catalog } from './support/catalog.ts';

const request = (extra: Record<string, unknown> = {}): unknown => ({
  environment: 'prod-eu',
  bundle: 'checkout-timeouts@3',
  reason: 'Checkout fails for card payments in the EU',
  ticket: 'INC-4711',
  ...extra,
});

const problems = (input: unknown): string[] => {
  const result = overrideRequestSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
};

describe('an override request', () => {
  it('defaults to a two-hour, single-use time box', () => {
    const parsed = overrideRequestSchema.parse(request());
    expect(parsed).toMatchObject({ requestedDuration: 'PT2H' });
    expect(parsed.reusable).toBeUndefined();
  });

  it.each([
    ['a bundle', request(), []],
    [
      'change kinds instead of a bundle',
      request({ bundle: undefined, changeKinds: ['flag-kill-switch'] }),
      [],
    ],
    ['both a bundle and change kinds', request({ changeKinds: ['deploy'] }), ['bundle']],
    ['neither', request({ bundle: undefined }), ['bundle']],
    ['a bundle that is not name@version', request({ bundle: 'checkout' }), ['bundle']],
    ['a short reason', request({ reason: 'urgent' }), ['reason']],
    ['no ticket', request({ ticket: '' }), ['ticket']],
    ['24 hours', request({ requestedDuration: 'PT24H' }), []],
    ['more than 24 hours', request({ requestedDuration: 'PT25H' }), ['requestedDuration']],
    ['a month', request({ requestedDuration: 'P1M' }), ['requestedDuration']],
    ['zero', request({ requestedDuration: 'PT0S' }), ['requestedDuration']],
    ['not a duration', request({ requestedDuration: 'two hours' }), ['requestedDuration']],
    ['an unknown field', request({ urgent: true }), ['']],
  ])('%s: problems at %j', (_, input, paths) => {
    expect(problems(input)).toEqual(paths);
  });

  it.each([
    ['PT2H', { ok: true, ms: 7_200_000 }],
    ['P1D', { ok: true, ms: 86_400_000 }],
    ['P1Y', { ok: false }],
  ])('time box %s', (text, expected) => {
    expect(timeBoxMs(text)).toMatchObject(expected);
  });
});

describe('routing approvers', () => {
  it.each([
    [
      'hard, payments',
      ['payments', 'checkout'],
      'hard',
      ['team:payments', 'release-manager'],
      ['paula', 'peter', 'rita', 'rob'],
      2,
    ],
    [
      'soft, two teams',
      ['identity', 'payments'],
      'soft',
      ['team:identity', 'team:payments', 'release-manager'],
      ['ines', 'paula', 'peter', 'rita', 'rob'],
      1,
    ],
    ['a namespace nobody owns', ['unknown'], 'hard', ['release-manager'], ['rita', 'rob'], 2],
  ] as const)('%s', (_, namespaces, level, roles, approvers, required) => {
    expect(routeApprovers(catalog, { namespaces, level })).toEqual({
      roles,
      approvers,
      approvalsRequired: required,
    });
  });

  it('never routes to the requester', () => {
    expect(
      routeApprovers(catalog, { namespaces: ['payments'], level: 'hard', requester: 'paula' }).approvers,
    ).toEqual(['peter', 'rita', 'rob']);
  });

  it('knows the roles a principal holds, including those every principal holds', () => {
    expect([...rolesOf(catalog, 'peter')].sort()).toEqual(['approver', 'team:payments', 'viewer']);
    expect(holdsAny(catalog, 'stranger', ['viewer'])).toBe(true);
    expect(holdsAny(catalog, 'stranger', ['release-manager'])).toBe(false);
  });
});

describe('creating an override', () => {
  const parsed = (extra: Record<string, unknown> = {}): OverrideRequest =>
    overrideRequestSchema.parse(request(extra));
  const context = {
    id: 'ovr-1',
    requester: 'paula',
    at: '2026-12-24T10:00:00Z',
    level: 'hard' as const,
    namespaces: ['payments'],
  };

  it('is pending, routed, and waits 24 hours for decisions', () => {
    const result = createOverride(parsed(), context, catalog);
    expect(result).toMatchObject({
      ok: true,
      override: {
        id: 'ovr-1',
        status: 'pending',
        bundle: 'checkout-timeouts@3',
        requester: 'paula',
        requestedAt: '2026-12-24T10:00:00.000Z',
        decideBy: '2026-12-25T10:00:00.000Z',
        approverRoles: ['team:payments', 'release-manager'],
        approvalsRequired: 2,
        reusable: false,
        approvals: [],
        uses: [],
      },
    });
    if (result.ok) expect(overrideSchema.parse(result.override)).toEqual(result.override);
  });

  it('may ask for more approvals than the level needs, never fewer', () => {
    const more = createOverride(parsed({ approvalsRequired: 3 }), context, catalog);
    const fewer = createOverride(parsed({ approvalsRequired: 1 }), context, catalog);
    expect(more.ok && more.override.approvalsRequired).toBe(3);
    expect(fewer.ok && fewer.override.approvalsRequired).toBe(2);
  });

  it('keeps change kinds and reusability', () => {
    const result = createOverride(
      parsed({ bundle: undefined, changeKinds: ['flag'], reusable: true }),
      context,
      catalog,
    );
    expect(result.ok && result.override).toMatchObject({ changeKinds: ['flag'], reusable: true });
    expect(result.ok && 'bundle' in result.override).toBe(false);
  });

  it('is refused when too few principals could approve it', () => {
    const result = createOverride(parsed({ approvalsRequired: 5 }), context, catalog);
    expect(result).toMatchObject({ ok: false, problems: [{ code: 'override.not-enough-approvers' }] });
  });

  it('counts every principal when the * mapping holds a routed role', () => {
    const open = { ...catalog, roles: [{ principal: '*', roles: ['release-manager' as const] }] };
    expect(createOverride(parsed({ approvalsRequired: 5 }), context, open).ok).toBe(true);
  });

  it('is refused with a bad instant', () => {
    expect(createOverride(parsed(), { ...context, at: 'now' }, catalog)).toMatchObject({
      ok: false,
      problems: [{ code: 'override.bad-instant' }],
    });
  });
});
