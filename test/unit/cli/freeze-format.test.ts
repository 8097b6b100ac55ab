import { describe, expect, it } from 'vitest';
import type { FreezeStatus } from '#domain/freeze/freeze-status.ts';
import type { Override } from '#domain/overrides/override.ts';
import { problemError } from '#api/client.ts';
import {
  approvalProgress,
  describeSchedule,
  describeScope,
  frozenExplanation,
  overrideFacts,
  overrideNextStep,
  overrideRows,
  statusLines,
  windowRows,
} from '#cli/freeze-format.ts';

const pending: Override = {
  id: 'ovr-1',
  status: 'pending',
  environment: 'prod-eu',
  bundle: 'checkout-timeouts@3',
  reason: 'gateway timeouts are failing checkouts',
  ticket: 'INC-4711',
  requestedDuration: 'PT2H',
  reusable: false,
  requester: 'priya',
  requestedAt: '2026-12-20T10:00:00.000Z',
  decideBy: '2026-12-21T10:00:00.000Z',
  level: 'hard',
  namespaces: ['payments'],
  approverRoles: ['team:payments', 'release-manager'],
  approvalsRequired: 2,
  approvals: [],
  uses: [],
};

describe('freeze windows for people', () => {
  it('describes one-off and recurring schedules', () => {
    expect(
      describeSchedule({ start: '2026-12-18T18:00', end: '2027-01-04T08:00', timezone: 'Europe/Berlin' }),
    ).toBe('2026-12-18T18:00 → 2027-01-04T08:00 Europe/Berlin');
    expect(describeSchedule({ start: '2026-12-18T17:00:00Z', end: '2026-12-18T19:00:00Z' })).toBe(
      '2026-12-18T17:00:00Z → 2026-12-18T19:00:00Z',
    );
    expect(
      describeSchedule({
        rrule: 'RRULE:FREQ=WEEKLY;BYDAY=FR;BYHOUR=18',
        duration: 'P2DT12H',
        timezone: 'Europe/Berlin',
        until: '2027-06-30T00:00',
      }),
    ).toBe('FREQ=WEEKLY;BYDAY=FR;BYHOUR=18 for P2DT12H (Europe/Berlin) until 2027-06-30T00:00');
  });

  it('describes scopes, everything when nothing narrows them', () => {
    expect(describeScope({})).toBe('everything');
    expect(describeScope({ environments: ['prod-*'], namespaces: ['payments', 'identity'] })).toBe(
      'env prod-*; ns payments,identity',
    );
    expect(describeScope({ teams: ['search'], changeKinds: ['deploy'] })).toBe('team search; kind deploy');
  });

  it('lists windows as rows', () => {
    expect(
      windowRows([
        {
          id: 'weekend-freeze',
          name: 'Weekend freeze',
          scope: { environments: ['prod-*'] },
          schedule: {
            rrule: 'FREQ=WEEKLY;BYDAY=FR;BYHOUR=18',
            duration: 'P2DT12H',
            timezone: 'Europe/Berlin',
          },
          level: 'soft',
        },
      ]),
    ).toEqual([
      [
        'weekend-freeze',
        'soft',
        'env prod-*',
        'FREQ=WEEKLY;BYDAY=FR;BYHOUR=18 for P2DT12H (Europe/Berlin)',
        'Weekend freeze',
      ],
    ]);
  });

  it('says whether an environment is frozen, by what, and until when', () => {
    const frozen: FreezeStatus = {
      frozen: true,
      level: 'hard',
      windows: [
        {
          id: 'year-end-freeze',
          name: 'Year-end freeze',
          level: 'hard',
          start: '2026-12-18T17:00:00.000Z',
          end: '2027-01-04T07:00:00.000Z',
          allow: ['rollback'],
          inFlight: 'pause',
        },
      ],
      allowedKinds: ['rollback', 'flag-kill-switch'],
      nextChange: '2027-01-04T07:00:00.000Z',
    };
    const lines = statusLines('prod-eu', frozen, { kind: 'deploy' });
    expect(lines.headline).toBe('FROZEN (hard): deploy changes in prod-eu are frozen by 1 window(s)');
    expect(lines.rows).toEqual([
      ['year-end-freeze', 'hard', '2026-12-18T17:00:00.000Z → 2027-01-04T07:00:00.000Z', 'Year-end freeze'],
    ]);
    expect(lines.footer).toEqual([
      'allowed kinds  rollback, flag-kill-switch',
      'next change    2027-01-04T07:00:00.000Z',
    ]);

    const open = statusLines(
      'staging',
      { frozen: false, level: null, windows: [], allowedKinds: [], nextChange: null },
      { namespace: 'payments', at: '2026-12-20T12:00:00Z' },
    );
    expect(open.headline).toBe('open: changes to payments in staging at 2026-12-20T12:00:00Z are not frozen');
    expect(open.footer).toEqual(['allowed kinds  none', 'next change    none in sight']);
  });
});

describe('a 423 for people', () => {
  const problem = {
    status: 423,
    code: 'frozen',
    detail: 'prod-eu is frozen for deploy by year-end-freeze',
    level: 'hard',
    windows: [
      {
        id: 'year-end-freeze',
        name: 'Year-end freeze',
        level: 'hard',
        start: '2026-12-18T17:00:00.000Z',
        end: '2027-01-04T07:00:00.000Z',
      },
    ],
    howToOverride:
      'convoy override request --env prod-eu --bundle checkout-timeouts@3 --reason "<why>" --ticket <ticket>',
  };

  it('names the windows and the level, and gives the override command', () => {
    const { details, hint } = frozenExplanation(problem);
    expect(details).toEqual([
      'level   hard',
      'window  year-end-freeze  "Year-end freeze"  hard  2026-12-18T17:00:00.000Z → 2027-01-04T07:00:00.000Z',
    ]);
    expect(hint).toContain('only an emergency override passes');
    expect(hint).toContain(problem.howToOverride);
  });

  it('copes with windows given as ids and without a command', () => {
    const { details, hint } = frozenExplanation({ level: 'soft', windows: ['weekend-freeze', 3] });
    expect(details).toEqual(['level   soft', 'window  weekend-freeze']);
    expect(hint).toMatch(/an approved override passes.*convoy override request/);
  });

  it('becomes exit 1 with the details and the hint', () => {
    const error = problemError(423, problem);
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe(problem.detail);
    expect(error.details).toHaveLength(2);
    expect(error.hint).toContain('convoy override request --env prod-eu');
    // With the environment and kind, the message is short: the details carry the windows.
    expect(problemError(423, { ...problem, environment: 'prod-eu', kind: 'deploy' }).message).toBe(
      'prod-eu is frozen (hard) for deploy',
    );
  });

  it('explains an override that cannot be used (403) with the command for a new one', () => {
    const error = problemError(403, {
      ...problem,
      code: 'forbidden',
      detail: 'prod-eu is frozen …, and override ovr-1 was already used; it is single-use.',
      reason: 'override.used',
    });
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(/already used/);
    expect(error.details).toContain('level   hard');
    expect(error.hint).toMatch(/cannot be used for this change[\s\S]*convoy override request/);
    expect(frozenExplanation({ windows: [] }, 403).hint).toMatch(/convoy override show/);
  });

  it('says what to do after a refused decision', () => {
    const hint = (reason: string) =>
      problemError(reason.includes('approv') && reason !== 'override.already-approved' ? 403 : 409, {
        reason,
        overrideId: 'ovr-1',
      }).hint;
    expect(hint('override.self-approval')).toMatch(/never approves their own/);
    expect(hint('override.not-an-approver')).toMatch(/routed role.*convoy override show ovr-1/);
    expect(hint('override.already-approved')).toMatch(/counts once/);
    expect(hint('override.not-pending')).toMatch(/no longer waiting/);
    expect(problemError(403, { code: 'forbidden' }).hint).toMatch(/right role/);
  });
});

describe('overrides for people', () => {
  it('shows progress, rows and facts of a pending request, and who acts next', () => {
    expect(approvalProgress(pending)).toBe('0 of 2');
    const once = { ...pending, approvals: [{ by: 'olivia', at: '2026-12-20T10:05:00.000Z' }] };
    expect(approvalProgress(once)).toBe('1 of 2 (olivia)');
    expect(overrideRows([once])).toEqual([
      [
        'ovr-1',
        'pending',
        'prod-eu',
        'checkout-timeouts@3',
        'priya',
        '1 of 2 (olivia)',
        '2026-12-21T10:00:00.000Z',
      ],
    ]);
    const facts = Object.fromEntries(overrideFacts({ ...once, approvers: ['olivia', 'paul'] }));
    expect(facts).toMatchObject({
      for: 'checkout-timeouts@3',
      level: 'hard freeze',
      'time box': 'PT2H, single-use',
      approvers: 'team:payments or release-manager (olivia, paul)',
      'decide by': '2026-12-21T10:00:00.000Z',
    });
    expect(overrideNextStep(once)).toBe(
      '1 more approval(s) needed: an approver other than priya runs `convoy override approve ovr-1`',
    );
  });

  it('tells how to use an approved override, and nothing once it is settled', () => {
    const approved: Override = {
      ...pending,
      status: 'approved',
      approvedAt: '2026-12-20T10:10:00.000Z',
      expiresAt: '2026-12-20T12:10:00.000Z',
    };
    expect(overrideNextStep(approved)).toBe(
      'deploy it before 2026-12-20T12:10:00.000Z: `convoy deploy checkout-timeouts@3 --env prod-eu --override ovr-1`',
    );
    const kinds: Override = { ...approved, bundle: undefined, changeKinds: ['rollback'] };
    delete kinds.bundle;
    expect(overrideNextStep(kinds)).toBe(
      'use it before 2026-12-20T12:10:00.000Z with `--override ovr-1` on rollback in prod-eu',
    );
    const used: Override = {
      ...approved,
      status: 'used',
      uses: [{ at: '2026-12-20T10:20:00.000Z', deploymentId: 'dpl-prod-eu-4' }],
    };
    expect(overrideNextStep(used)).toBeUndefined();
    expect(overrideFacts(used)).toContainEqual(['used', '2026-12-20T10:20:00.000Z by dpl-prod-eu-4']);
    const rejected: Override = {
      ...pending,
      status: 'rejected',
      rejection: { by: 'olivia', at: '2026-12-20T10:06:00.000Z', comment: 'wait for Monday' },
    };
    expect(overrideFacts(rejected)).toContainEqual([
      'rejected',
      '2026-12-20T10:06:00.000Z by olivia: wait for Monday',
    ]);
  });
});
