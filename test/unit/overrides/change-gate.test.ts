import { describe, expect, it } from 'vitest';
import { gateChange, howToOverride } from '#domain/overrides/change-gate.ts';
import { freezeStatus } from '#domain/freeze/freeze-status.ts';
import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';
import type { Override } from '#domain/overrides/override.ts';

const hard: FreezeWindow = {
  id: 'year-end',
  name: 'Year-end',
  scope: { environments: ['prod-*'] },
  schedule: { start: '2026-12-20T00:00:00Z', end: '2027-01-04T00:00:00Z' },
  level: 'hard',
};
const soft: FreezeWindow = { ...hard, id: 'soft', name: 'Soft', level: 'soft' };
const AT = '2026-12-21T10:00:00.000Z';
const change = { environment: 'prod-eu', kind: 'deploy' as const, bundle: 'hotfix@1' };

const override = (extra: Partial<Override> = {}): Override => ({
  id: 'ovr-1',
  status: 'approved',
  environment: 'prod-eu',
  bundle: 'hotfix@1',
  reason: 'the checkout is down',
  ticket: 'INC-1',
  requestedDuration: 'PT2H',
  reusable: false,
  requester: 'priya',
  requestedAt: '2026-12-21T09:00:00.000Z',
  decideBy: '2026-12-22T09:00:00.000Z',
  level: 'hard',
  namespaces: ['payments'],
  approverRoles: ['release-manager'],
  approvalsRequired: 2,
  approvals: [],
  approvedAt: '2026-12-21T09:30:00.000Z',
  expiresAt: '2026-12-21T11:30:00.000Z',
  uses: [],
  ...extra,
});

const status = (windows: FreezeWindow[], at = AT) =>
  freezeStatus(windows, { environment: 'prod-eu', kind: 'deploy' }, at);

describe('gateChange', () => {
  it('opens when nothing freezes the change, whatever override is named', () => {
    expect(gateChange(status([]), change, undefined, AT)).toEqual({ outcome: 'open' });
    expect(gateChange(status([hard], '2026-11-01T00:00:00Z'), change, override(), AT)).toEqual({
      outcome: 'open',
    });
  });

  it('refuses a frozen change without an override, naming the windows, the level and the command', () => {
    const verdict = gateChange(status([hard, soft]), change, undefined, AT);
    expect(verdict).toMatchObject({
      outcome: 'frozen',
      level: 'hard',
      windows: [
        {
          id: 'year-end',
          name: 'Year-end',
          level: 'hard',
          start: '2026-12-20T00:00:00.000Z',
          end: '2027-01-04T00:00:00.000Z',
        },
        { id: 'soft', level: 'soft' },
      ],
      howToOverride: howToOverride(change),
    });
    if (verdict.outcome !== 'frozen') throw new Error('frozen expected');
    expect(verdict.message).toMatch(
      /^prod-eu is frozen \(hard\) for deploy by Year-end \(year-end, hard, until/,
    );
    expect(verdict.message).toMatch(/Only an emergency override passes/);
    const softOnly = gateChange(status([soft]), change, undefined, AT);
    expect(softOnly.outcome === 'frozen' && softOnly.message).toMatch(/An approved override passes/);
  });

  it('lets a usable override through', () => {
    expect(gateChange(status([hard]), change, override(), AT)).toEqual({
      outcome: 'override',
      override: override(),
    });
  });

  it.each([
    ['used', override({ status: 'used' }), 'override.used'],
    ['pending', override({ status: 'pending' }), 'override.not-approved'],
    ['past its time box', override({ expiresAt: '2026-12-21T10:00:00.000Z' }), 'override.expired'],
    ['for another bundle', override({ bundle: 'other@1' }), 'override.scope-mismatch'],
    ['approved for a soft freeze', override({ level: 'soft' }), 'override.level-mismatch'],
  ])('refuses an override that is %s', (_label, candidate, code) => {
    expect(gateChange(status([hard]), change, candidate, AT)).toMatchObject({
      outcome: 'refused',
      code,
      level: 'hard',
    });
  });

  it('lets a soft-level override through a soft freeze', () => {
    expect(gateChange(status([soft]), change, override({ level: 'soft' }), AT).outcome).toBe('override');
  });

  it('writes the override command for bundles and for change kinds, quoting what needs it', () => {
    expect(howToOverride({ environment: 'prod-eu', kind: 'rollback' })).toBe(
      'convoy override request --env prod-eu --kind rollback --reason "<why this cannot wait>" --ticket <ticket>; once approved, retry with --override <id>',
    );
    expect(howToOverride({ environment: 'prod-eu', kind: 'deploy', bundle: 'odd name@1' })).toContain(
      '--bundle "odd name@1"',
    );
  });
});

describe('gateChange: a rollout in flight when a window begins', () => {
  // The window begins 2026-12-20T00:00Z; AT is inside it.
  const phase = (inFlight: 'pause' | 'finish-phase' | 'continue') =>
    freezeStatus([{ ...hard, inFlight }], { environment: 'prod-eu', kind: 'rollout-phase' }, AT);
  const before = '2026-12-19T10:00:00.000Z';
  const after = '2026-12-20T10:00:00.000Z';
  it.each<[string, 'pause' | 'finish-phase' | 'continue', string, string | undefined, string]>([
    [
      'continue lets every phase of a rollout started before the window go on',
      'continue',
      before,
      undefined,
      'in-flight',
    ],
    ['continue does not help a rollout started inside the window', 'continue', after, undefined, 'frozen'],
    [
      'finish-phase lets the phase that started before the window finish',
      'finish-phase',
      before,
      before,
      'in-flight',
    ],
    ['finish-phase holds a phase that starts inside the window', 'finish-phase', before, after, 'frozen'],
    ['finish-phase holds a phase that has not started', 'finish-phase', before, undefined, 'frozen'],
    ['pause holds every phase', 'pause', before, before, 'frozen'],
  ])('%s', (_name, inFlight, rolloutStartedAt, phaseStartedAt, outcome) => {
    const change = {
      environment: 'prod-eu',
      kind: 'rollout-phase' as const,
      inFlight: { rolloutStartedAt, ...(phaseStartedAt ? { phaseStartedAt } : {}) },
    };
    expect(gateChange(phase(inFlight), change, undefined, AT).outcome).toBe(outcome);
  });

  it('applies inFlight only to rollout phases', () => {
    const status = freezeStatus(
      [{ ...hard, inFlight: 'continue' }],
      { environment: 'prod-eu', kind: 'deploy' },
      AT,
    );
    const change = {
      environment: 'prod-eu',
      kind: 'deploy' as const,
      inFlight: { rolloutStartedAt: before },
    };
    expect(gateChange(status, change, undefined, AT).outcome).toBe('frozen');
  });
});
