import { describe, expect, it } from 'vitest';
import { canApprove, canSignOff, overrideSignoffs, signoffGate } from '#domain/releases/signoff-rules.ts';
import type { SignoffStatus } from '#domain/releases/signoff.ts';
import { releaseCatalog, releasePlan } from '../../fixtures/releases/three-teams.ts';

const catalog = releaseCatalog();

describe('canSignOff', () => {
  it.each<[string, string, string, boolean | string]>([
    ['a member of the team', 'priya', 'payments', true],
    [
      'a member of another team',
      'sam',
      'payments',
      'sam is not a member of team payments; only its members sign off for it',
    ],
    [
      'a release manager (approval is separate)',
      'olivia',
      'payments',
      'olivia is not a member of team payments; only its members sign off for it',
    ],
    ['a viewer', 'vera', 'search', 'vera is not a member of team search; only its members sign off for it'],
    [
      'anyone for a team the plan does not ask',
      'priya',
      'ledger',
      'the plan does not ask team ledger to sign off (it asks identity, payments, search)',
    ],
  ])('%s', (_, principal, team, expected) => {
    expect(canSignOff(catalog, principal, team, releasePlan())).toEqual(
      expected === true ? { allowed: true } : { allowed: false, reason: expected },
    );
  });

  it('names no team when the plan asks none', () => {
    expect(canSignOff(catalog, 'priya', 'payments', releasePlan({ signoffs: [] }))).toEqual({
      allowed: false,
      reason: 'the plan does not ask team payments to sign off (it asks no team)',
    });
  });
});

describe('canApprove', () => {
  it.each([
    ['olivia', { allowed: true }],
    [
      'priya',
      { allowed: false, reason: 'priya is not a release manager; only a release manager approves a release' },
    ],
  ])('%s', (principal, expected) => {
    expect(canApprove(catalog, principal)).toEqual(expected);
  });
});

describe('overrideSignoffs', () => {
  it.each<[string, string | undefined, object]>([
    ['olivia', ' INC-42 hotfix ', { ok: true, override: { principal: 'olivia', reason: 'INC-42 hotfix' } }],
    ['olivia', '  ', { ok: false, reason: 'overriding sign-offs needs a reason (--reason ...)' }],
    ['olivia', undefined, { ok: false, reason: 'overriding sign-offs needs a reason (--reason ...)' }],
    [
      'priya',
      'because',
      { ok: false, reason: 'priya is not a release manager; only a release manager may override sign-offs' },
    ],
  ])('%s with reason %j', (principal, reason, expected) => {
    expect(overrideSignoffs(catalog, principal, reason)).toEqual(expected);
  });
});

describe('signoffGate', () => {
  const status = (complete: boolean): SignoffStatus => ({
    teams: [{ team: 'identity', state: complete ? 'signed' : 'missing' }],
    approval: { state: 'signed' },
    complete,
  });
  it.each<[string, SignoffStatus, object | undefined, object]>([
    ['complete sign-offs', status(true), undefined, { ok: true }],
    [
      'complete sign-offs, an override aside',
      status(true),
      { principal: 'olivia', reason: 'r' },
      { ok: true },
    ],
    [
      'an override',
      status(false),
      { principal: 'olivia', reason: 'r' },
      { ok: true, override: { principal: 'olivia', reason: 'r' } },
    ],
    [
      'a missing team only',
      status(false),
      undefined,
      {
        ok: false,
        reason:
          'the release lacks sign-offs: team identity (missing); a release manager may go ahead with --override-signoffs --reason ...',
      },
    ],
  ])('%s', (_, given, override, expected) => {
    expect(signoffGate(given, override as Parameters<typeof signoffGate>[1])).toEqual(expected);
  });
});
